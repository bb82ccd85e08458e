"""Every role × the scoring API (criteria sets, evaluations: read-only) and its pages, with the shared matrix
helpers of tinhso.core.testing. Expected outcomes come from the grants in ScoringConfig.ready() (dx centre
scoring.*; district and commune officers view + change_score + verify_evaluation; department staff and village
team leader view; nothing for the party cell secretary or a citizen) and the scope rule of
tinhso.accounts.scope (a role covers its unit's subtree). A refused write changes nothing."""

import itertools
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from tinhso.accounts.testing import users_by_role
from tinhso.core.testing import (
    READ,
    ROLES,
    ApiMatrix,
    PageMatrix,
    api_client,
    assert_statuses,
    cast_on,
    database_state,
    expected_statuses,
    statuses,
    web_client,
)
from tinhso.scoring import privacy, services
from tinhso.scoring.models import CriteriaSet, Criterion, Evaluation, Score
from tinhso.units.models import Unit

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)

A, X, D, V, C, L, P = (
    "province_admin",
    "dx_centre_staff",
    "department_staff",
    "district_officer",
    "commune_officer",
    "village_team_leader",
    "party_cell_secretary",
)
PROVINCE = (A, X, D)
SCORERS = (A, X, V, C)  # change_score and verify_evaluation


@pytest.fixture
def users(tree):
    """The usual cast, with the province's people on the province after the 2025 reform (Lào Cai)."""
    province = dict.fromkeys((A, X, D), "lao_cai")
    return users_by_role(cast_on(tree, **province)) | {"anonymous": None}


def make_set(unit, subject_kind="test.village", verifying_level="commune") -> CriteriaSet:
    number = next(_numbers)
    criteria_set = CriteriaSet.objects.create(
        code=f"BCS{number}",
        name=f"Bộ chỉ số {number}",
        subject_kind=subject_kind,
        unit=unit,
        first_period="2024",
        verifying_level=verifying_level,
    )
    Criterion.objects.create(
        criteria_set=criteria_set, code="1", name="Đánh giá của xã", max_points=Decimal(10), rule="manual"
    )
    return criteria_set


def make_evaluation(unit: Unit, criteria_set: CriteriaSet | None = None) -> Evaluation:
    """An evaluation of `unit` (the subject is the unit itself) with one manual score, as scoring writes it."""
    criteria_set = criteria_set or make_set(unit)
    subject = services.Subject(unit, unit)
    return services.evaluate(criteria_set, "2024", [subject], lambda criteria, subjects, period: {}, actor=None)[0]


def code_of(obj) -> str:
    return obj.code


# --- API (read-only: writes are refused to everyone) ----------------------------------------------------


def test_who_reads_a_criteria_set_owned_by_a_commune(tree, users):
    matrix = ApiMatrix("/api/v1/scoring/criteria-sets/", CriteriaSet, make=lambda: make_set(tree.xuan_ai))
    matrix.check(users, {role: set(READ) for role in (*PROVINCE, V, C)})


def test_a_criteria_set_owned_by_the_province_is_read_by_the_provinces_people(tree, users):
    # The scope rule applies to definitions too: an officer below the province does not read its sets
    # (reported to the integrator: they score against them on the evaluation page).
    matrix = ApiMatrix("/api/v1/scoring/criteria-sets/", CriteriaSet, make=lambda: make_set(tree.lao_cai))
    matrix.check(users, {role: set(READ) for role in PROVINCE})


def test_who_reads_the_evaluation_of_a_village(tree, users):
    matrix = ApiMatrix("/api/v1/scoring/evaluations/", Evaluation, make=lambda: make_evaluation(tree.khe_dua))
    matrix.check(users, {role: set(READ) for role in (*PROVINCE, V, C, L)})


def test_the_evaluation_of_a_commune_of_another_district_is_the_provinces_only(tree, users):
    matrix = ApiMatrix("/api/v1/scoring/evaluations/", Evaluation, make=lambda: make_evaluation(tree.khanh_hoa))
    matrix.check(users, {role: set(READ) for role in PROVINCE})


def test_a_private_kinds_evaluation_is_read_by_nobody_through_scoring(tree, users, monkeypatch):
    monkeypatch.setattr(privacy, "PRIVATE_SUBJECT_KINDS", {"test.private"})
    matrix = ApiMatrix(
        "/api/v1/scoring/evaluations/",
        Evaluation,
        make=lambda: make_evaluation(tree.khe_dua, make_set(tree.khe_dua, subject_kind="test.private")),
    )
    matrix.check(users, {})


@pytest.mark.parametrize("url", ["/api/v1/scoring/criteria-sets/", "/api/v1/scoring/evaluations/"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nobody_writes_scoring_through_the_api_even_the_province(tree, users, url, method):
    evaluation = make_evaluation(tree.khe_dua)
    target = url if method == "post" else f"{url}{evaluation.criteria_set.pk if 'criteria' in url else evaluation.pk}/"
    before = database_state(CriteriaSet), database_state(Evaluation)
    for role, user in users.items():
        response = getattr(api_client(user), method)(target, {"name": "Mới", "total": "100"}, format="json")
        assert response.status_code in (401, 403, 404, 405), (role, response.status_code)
    assert (database_state(CriteriaSet), database_state(Evaluation)) == before


# --- Pages -------------------------------------------------------------------------------------------


def link(obj) -> str:
    return f'href="{obj.get_absolute_url()}"'


def test_who_reads_a_communes_criteria_set_on_its_pages(tree, users):
    matrix = PageMatrix(
        "/scoring/", lambda obj: obj.get_absolute_url(), make=lambda: make_set(tree.xuan_ai), shows=link
    )
    matrix.check(users, dict.fromkeys((*PROVINCE, V, C), set(READ)))


def test_who_reads_a_villages_evaluation_on_its_pages(tree, users):
    matrix = PageMatrix(
        "/scoring/evaluations/",
        lambda obj: obj.get_absolute_url(),
        make=lambda: make_evaluation(tree.khe_dua),
        shows=link,
    )
    matrix.check(users, dict.fromkeys((*PROVINCE, V, C, L), set(READ)))


def score_state(evaluation):
    return database_state(Score), database_state(Evaluation)


@pytest.mark.parametrize("role", [A, X, D, V, C, L, P, "citizen", "anonymous"])
def test_who_enters_points_for_a_village(tree, users, role):
    evaluation = make_evaluation(tree.khe_dua)
    score = Score.objects.get(evaluation=evaluation)
    before = score_state(evaluation)
    web_client(users[role]).post(f"/scoring/scores/{score.pk}/", {"points": "7", "evidence_note": "Biên bản 3"})
    score.refresh_from_db()
    if role in SCORERS:
        assert score.points == Decimal(7)
        assert Evaluation.objects.get(pk=evaluation.pk).total == Decimal(7)
    else:
        assert score_state(evaluation) == before


@pytest.mark.parametrize("role", [A, X, D, V, C, L, P, "citizen", "anonymous"])
def test_who_verifies_a_villages_evaluation_at_commune_level(tree, users, role):
    evaluation = make_evaluation(tree.khe_dua)
    before = score_state(evaluation)
    web_client(users[role]).post(f"/scoring/evaluations/{evaluation.pk}/verify/", {"note": ""})
    evaluation.refresh_from_db()
    if role in SCORERS:
        assert evaluation.status == "verified"
    else:
        assert evaluation.status == "draft" and score_state(evaluation) == before


def test_a_commune_officer_does_not_verify_a_village_of_another_commune(tree, users):
    evaluation = make_evaluation(tree.dong_tam)
    before = score_state(evaluation)
    response = web_client(users[C]).post(f"/scoring/evaluations/{evaluation.pk}/verify/", {"note": ""})
    assert response.status_code == 404
    assert score_state(evaluation) == before


def set_form(code: str) -> dict:
    return {
        "code": code,
        "name": "Bộ chỉ số chuyển đổi số xã",
        "subject_kind": "test.commune",
        "first_period": "2025",
        "verifying_level": "province",
        "bands": "Tốt = 80; Khá = 50; Yếu = 0",
    }


@pytest.mark.parametrize("role", [A, X, D, V, C, L, P, "citizen", "anonymous"])
def test_only_the_province_adds_a_criteria_set(tree, users, role):
    before = database_state(CriteriaSet)
    web_client(users[role]).post("/scoring/sets/add/", set_form(f"MOI_{role.upper()}"))
    created = CriteriaSet.objects.filter(code=f"MOI_{role.upper()}").exists()
    assert created == (role in (A, X)), role
    if not created:
        assert database_state(CriteriaSet) == before


def test_a_refused_criteria_set_edit_changes_nothing(tree, users):
    criteria_set = make_set(tree.xuan_ai)
    before = database_state(CriteriaSet), database_state(Criterion)
    for role in (D, V, C, L, P, "citizen", "anonymous"):
        client = web_client(users[role])
        client.post(f"/scoring/sets/{criteria_set.pk}/edit/", {**set_form(criteria_set.code), "name": "Đổi tên"})
        client.post(
            f"/scoring/sets/{criteria_set.pk}/criteria/add/",
            {"code": "9", "name": "Tiêu chí lạ", "max_points": "5", "rule": "manual", "source": "manual", "order": 0},
        )
    assert (database_state(CriteriaSet), database_state(Criterion)) == before


def test_the_subject_type_of_a_unit_evaluation_is_the_unit(tree):
    evaluation = make_evaluation(tree.khe_dua)
    assert evaluation.subject_type == ContentType.objects.get_for_model(Unit)


# Form pages: who gets the form, who is refused before any form is shown (add/change_criteriaset: the
# province's people; a set out of the reader's scope is 404).
OUT_OF_SCOPE = dict.fromkeys((L, P, "citizen"), 404)  # the set is Xuân Ái's: below it, it does not exist
SET_FORMS = {
    "/scoring/sets/add/": expected_statuses(ROLES, {A, X}),
    "/scoring/sets/{pk}/edit/": expected_statuses(ROLES, {A, X}, **OUT_OF_SCOPE),
    "/scoring/sets/{pk}/criteria/add/": expected_statuses(ROLES, {A, X}, **OUT_OF_SCOPE),
}


@pytest.mark.parametrize("url", list(SET_FORMS))
def test_a_criteria_set_form_opens_only_for_those_who_may_use_it(tree, users, url):
    criteria_set = make_set(tree.xuan_ai)
    got = statuses(users, url.format(pk=criteria_set.pk))
    assert_statuses(got, SET_FORMS[url] | {"anonymous": 302})
