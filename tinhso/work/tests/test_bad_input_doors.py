"""The issue's bad input, through the page as well as the API (docs/work.md, "Bad input"): a due date before
the assignment, a negative or non-numeric quantity, accepting one's own work, approving a month that is not
complete, a grade above what the score allows without a recorded decision, a quota breach — each a clear
Vietnamese error, nothing changed. (The API side of the first three is in test_items.)"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone

from tinhso.core.context import acting_as
from tinhso.core.models import ObjectChange
from tinhso.core.testing import api_client, web_client
from tinhso.work import evaluation, services
from tinhso.work.models import MonthlyReview, ReviewEvent, WorkItem, YearGrade

from .conftest import assign, finish, staff
from .test_workflow import FULL, MARCH

pytestmark = pytest.mark.django_db


def said(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def work_state() -> tuple:
    items = WorkItem.objects.values_list("pk", "status", "quality", "quantity", "due_date")
    return list(items), ObjectChange.objects.count()


# --- giving work ---------------------------------------------------------------------------------


def new_item(world, **change):
    return {
        "title": "Rà soát hộ nghèo",
        "assignee": world.officer.pk,
        "due_date": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        "quantity": "2",
        "priority": "normal",
        **change,
    }


@pytest.mark.parametrize(
    "change, words",
    [
        ({"due_date": "2020-01-01"}, "trước"),  # before today's assignment
        ({"quantity": "-3"}, "lớn hơn hoặc bằng"),
        ({"quantity": "ba"}, "Nhập một số"),
        ({"quantity": "NaN"}, "Nhập một số"),
        ({"quantity": "Infinity"}, "Nhập một số"),
    ],
)
def test_the_assign_page_refuses_bad_work_in_vietnamese_and_saves_nothing(world, change, words):
    before = work_state()
    page = web_client(world.chairman.user).post("/work/new/", new_item(world, **change), HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200  # the form again, with its error
    assert words in page.content.decode(), page.content.decode()[-3000:]
    assert work_state() == before


def test_the_assign_page_gives_good_work(world):
    page = web_client(world.chairman.user).post("/work/new/", new_item(world))
    assert page.status_code == 302
    assert WorkItem.objects.get().assignee == world.officer.user


def test_accepting_ones_own_work_from_the_page_is_refused_and_changes_nothing(world):
    with acting_as(None, source="test"):
        item = assign(world, world.officer, actor=world.officer.user)
        services.submit(item, actor=world.officer.user)
    client = web_client(world.officer.user)
    assert "Nghiệm thu" not in client.get(f"/work/{item.pk}/").content.decode()  # no button for it
    before = work_state()
    answer = client.post(f"/work/{item.pk}/accept/", {"quality": "excellent"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert answer.status_code == 302
    assert "của chính mình" in said(answer)
    assert work_state() == before


# --- the month's approval ------------------------------------------------------------------------


@pytest.fixture
def review(world):
    with acting_as(None, source="test"):
        finish(world, assign(world), quality="good")
    evaluation.score_month([world.officer], MARCH)
    review = MonthlyReview.objects.get(staff=world.officer, period=MARCH)
    evaluation.self_assess(review, actor=world.officer.user, points=FULL)
    return review


def month_state() -> tuple:
    return list(MonthlyReview.objects.values_list("status", "approved_by")), ReviewEvent.objects.count()


def test_approving_a_month_that_is_not_complete_from_the_page_is_refused(world, review):
    before = month_state()
    answer = web_client(world.chairman.user).post(
        f"/work/evaluations/{world.officer.pk}/{MARCH}/approve/", HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert answer.status_code == 302
    assert "chưa hoàn tất" in said(answer) or "chưa đủ" in said(answer) or "trước" in said(answer), said(answer)
    assert month_state() == before


def test_approving_a_month_that_is_not_complete_through_the_api_is_a_400(world, review):
    before = month_state()
    answer = api_client(world.chairman.user).post(
        "/api/v1/evaluations/approve/", {"person": world.officer.user_id, "period": "2026-03"}, format="json"
    )
    assert answer.status_code == 400, answer.content
    assert month_state() == before


# --- the year's grade ----------------------------------------------------------------------------


def give_year(world, member, score: str, grade: str) -> YearGrade:
    return YearGrade.objects.create(
        staff=member, year=2026, score=Decimal(score), months=12, proposed_grade=grade, grade=grade
    )


def grade_state() -> tuple:
    grades = YearGrade.objects.order_by("pk").values_list("grade", "decision", "is_decided")
    return list(grades), ReviewEvent.objects.count()


def test_a_grade_above_the_score_without_a_decision_is_refused_on_the_page_and_the_api(world):
    grade = give_year(world, world.officer, "69.99", "done")
    before = grade_state()
    page = web_client(world.chairman.user).post(
        f"/work/evaluations/{world.officer.pk}/2026/grade/",
        {"grade": "good", "decision": ""},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert page.status_code == 302 and "quyết định" in said(page), said(page)
    answer = api_client(world.chairman.user).post(
        "/api/v1/evaluations/grade/", {"person": world.officer.user_id, "year": 2026, "grade": "good"}, format="json"
    )
    assert answer.status_code == 400 and "decision" in answer.json()
    assert grade_state() == before
    # With the decision recorded, it goes through (and is in the trail).
    done = api_client(world.chairman.user).post(
        "/api/v1/evaluations/grade/",
        {"person": world.officer.user_id, "year": 2026, "grade": "good", "decision": "12/QĐ-UBND ngày 20/12/2026"},
        format="json",
    )
    assert done.status_code == 200 and done.json()["grade"] == "good"
    grade.refresh_from_db()
    assert (grade.grade, grade.is_decided) == ("good", True)


def test_an_excellent_beyond_the_quota_without_a_decision_is_refused_on_the_page_and_the_api(world):
    members = [staff(world.committee, world.tree.xuan_ai, f"cb{i}", manager=world.chairman) for i in range(4)]
    for member in members:
        give_year(world, member, "80", "good")
    give_year(world, world.colleague, "95", "excellent")
    give_year(world, world.officer, "93", "good")  # 6 good or above → 1 excellent allowed, taken already
    before = grade_state()
    page = web_client(world.chairman.user).post(
        f"/work/evaluations/{world.officer.pk}/2026/grade/", {"grade": "excellent"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert page.status_code == 302 and "tỷ lệ" in said(page), said(page)
    answer = api_client(world.chairman.user).post(
        "/api/v1/evaluations/grade/",
        {"person": world.officer.user_id, "year": 2026, "grade": "excellent"},
        format="json",
    )
    assert answer.status_code == 400 and "decision" in answer.json()
    assert grade_state() == before


@pytest.mark.parametrize("who", ["officer", "deputy", "personnel"])
def test_only_the_head_decides_a_grade(world, who):
    give_year(world, world.officer, "85", "good")
    before = grade_state()
    answer = api_client(getattr(world, who).user).post(
        "/api/v1/evaluations/grade/",
        {"person": world.officer.user_id, "year": 2026, "grade": "good", "decision": "1/QĐ"},
        format="json",
    )
    assert answer.status_code == 403
    page = web_client(getattr(world, who).user).post(
        f"/work/evaluations/{world.officer.pk}/2026/grade/", {"grade": "good", "decision": "1/QĐ"}
    )
    assert page.status_code == 302
    assert grade_state() == before


@pytest.mark.parametrize("who", ["colleague", "stranger"])
def test_outside_the_scores_scope_the_grade_and_the_month_are_not_there(world, review, who):
    give_year(world, world.officer, "85", "good")
    client = api_client(getattr(world, who).user)
    before = grade_state(), month_state()
    data = {"person": world.officer.user_id, "year": 2026, "grade": "good", "decision": "1/QĐ"}
    assert client.post("/api/v1/evaluations/grade/", data, format="json").status_code == 404
    month = {"person": world.officer.user_id, "period": "2026-03"}
    assert client.post("/api/v1/evaluations/approve/", month, format="json").status_code == 404
    url = f"/work/evaluations/{world.officer.pk}/2026/grade/"
    assert web_client(getattr(world, who).user).post(url, {"grade": "good"}).status_code == 404
    assert (grade_state(), month_state()) == before


@pytest.mark.parametrize(
    "data",
    [
        {"year": 2026, "grade": "best"},
        {"year": "9" * 30, "grade": "good"},
        {"year": 2026, "grade": "good", "decision": "x" * 500},
        {"year": 2026, "grade": "good", "decision": "1/QĐ\x00"},
        {"year": 2026, "grade": {"nested": ["good"]}},
        {"year": 2031, "grade": "good", "decision": "1/QĐ"},  # no grade of that year
    ],
)
def test_a_hostile_grade_decision_is_a_4xx_and_changes_nothing(world, data):
    give_year(world, world.officer, "85", "good")
    before = grade_state()
    answer = api_client(world.chairman.user).post(
        "/api/v1/evaluations/grade/", {"person": world.officer.user_id, **data}, format="json"
    )
    assert 400 <= answer.status_code < 500, answer.content
    assert grade_state() == before


def test_the_year_page_offers_the_grade_decision_to_the_head_only(world):
    give_year(world, world.officer, "85", "good")
    url = f"/work/evaluations/{world.officer.pk}/2026/"
    form = f"/work/evaluations/{world.officer.pk}/2026/grade/"
    assert form in web_client(world.chairman.user).get(url).content.decode()
    for who in ("officer", "deputy", "personnel"):
        page = web_client(getattr(world, who).user).get(url)
        assert page.status_code == 200 and form not in page.content.decode()
