"""Appeals: the official appeals a month, quarter or year; the head decides; accepting re-evaluates through
the audited paths (reopen, the year's decision); both sides are told; every refusal changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tinhso.accounts.roles import Role
from tinhso.core.context import acting_as
from tinhso.core.models import Message
from tinhso.core.testing import web_client
from tinhso.work import appeals, evaluation
from tinhso.work.models import Appeal, MonthlyReview, ReviewEvent, YearGrade

from .conftest import assign, finish
from .test_permissions import role_user
from .test_workflow import complete

pytestmark = pytest.mark.django_db
MARCH = "202603"
APRIL = datetime.date(2026, 4, 2)


@pytest.fixture
def approved(world):
    with acting_as(None, source="test"):
        finish(world, assign(world), quality="good")
    evaluation.score_month([world.officer], MARCH)
    review = MonthlyReview.objects.get(staff=world.officer, period=MARCH)
    complete(world, review)
    return evaluation.approve(review, actor=world.chairman.user, today=APRIL)


def state():
    return (
        list(Appeal.objects.values_list("status", "answer", "new_grade")),
        list(MonthlyReview.objects.values_list("status", flat=True)),
        list(YearGrade.objects.values_list("grade", "decision")),
        ReviewEvent.objects.count(),
        Message.objects.count(),
    )


def test_the_official_appeals_her_month_and_the_head_is_told(world, approved):
    appeal = appeals.file_appeal(world.officer, actor=world.officer.user, period="2026-03", reason="Chất lượng tốt")
    assert (appeal.period, appeal.status) == (MARCH, "pending")
    assert ReviewEvent.objects.filter(staff=world.officer, period=MARCH, step="appeal").exists()
    told = Message.objects.filter(kind="work.appeal_filed")
    assert [m.recipient_id for m in told] == [world.chairman.user.pk]
    assert told.get().url == f"/work/appeals/{appeal.pk}/"


@pytest.mark.parametrize(
    "who, period, reason, error",
    [
        ("deputy", MARCH, "Thay mặt", PermissionDenied),
        ("chairman", MARCH, "Thay mặt", PermissionDenied),
        ("officer", "202604", "Chưa có điểm", ValidationError),
        ("officer", "2026S1", "Nửa năm", ValidationError),
        ("officer", "tháng ba", "Sai kỳ", ValidationError),
        ("officer", MARCH, "   ", ValidationError),
        ("officer", MARCH, "Lý do\u202e ẩn", ValidationError),
        ("officer", MARCH, "x" * 5001, ValidationError),
    ],
)
def test_a_bad_appeal_is_refused_and_writes_nothing(world, approved, who, period, reason, error):
    before = state()
    with pytest.raises(error):
        appeals.file_appeal(world.officer, actor=getattr(world, who).user, period=period, reason=reason)
    assert state() == before


def test_one_appeal_of_a_period_waits_at_a_time(world, approved):
    appeals.file_appeal(world.officer, actor=world.officer.user, period=MARCH, reason="Lần một")
    before = state()
    with pytest.raises(ValidationError):
        appeals.file_appeal(world.officer, actor=world.officer.user, period=MARCH, reason="Lần hai")
    assert state() == before


def test_accepting_reopens_the_frozen_month_audited_and_tells_the_official(world, approved):
    appeal = appeals.file_appeal(world.officer, actor=world.officer.user, period=MARCH, reason="Chấm thiếu")
    appeals.decide_appeal(appeal, actor=world.chairman.user, accept=True, answer="Chấm lại tiêu chí B")
    appeal.refresh_from_db()
    review = MonthlyReview.objects.get(staff=world.officer, period=MARCH)
    assert appeal.status == "accepted" and appeal.decided_by == world.chairman.user
    assert not review.is_frozen and review.evaluation.status != "verified"
    steps = list(ReviewEvent.objects.filter(staff=world.officer, period=MARCH).values_list("step", flat=True))
    assert steps[-3:] == ["appeal", "reopen", "appeal_decided"]
    assert f" {appeal.pk}: Chấm lại tiêu chí B" in ReviewEvent.objects.get(staff=world.officer, step="reopen").note
    told = Message.objects.get(kind="work.appeal_decided")
    assert told.recipient == world.officer.user


def test_rejecting_changes_no_score(world, approved):
    appeal = appeals.file_appeal(world.officer, actor=world.officer.user, period=MARCH, reason="Chấm thiếu")
    appeals.decide_appeal(appeal, actor=world.chairman.user, accept=False, answer="Đúng quy định")
    assert MonthlyReview.objects.get(staff=world.officer, period=MARCH).is_frozen
    assert Appeal.objects.get().status == "rejected"
    with pytest.raises(ValidationError):  # decided once
        appeals.decide_appeal(appeal, actor=world.chairman.user, accept=True, answer="Đổi ý")


@pytest.mark.parametrize("who", ["officer", "deputy", "personnel", "colleague", "stranger"])
def test_only_the_head_decides(world, approved, who):
    appeal = appeals.file_appeal(world.officer, actor=world.officer.user, period=MARCH, reason="Chấm thiếu")
    before = state()
    with pytest.raises(PermissionDenied):
        appeals.decide_appeal(appeal, actor=getattr(world, who).user, accept=True, answer="Chấp nhận")
    assert state() == before


def test_an_answer_is_required(world, approved):
    appeal = appeals.file_appeal(world.officer, actor=world.officer.user, period=MARCH, reason="Chấm thiếu")
    before = state()
    with pytest.raises(ValidationError):
        appeals.decide_appeal(appeal, actor=world.chairman.user, accept=True, answer=" ")
    assert state() == before


def year_graded(world, score="85"):
    YearGrade.objects.create(staff=world.officer, year=2026, score=Decimal(score), months=12, grade="good")


def test_a_year_appeal_accepted_decides_the_grade_again_as_a_recorded_decision(world):
    year_graded(world)
    appeal = appeals.file_appeal(world.officer, actor=world.officer.user, period="2026", reason="Sáng kiến")
    before = state()
    with pytest.raises(ValidationError):  # which grade, then?
        appeals.decide_appeal(appeal, actor=world.chairman.user, accept=True, answer="Chấp nhận")
    assert state() == before
    appeals.decide_appeal(appeal, actor=world.chairman.user, accept=True, answer="Có sáng kiến", grade="excellent")
    grade = YearGrade.objects.get(staff=world.officer)
    assert grade.grade == "excellent" and grade.is_decided
    assert f" {appeal.pk}: Có sáng kiến" in grade.decision.replace("#", " ")
    assert Appeal.objects.get().new_grade == "excellent"


def test_a_quarter_appeal_reopens_its_approved_months(world, approved):
    appeal = appeals.file_appeal(world.officer, actor=world.officer.user, period="2026Q1", reason="Quý I")
    appeals.decide_appeal(appeal, actor=world.chairman.user, accept=True, answer="Xem lại tháng 3")
    assert not MonthlyReview.objects.get(staff=world.officer, period=MARCH).is_frozen


# --- pages -------------------------------------------------------------------------------------------

APPEAL_VIEWERS = {"officer": 200, "deputy": 200, "chairman": 200, "personnel": 200, "colleague": 404, "stranger": 404}


@pytest.mark.parametrize("who, expected", APPEAL_VIEWERS.items())
def test_an_appeal_is_seen_like_the_score_it_is_about(world, approved, who, expected):
    appeal = appeals.file_appeal(world.officer, actor=world.officer.user, period=MARCH, reason="Lý do riêng tư")
    client = web_client(getattr(world, who).user)
    assert client.get(f"/work/appeals/{appeal.pk}/").status_code == expected
    listed = str(world.officer) in client.get("/work/appeals/").content.decode()
    assert listed == (expected == 200)


@pytest.mark.parametrize("role", list(Role))
def test_no_role_alone_sees_or_decides_an_appeal(world, approved, role):
    appeal = appeals.file_appeal(world.officer, actor=world.officer.user, period=MARCH, reason="Chấm thiếu")
    client = web_client(role_user(world, role))
    assert client.get(f"/work/appeals/{appeal.pk}/").status_code == 404
    before = state()
    answer = client.post(f"/work/appeals/{appeal.pk}/decide/", {"outcome": "accept", "answer": "Được"})
    assert answer.status_code == 404
    assert state() == before


def test_the_official_files_from_the_page_and_the_head_decides_from_the_page(world, approved):
    officer = web_client(world.officer.user)
    form = officer.get(f"/work/appeals/new/?period={MARCH}")
    # The month is picked from a list in words (value: its code), not typed.
    assert (
        form.status_code == 200 and f'<option value="{MARCH}" selected>Tháng 3/2026</option>' in form.content.decode()
    )
    answer = officer.post("/work/appeals/new/", {"period": MARCH, "reason": "Chấm thiếu tiêu chí"})
    appeal = Appeal.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/work/appeals/{appeal.pk}/"
    assert f"/work/appeals/{appeal.pk}/decide/" not in officer.get(f"/work/appeals/{appeal.pk}/").content.decode()
    head = web_client(world.chairman.user)
    assert f"/work/appeals/{appeal.pk}/decide/" in head.get(f"/work/appeals/{appeal.pk}/").content.decode()
    assert f"/work/appeals/{appeal.pk}/" in head.get("/work/evaluations/").content.decode()
    head.post(f"/work/appeals/{appeal.pk}/decide/", {"outcome": "reject", "answer": "Đúng quy định"})
    assert Appeal.objects.get().status == "rejected"


def test_the_deputy_posting_a_decision_is_refused_with_nothing_changed(world, approved):
    appeal = appeals.file_appeal(world.officer, actor=world.officer.user, period=MARCH, reason="Chấm thiếu")
    before = state()
    answer = web_client(world.deputy.user).post(
        f"/work/appeals/{appeal.pk}/decide/", {"outcome": "accept", "answer": "Được"}
    )
    assert answer.status_code == 302
    assert state() == before


def test_a_bad_appeal_from_the_page_is_a_form_error_not_a_500(world):
    answer = web_client(world.officer.user).post("/work/appeals/new/", {"period": "2026-03", "reason": "Chưa chấm"})
    assert answer.status_code == 200
    assert Appeal.objects.count() == 0
