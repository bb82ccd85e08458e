"""A month's review: self-assessment → manager → collective comment → head's approval; frozen; audited reopen."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tinhso.core.context import acting_as
from tinhso.work import evaluation
from tinhso.work.models import MonthlyReview, ReviewEvent

from .conftest import assign, finish

pytestmark = pytest.mark.django_db
MARCH = "202603"
APRIL = datetime.date(2026, 4, 2)
FULL = {
    "politics": 5,
    "ethics": 5,
    "discipline": 5,
    "competence": 5,
    "responsibility": 4,
    "service": 3,
    "innovation": 3,
}


@pytest.fixture
def review(world):
    with acting_as(None, source="test"):
        finish(world, assign(world), quality="excellent")
    evaluation.score_month([world.officer], MARCH)
    return MonthlyReview.objects.get(staff=world.officer, period=MARCH)


def complete(world, review):
    evaluation.self_assess(review, actor=world.officer.user, points=FULL, comment="Hoàn thành tốt")
    evaluation.manager_review(review, actor=world.deputy.user, points=FULL, comment="Đồng ý")
    evaluation.record_collective_comment(review, actor=world.personnel.user, comment="Tập thể nhất trí")


def test_the_head_approves_a_complete_month_and_it_is_frozen(world, review):
    complete(world, review)
    evaluation.approve(review, actor=world.chairman.user, today=APRIL)
    review.refresh_from_db()
    assert review.is_frozen and review.evaluation.status == "verified"
    assert review.evaluation.total == Decimal("100.00")
    assert list(ReviewEvent.objects.filter(staff=world.officer).values_list("step", flat=True)) == [
        "self_assessment",
        "manager_review",
        "collective_comment",
        "approval",
    ]


def test_a_month_that_is_not_complete_cannot_be_approved(world, review):
    evaluation.self_assess(review, actor=world.officer.user, points=FULL)
    with pytest.raises(ValidationError):
        evaluation.approve(review, actor=world.chairman.user, today=APRIL)
    assert MonthlyReview.objects.get(pk=review.pk).status == "self_assessed"


def test_a_month_not_yet_over_cannot_be_approved(world, review):
    complete(world, review)
    with pytest.raises(ValidationError):
        evaluation.approve(review, actor=world.chairman.user, today=datetime.date(2026, 3, 15))
    assert not MonthlyReview.objects.get(pk=review.pk).is_frozen


def test_nothing_changes_a_frozen_month_until_an_audited_reopen(world, review, django_capture_on_commit_callbacks):
    complete(world, review)
    evaluation.approve(review, actor=world.chairman.user, today=APRIL)
    with pytest.raises(ValidationError):
        evaluation.manager_review(review, actor=world.deputy.user, points={**FULL, "ethics": 0})
    with django_capture_on_commit_callbacks(execute=True), acting_as(None, source="test"):
        late_item = assign(world, due=datetime.date(2026, 3, 30), title="Việc thêm")
    assert late_item.pk
    assert MonthlyReview.objects.get(pk=review.pk).evaluation.total == Decimal("100.00")
    with pytest.raises(ValidationError):
        evaluation.reopen(review, actor=world.chairman.user, reason="  ")
    evaluation.reopen(review, actor=world.chairman.user, reason="Bổ sung việc tháng 3")
    assert ReviewEvent.objects.filter(step="reopen", note="Bổ sung việc tháng 3", actor=world.chairman.user).exists()
    evaluation.manager_review(review, actor=world.deputy.user, points={**FULL, "ethics": 0})
    assert MonthlyReview.objects.get(pk=review.pk).evaluation.total < Decimal(100)


@pytest.mark.parametrize(
    "step, who",
    [
        ("self", "deputy"),
        ("review", "officer"),
        ("review", "colleague"),
        ("review", "stranger"),
        ("comment", "officer"),
        ("comment", "colleague"),
        ("approve", "deputy"),
        ("approve", "officer"),
        ("approve", "stranger"),
        ("reopen", "deputy"),
    ],
)
def test_each_step_belongs_to_its_person_and_a_refusal_changes_nothing(world, review, step, who):
    if step in ("comment", "approve"):
        evaluation.self_assess(review, actor=world.officer.user, points=FULL)
        evaluation.manager_review(review, actor=world.deputy.user, points=FULL)
    if step == "approve":
        evaluation.record_collective_comment(review, actor=world.personnel.user, comment="Nhất trí")
    if step == "reopen":
        complete(world, review)
        evaluation.approve(review, actor=world.chairman.user, today=APRIL)
    before = MonthlyReview.objects.get(pk=review.pk)
    actor = getattr(world, who).user
    action = {
        "self": lambda: evaluation.self_assess(review, actor=actor, points=FULL),
        "review": lambda: evaluation.manager_review(review, actor=actor, points=FULL),
        "comment": lambda: evaluation.record_collective_comment(review, actor=actor, comment="x"),
        "approve": lambda: evaluation.approve(review, actor=actor, today=APRIL),
        "reopen": lambda: evaluation.reopen(review, actor=actor, reason="x"),
    }[step]
    with pytest.raises(PermissionDenied):
        action()
    after = MonthlyReview.objects.get(pk=review.pk)
    assert (after.status, after.self_points, after.manager_points, after.collective_comment) == (
        before.status,
        before.self_points,
        before.manager_points,
        before.collective_comment,
    )


def test_points_above_a_criterions_maximum_are_refused(world, review):
    with pytest.raises(ValidationError):
        evaluation.self_assess(review, actor=world.officer.user, points={**FULL, "ethics": 6})
    with pytest.raises(ValidationError):
        evaluation.self_assess(review, actor=world.officer.user, points={"bravery": 1})
    assert MonthlyReview.objects.get(pk=review.pk).status == "open"


def test_the_month_page_shows_the_explanation_to_the_officer(world, review):
    from tinhso.core.testing import web_client

    page = web_client(world.officer.user).get(f"/work/evaluations/{world.officer.pk}/{MARCH}/")
    assert page.status_code == 200
    assert "A1" in page.content.decode()
    assert web_client(world.colleague.user).get(f"/work/evaluations/{world.officer.pk}/{MARCH}/").status_code == 404
