"""The appeals and dashboard API (`/api/v1/work/appeals/`, `/api/v1/work/dashboard/`): the same services and
the same privacy as the pages; hostile input ends in a 4xx with nothing written."""

from decimal import Decimal

import pytest

from tinhso.core.testing import api_client
from tinhso.work.models import Appeal, MonthlyReview, WorkItem, YearGrade

from . import test_appeals, test_dashboard
from .conftest import assign
from .test_appeals import MARCH, state

approved, march = test_appeals.approved, test_dashboard.march  # their fixtures

pytestmark = pytest.mark.django_db


def file(world, period="2026-03", reason="Chấm thiếu tiêu chí B"):
    return api_client(world.officer.user).post(
        "/api/v1/work/appeals/", {"period": period, "reason": reason}, format="json"
    )


def test_the_official_files_an_appeal_and_the_head_finds_it_to_decide(world, approved):
    answer = file(world)
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["person"], body["period"], body["status"], body["may_decide"]) == (
        world.officer.user_id,
        MARCH,
        "pending",
        False,
    )
    assert body["period_label"] == "Tháng 3/2026"
    mine = api_client(world.officer.user).get("/api/v1/work/appeals/", {"mine": "true"}).json()["results"]
    assert [a["id"] for a in mine] == [body["id"]]
    head = api_client(world.chairman.user)
    assert head.get("/api/v1/work/appeals/", {"mine": "true"}).json()["results"] == []
    waiting = head.get("/api/v1/work/appeals/", {"to_decide": "true"}).json()["results"]
    assert [(a["id"], a["may_decide"]) for a in waiting] == [(body["id"], True)]
    # The deputy sees it (it is about someone in her line) but does not decide it.
    deputy = api_client(world.deputy.user)
    assert deputy.get(f"/api/v1/work/appeals/{body['id']}/").status_code == 200
    assert deputy.get("/api/v1/work/appeals/", {"to_decide": "true"}).json()["results"] == []


def test_accepting_through_the_api_reopens_the_month_and_the_official_is_told(world, approved):
    appeal = file(world).json()
    answer = api_client(world.chairman.user).post(
        f"/api/v1/work/appeals/{appeal['id']}/decide/",
        {"outcome": "accept", "answer": "Chấm lại tiêu chí B"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert (answer.json()["status"], answer.json()["answer"]) == ("accepted", "Chấm lại tiêu chí B")
    assert not MonthlyReview.objects.get(staff=world.officer, period=MARCH).is_frozen
    listed = api_client(world.officer.user).get("/api/v1/work/appeals/", {"status": "accepted"}).json()["results"]
    assert [a["id"] for a in listed] == [appeal["id"]]


def test_a_year_appeal_needs_the_new_grade(world):
    YearGrade.objects.create(staff=world.officer, year=2026, score=Decimal("85"), months=12, grade="good")
    appeal = file(world, period="2026", reason="Có sáng kiến").json()
    head = api_client(world.chairman.user)
    before = state()
    refused = head.post(
        f"/api/v1/work/appeals/{appeal['id']}/decide/", {"outcome": "accept", "answer": "Đồng ý"}, format="json"
    )
    assert refused.status_code == 400 and "grade" in refused.json()
    assert state() == before
    done = head.post(
        f"/api/v1/work/appeals/{appeal['id']}/decide/",
        {"outcome": "accept", "answer": "Đồng ý", "grade": "excellent"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["new_grade"] == "excellent"
    assert YearGrade.objects.get(staff=world.officer).grade == "excellent"


@pytest.mark.parametrize("who", ["officer", "deputy", "personnel"])
def test_deciding_is_the_heads_and_a_refusal_changes_nothing(world, approved, who):
    appeal = file(world).json()
    before = state()
    answer = api_client(getattr(world, who).user).post(
        f"/api/v1/work/appeals/{appeal['id']}/decide/", {"outcome": "accept", "answer": "Được"}, format="json"
    )
    assert answer.status_code == 403
    assert "trưởng" in str(answer.json()) or "chính mình" in str(answer.json()) or answer.json()["detail"]
    assert state() == before


@pytest.mark.parametrize("who", ["colleague", "stranger"])
def test_outside_the_scores_scope_an_appeal_is_not_there(world, approved, who):
    appeal = file(world).json()
    client = api_client(getattr(world, who).user)
    assert client.get(f"/api/v1/work/appeals/{appeal['id']}/").status_code == 404
    assert client.get("/api/v1/work/appeals/").json()["results"] == []
    before = state()
    answer = client.post(
        f"/api/v1/work/appeals/{appeal['id']}/decide/", {"outcome": "reject", "answer": "Không"}, format="json"
    )
    assert answer.status_code == 404
    assert state() == before


def test_the_dashboard_counts_what_was_due_and_shows_the_heads_quota(march):
    answer = api_client(march.chairman.user).get("/api/v1/work/dashboard/", {"month": "2026-03"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["period"]["code"] == "202603"
    row = body["rows"][0]
    assert (row["name"], row["total"], row["accepted"], row["on_time"]) == ("UBND xã Xuân Ái", 3, 2, 1)
    assert (row["done_percent"], row["on_time_percent"]) == ("66.7", "33.3")
    assert (row["grades"], row["allowed_excellent"]) == ({}, None)  # the head sees them; none graded yet
    assert body["total"]["total"] == 3


def test_the_dashboard_drills_down_by_unit_and_into_a_body(march):
    client = api_client(march.chairman.user)
    narrowed = client.get("/api/v1/work/dashboard/", {"year": "2026", "unit": march.tree.xuan_ai.pk}).json()
    assert [u["name"] for u in narrowed["trail"]][-1] == march.tree.xuan_ai.name
    assert [r["organisation"] for r in narrowed["rows"]] == [march.committee.pk]
    body = client.get(f"/api/v1/work/dashboard/{march.committee.pk}/", {"month": "2026-03"}).json()
    people = {r["staff"]: r for r in body["rows"]}
    assert people[march.officer.pk]["sees_scores"] is True
    assert len(people[march.officer.pk]["quarters"]) == 4


def test_a_colleague_sees_the_bodys_work_but_no_grade_and_no_distribution(march):
    YearGrade.objects.create(staff=march.officer, year=2026, score=Decimal(93), months=12, grade="excellent")
    client = api_client(march.colleague.user)
    top = client.get("/api/v1/work/dashboard/", {"year": "2026"}).json()
    assert top["rows"][0]["grades"] is None and top["rows"][0]["quota_breached"] is None
    body = client.get(f"/api/v1/work/dashboard/{march.committee.pk}/", {"year": "2026"}).json()
    officer = next(r for r in body["rows"] if r["staff"] == march.officer.pk)
    assert (officer["sees_scores"], officer["quarters"], officer["year_grade"]) == (False, None, None)
    assert "excellent" not in str(body)


def test_another_communes_unit_and_body_are_404(march):
    client = api_client(march.officer.user)
    assert client.get("/api/v1/work/dashboard/", {"unit": march.tree.khanh_hoa.pk}).status_code == 404
    assert client.get(f"/api/v1/work/dashboard/{march.other_body.pk}/").status_code == 404


# --- the fixed names still answer where they did --------------------------------------------------


def test_the_work_items_routes_are_untouched_by_the_new_ones(world):
    item = assign(world)
    client = api_client(world.chairman.user)
    assert client.get(f"/api/v1/work/{item.pk}/").json()["id"] == item.pk
    listed = client.get("/api/v1/work/", {"assignee": world.officer.user_id, "status": "assigned"}).json()
    assert [row["id"] for row in listed["results"]] == [item.pk]
    assert client.get("/api/v1/work/", {"overdue": "false", "due_before": "2026-12-31"}).status_code == 200
    assert client.get("/api/v1/work/appeals/").status_code == 200
    assert client.get("/api/v1/work/dashboard/").status_code == 200
    assert client.get("/api/v1/evaluations/", {"person": world.officer.user_id, "period": "2026"}).status_code == 200


# --- hostile input ------------------------------------------------------------------------------

HUGE = "9" * 40
DEEP = '{"a":' * 50 + "1" + "}" * 50


@pytest.mark.parametrize(
    "body",
    [
        {"period": "2026-03\x00", "reason": "Chấm thiếu"},
        {"period": "2026-03", "reason": "Chấm\x00 thiếu"},
        {"period": HUGE, "reason": "Chấm thiếu"},
        {"period": {"a": {"b": [1, 2]}}, "reason": "Chấm thiếu"},
        {"period": "2026-03", "reason": ["Chấm", "thiếu"]},
        {"period": "2026-03", "reason": "x" * 6000},
        {"period": "2026-03"},
        {"period": "2026-03", "reason": "\u202e\u200b"},
        {"period": "2026-04", "reason": "Chưa có điểm"},
    ],
)
def test_a_hostile_appeal_is_a_400_and_files_nothing(world, approved, body):
    before = state()
    answer = api_client(world.officer.user).post("/api/v1/work/appeals/", body, format="json")
    assert answer.status_code == 400, answer.content
    assert state() == before


@pytest.mark.parametrize(
    "raw",
    [DEEP, "[1, 2]", '"chỉ một chuỗi"', "{"],
)
def test_a_body_that_is_not_an_object_is_a_400(world, approved, raw):
    before = state()
    answer = api_client(world.officer.user).post("/api/v1/work/appeals/", raw, content_type="application/json")
    assert 400 <= answer.status_code < 500
    assert state() == before


@pytest.mark.parametrize(
    "body",
    [
        {"outcome": "accept", "answer": "Được\x00"},
        {"outcome": "maybe", "answer": "Được"},
        {"outcome": {"nested": True}, "answer": "Được"},
        {"outcome": "accept", "answer": ""},
        {"outcome": "accept", "answer": "x" * 6000},
        {"outcome": "accept", "answer": "Được", "grade": "x" * 100},
    ],
)
def test_a_hostile_decision_is_a_400_and_changes_nothing(world, approved, body):
    appeal = file(world).json()
    before = state()
    answer = api_client(world.chairman.user).post(f"/api/v1/work/appeals/{appeal['id']}/decide/", body, format="json")
    assert answer.status_code == 400, answer.content
    assert state() == before


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/work/appeals/{HUGE}/",
        f"/api/v1/work/appeals/{HUGE}/decide/",
        f"/api/v1/work/dashboard/{HUGE}/",
        f"/api/v1/work/dashboard/?unit={HUGE}",
        "/api/v1/work/dashboard/?unit=-1",
        "/api/v1/work/dashboard/?unit=%00",
        "/api/v1/work/dashboard/?year=99999",
        "/api/v1/work/dashboard/?year=2026%00",
        "/api/v1/work/dashboard/?month=2026-13",
        "/api/v1/work/dashboard/?month=abc",
        "/api/v1/work/appeals/?period=abc",
        "/api/v1/work/appeals/?status=lost",
        "/api/v1/work/appeals/?mine=perhaps",
        f"/api/v1/work/appeals/?page={HUGE}",
    ],
)
def test_hostile_addresses_are_a_4xx_never_a_500(world, approved, url):
    client = api_client(world.chairman.user)
    answer = (
        client.post(url, {"outcome": "accept", "answer": "Được"}, format="json") if "decide" in url else client.get(url)
    )
    assert 400 <= answer.status_code < 500, (url, answer.status_code)


def test_no_write_through_put_patch_or_delete(world, approved):
    appeal = file(world).json()
    client = api_client(world.chairman.user)
    before = state()
    for method in (client.put, client.patch, client.delete):
        assert method(f"/api/v1/work/appeals/{appeal['id']}/", {"status": "accepted"}, format="json").status_code == 405
    assert state() == before


def test_the_items_of_the_month_stay_as_they_were_through_an_appeal(world, approved):
    """Appealing writes no work item (the appeal reopens the month; it does not touch the work)."""
    items = list(WorkItem.objects.values_list("status", "quality"))
    file(world)
    assert list(WorkItem.objects.values_list("status", "quality")) == items
    assert Appeal.objects.count() == 1
