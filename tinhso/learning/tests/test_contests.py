"""Who may create contests, who may take part, and the leaderboard by commune, organisation and province."""

import datetime

import pytest
from django.utils import timezone

from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client
from tinhso.learning.choices import Eligibility
from tinhso.learning.models import Attempt, Contest
from tinhso.units.models import Organisation

from .factories import make_contest, stock_bank

pytestmark = pytest.mark.django_db


def contest_body(unit, **changes):
    now = timezone.now()
    body = {
        "title": "Tìm hiểu Bình dân học vụ số",
        "unit": unit.pk,
        "opens_at": now.isoformat(),
        "closes_at": (now + datetime.timedelta(days=7)).isoformat(),
        "time_limit_minutes": 20,
        "attempts_allowed": 3,
        "grading": "best",
        "pools": [{"topic": "", "domain": None, "level": None, "count": 10}],
        "is_published": True,
    }
    return {**body, **changes}


def test_the_dx_centre_creates_a_contest(tree):
    staff = make_user("dx_centre_staff", tree.lao_cai)
    response = api_client(staff).post("/api/v1/contests/", contest_body(tree.lao_cai), format="json")
    assert response.status_code == 201, response.content
    assert Contest.objects.get().pools.get().count == 10


def test_a_placement_test_is_created_through_the_api_and_a_bad_purpose_is_refused(tree):
    staff = make_user("dx_centre_staff", tree.lao_cai)
    client = api_client(staff)
    response = client.post("/api/v1/contests/", contest_body(tree.lao_cai, purpose="placement"), format="json")
    assert response.status_code == 201 and response.json()["purpose"] == "placement"
    bad = client.post("/api/v1/contests/", contest_body(tree.lao_cai, purpose="exam"), format="json")
    assert bad.status_code == 400 and Contest.objects.count() == 1


def test_a_window_ending_before_it_starts_is_refused_in_vietnamese(tree):
    staff = make_user("dx_centre_staff", tree.lao_cai)
    now = timezone.now()
    body = contest_body(tree.lao_cai, closes_at=(now - datetime.timedelta(days=1)).isoformat())
    response = api_client(staff).post("/api/v1/contests/", body, format="json")
    assert response.status_code == 400
    assert "phải sau thời gian bắt đầu" in response.json()["closes_at"][0]
    assert not Contest.objects.exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("province_admin", True),
        ("dx_centre_staff", True),
        ("department_staff", False),
        ("district_officer", False),
        ("commune_officer", False),
        ("village_team_leader", False),
        ("party_cell_secretary", False),
        ("citizen", False),
    ],
)
def test_who_may_create_a_province_contest(tree, role, allowed):
    user = make_user(role, tree.lao_cai if role in ("province_admin", "dx_centre_staff") else tree.new_xuan_ai)
    response = api_client(user).post("/api/v1/contests/", contest_body(tree.lao_cai), format="json")
    assert response.status_code in ((201,) if allowed else (400, 403))  # out of scope: the unit "does not exist"
    assert Contest.objects.exists() == allowed


def test_a_commune_officer_creates_a_contest_for_the_commune_only(tree):
    officer = make_user("commune_officer", tree.new_xuan_ai)
    client = api_client(officer)
    assert client.post("/api/v1/contests/", contest_body(tree.new_xuan_ai), format="json").status_code == 201
    assert client.post("/api/v1/contests/", contest_body(tree.new_khanh_hoa), format="json").status_code == 400
    assert Contest.objects.count() == 1


def test_officials_of_listed_organisations_only(tree):
    stock_bank(tree.lao_cai, count=3)
    committee = Organisation.objects.create(name="UBND xã Xuân Ái", kind="peoples_committee", unit=tree.new_xuan_ai)
    other = Organisation.objects.create(name="UBND xã Khánh Hòa", kind="peoples_committee", unit=tree.new_khanh_hoa)
    contest = make_contest(tree.lao_cai, eligibility=Eligibility.OFFICIALS)
    contest.eligible_organisations.set([committee])
    official = make_user("commune_officer", tree.new_xuan_ai, organisation=committee)
    outsider = make_user("commune_officer", tree.new_khanh_hoa, organisation=other)
    assert api_client(official).post(f"/api/v1/contests/{contest.pk}/attempts/").status_code == 201
    assert api_client(outsider).post(f"/api/v1/contests/{contest.pk}/attempts/").status_code == 403
    assert api_client(make_user()).post(f"/api/v1/contests/{contest.pk}/attempts/").status_code == 403
    assert Attempt.objects.count() == 1


def test_residents_of_listed_units_including_before_the_reform(tree):
    stock_bank(tree.lao_cai, count=3)
    contest = make_contest(tree.lao_cai, eligibility=Eligibility.RESIDENTS)
    contest.eligible_units.set([tree.new_xuan_ai])
    resident = make_user("citizen", tree.new_khe_dua)
    old_resident = make_user("citizen", tree.dong_tam)  # a village of Yên Hợp, merged into Xuân Ái
    stranger = make_user("citizen", tree.khuoi_vai)
    for user, status in ((resident, 201), (old_resident, 201), (stranger, 403)):
        assert api_client(user).post(f"/api/v1/contests/{contest.pk}/attempts/").status_code == status


def test_an_unpublished_contest_is_invisible_to_citizens(tree):
    stock_bank(tree.lao_cai, count=3)
    contest = make_contest(tree.lao_cai, published=False)
    citizen = api_client(make_user("citizen", tree.new_khe_dua))
    assert citizen.get("/api/v1/contests/").json()["count"] == 0
    assert citizen.post(f"/api/v1/contests/{contest.pk}/attempts/").status_code == 404


def finish_with(user, contest, correct, seconds):
    client = api_client(user)
    attempt = client.post(f"/api/v1/contests/{contest.pk}/attempts/").json()
    answers = {str(q["id"]): (0 if index < correct else 1) for index, q in enumerate(attempt["questions"])}
    client.put(f"/api/v1/attempts/{attempt['id']}/answers/", {"answers": answers}, format="json")
    client.post(f"/api/v1/attempts/{attempt['id']}/finish/")
    row = Attempt.objects.get(pk=attempt["id"])
    Attempt.objects.filter(pk=row.pk).update(finished_at=row.started_at + datetime.timedelta(seconds=seconds))
    from tinhso.learning.services import refresh_participation

    refresh_participation(contest, user.pk)


def test_the_leaderboard_ranks_by_grade_then_time_and_filters_by_commune(tree):
    stock_bank(tree.lao_cai, count=3)
    contest = make_contest(tree.lao_cai)
    fast = make_user("citizen", tree.new_khe_dua, full_name="Nguyễn Văn Nhanh")
    slow = make_user("citizen", tree.new_khe_dua, full_name="Trần Thị Chậm")
    weak = make_user("citizen", tree.new_khanh_hoa, full_name="Lò Văn Yếu")
    finish_with(slow, contest, 3, 300)
    finish_with(fast, contest, 3, 100)
    finish_with(weak, contest, 1, 50)
    client = api_client(weak)
    rows = client.get(f"/api/v1/contests/{contest.pk}/leaderboard/").json()["results"]
    assert [(r["rank"], r["name"]) for r in rows] == [(1, "Nguyễn Văn Nhanh"), (2, "Trần Thị Chậm"), (3, "Lò Văn Yếu")]
    commune = client.get(f"/api/v1/contests/{contest.pk}/leaderboard/?within=04441").json()["results"]
    assert [r["name"] for r in commune] == ["Nguyễn Văn Nhanh", "Trần Thị Chậm"]
    assert client.get(f"/api/v1/contests/{contest.pk}/leaderboard/?within=nothing").status_code == 404
    assert client.get(f"/api/v1/contests/{contest.pk}/leaderboard/?organisation=abc").status_code == 404


def test_a_pool_at_a_level_the_framework_does_not_hold_is_refused_and_nothing_is_saved(tree):
    from tinhso.learning.models import CompetenceLevel

    CompetenceLevel.objects.filter(number__gt=6).delete()
    client = api_client(make_user("dx_centre_staff", tree.lao_cai))
    pools = [{"topic": "", "domain": 4, "level": 7, "count": 5}]
    response = client.post("/api/v1/contests/", contest_body(tree.lao_cai, pools=pools), format="json")
    assert response.status_code == 400 and "Chọn một bậc của khung năng lực số" in response.content.decode()
    assert not Contest.objects.exists()
    pools = [{"topic": "", "domain": 4, "level": 6, "count": 5}]
    assert client.post("/api/v1/contests/", contest_body(tree.lao_cai, pools=pools), format="json").status_code == 201


def test_the_leaderboard_by_organisation_lists_its_officials_only(tree):
    stock_bank(tree.lao_cai, count=3)
    committee = Organisation.objects.create(name="UBND xã Xuân Ái", kind="peoples_committee", unit=tree.new_xuan_ai)
    other = Organisation.objects.create(name="UBND xã Khánh Hòa", kind="peoples_committee", unit=tree.new_khanh_hoa)
    contest = make_contest(tree.lao_cai)
    finish_with(
        make_user("commune_officer", tree.new_xuan_ai, organisation=committee, full_name="Cán bộ A"), contest, 2, 90
    )
    finish_with(
        make_user("commune_officer", tree.new_xuan_ai, organisation=committee, full_name="Cán bộ B"), contest, 3, 200
    )
    finish_with(
        make_user("commune_officer", tree.new_khanh_hoa, organisation=other, full_name="Cán bộ C"), contest, 3, 50
    )
    client = api_client(make_user("citizen", tree.new_khe_dua))
    rows = client.get(f"/api/v1/contests/{contest.pk}/leaderboard/?organisation={committee.pk}").json()["results"]
    assert [(row["rank"], row["name"], row["organisation"]) for row in rows] == [
        (1, "Cán bộ B", "UBND xã Xuân Ái"),
        (2, "Cán bộ A", "UBND xã Xuân Ái"),
    ]
    assert client.get(f"/api/v1/contests/{contest.pk}/leaderboard/?organisation=999999").status_code == 404
