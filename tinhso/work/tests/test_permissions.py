"""Every demo role × every action on a Xuân Ái work item and an official's score: refusals change nothing."""

import datetime

import pytest

from tinhso.accounts.roles import Role
from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client, web_client
from tinhso.work import evaluation
from tinhso.work.models import WorkComment, WorkItem

from .conftest import assign

pytestmark = pytest.mark.django_db

PLACE = {
    Role.PROVINCE_ADMIN: "yen_bai",
    Role.DX_CENTRE_STAFF: "yen_bai",
    Role.DEPARTMENT_STAFF: "yen_bai",
    Role.DISTRICT_OFFICER: "van_yen",
    Role.COMMUNE_OFFICER: "xuan_ai",
    Role.VILLAGE_TEAM_LEADER: "khe_dua",
    Role.PARTY_CELL_SECRETARY: "na_hau",
    Role.CITIZEN: "xuan_ai",
}
SEES_THE_ITEM = {Role.PROVINCE_ADMIN, Role.DX_CENTRE_STAFF, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER}
ACTIONS = {
    "submit": ("submit/", {}),
    "accept": ("accept/", {"quality": "excellent"}),
    "return": ("return/", {"reason": "Làm lại"}),
    "progress": ("progress/", {"progress": 50}),
}


def snapshot(item):
    item = WorkItem.objects.get(pk=item.pk)
    return (item.status, item.progress, item.quality, item.return_reason, WorkComment.objects.count())


def role_user(world, role):
    return make_user(role, getattr(world.tree, PLACE[role]), include_descendants=role != Role.CITIZEN)


@pytest.mark.parametrize("role", list(Role))
def test_a_role_alone_sees_only_its_units_work_and_acts_on_none_of_it(world, role):
    item = assign(world)
    user = role_user(world, role)
    client = api_client(user)
    listing = client.get("/api/v1/work/")
    listed = [row["id"] for row in listing.json().get("results", [])] if listing.status_code == 200 else []
    assert (item.pk in listed) == (role in SEES_THE_ITEM)
    # Out of scope: 404; a role the module grants nothing at all: 403.
    assert client.get(f"/api/v1/work/{item.pk}/").status_code in ((200,) if role in SEES_THE_ITEM else (403, 404))
    for path, data in ACTIONS.values():
        before = snapshot(item)
        answer = client.post(f"/api/v1/work/{item.pk}/{path}", data, format="json")
        assert answer.status_code in (403, 404)
        assert snapshot(item) == before
    count = WorkItem.objects.count()
    answer = client.post(
        "/api/v1/work/",
        {"title": "Việc lạ", "assignee": world.officer.user.pk, "due_date": "2026-03-30"},
        format="json",
    )
    assert answer.status_code in (400, 403)
    assert WorkItem.objects.count() == count


@pytest.mark.parametrize(
    "who, action, allowed",
    [
        ("officer", "submit", True),
        ("officer", "progress", True),
        ("officer", "accept", False),
        ("colleague", "submit", False),
        ("colleague", "accept", False),
        ("deputy", "submit", False),
        ("deputy", "accept", True),
        ("chairman", "accept", True),
        ("chairman", "return", True),
        ("personnel", "accept", False),
        ("stranger", "accept", False),
    ],
)
def test_staff_members_act_only_on_what_is_theirs(world, who, action, allowed):
    item = assign(world)
    if action in ("accept", "return"):
        api_client(world.officer.user).post(f"/api/v1/work/{item.pk}/submit/", {}, format="json")
    before = snapshot(item)
    path, data = ACTIONS[action]
    answer = api_client(getattr(world, who).user).post(f"/api/v1/work/{item.pk}/{path}", data, format="json")
    if allowed:
        assert answer.status_code == 200
    else:
        assert answer.status_code in (403, 404)
        assert snapshot(item) == before


VIEWERS = {"officer": 200, "deputy": 200, "chairman": 200, "personnel": 200, "colleague": 404, "stranger": 404}


@pytest.mark.parametrize("who, expected", VIEWERS.items())
def test_an_officials_score_is_seen_by_herself_her_line_and_personnel_only(world, who, expected):
    evaluation.score_month([world.officer], "202603")
    user = getattr(world, who).user
    answer = api_client(user).get("/api/v1/evaluations/", {"person": world.officer.user.pk, "period": "2026-03"})
    assert answer.status_code == expected
    page = web_client(user).get(f"/work/evaluations/{world.officer.pk}/202603/")
    assert page.status_code == expected
    assert web_client(user).get(f"/work/dossier/{world.officer.pk}/2026.pdf").status_code == expected


@pytest.mark.parametrize("role", list(Role))
def test_no_role_alone_sees_anyones_score_not_even_in_the_shared_scoring_pages(world, role):
    evaluation.score_month([world.officer], "202603")
    user = role_user(world, role)
    client = api_client(user)
    answer = client.get("/api/v1/evaluations/", {"person": world.officer.user.pk, "period": "2026-03"})
    assert answer.status_code == 404
    shared = client.get("/api/v1/scoring/evaluations/")
    assert all(row.get("subject_label") != str(world.officer) for row in shared.json().get("results", []))
    review = world.officer.monthly_reviews.get()
    assert web_client(user).get(f"/scoring/evaluations/{review.evaluation_id}/").status_code == 404


def test_anonymous_callers_are_refused(world):
    assert api_client().get("/api/v1/work/").status_code in (401, 403)
    assert api_client().get("/api/v1/evaluations/", {"person": 1, "period": "2026"}).status_code in (401, 403, 404)


@pytest.mark.parametrize(
    "data",
    [
        {"title": "x" * 400, "due_date": "2026-03-30"},
        {"title": "Việc", "due_date": "2026-02-30"},
        {"title": "Việc", "due_date": "2026-03-30", "priority": "siêu gấp"},
        {"title": "Việc", "due_date": "2026-03-30", "quantity": "1e999999"},
        {"title": "Việc", "due_date": "2026-03-30", "product": "abc"},
        {"title": "", "due_date": "2026-03-30"},
    ],
)
def test_hostile_input_ends_in_a_400(world, data):
    answer = api_client(world.chairman.user).post(
        "/api/v1/work/", {"assignee": world.officer.user.pk, **data}, format="json"
    )
    assert answer.status_code == 400
    assert WorkItem.objects.count() == 0


def test_a_due_date_far_ahead_is_fine(world):
    item = assign(world, due=datetime.date(2026, 12, 31))
    assert item.pk
