"""The month's review through the API: self-assessment, manager's review, collective comment, approval and the
audited reopen — the same services as the pages, the same people allowed, 404 outside the scores' scope, and
hostile input a 4xx that changes nothing."""

import datetime

import pytest

from tinhso.core.models import ObjectChange
from tinhso.core.testing import api_client
from tinhso.work import evaluation
from tinhso.work.models import MonthlyReview, ReviewEvent

from .conftest import assign, finish
from .test_permission_matrix import review_refusal, users  # noqa: F401  (the fixture of every role and person)
from .test_workflow import FULL

pytestmark = pytest.mark.django_db
URL = "/api/v1/evaluations/{step}/"


@pytest.fixture
def review(world):
    finish(world, assign(world, title="Báo cáo tháng 3"), submitted=datetime.date(2026, 3, 18))
    evaluation.score_month([world.officer], "202603")
    return MonthlyReview.objects.get(staff=world.officer, period="202603")


def post(user, step, world, **data):
    body = {"person": world.officer.user_id, "period": "2026-03", **data}
    return api_client(user).post(URL.format(step=step), body, format="json")


def state() -> tuple:
    return (
        list(
            MonthlyReview.objects.values_list(
                "status", "self_points", "manager_points", "self_comment", "manager_comment", "collective_comment"
            )
        ),
        ReviewEvent.objects.count(),
        ObjectChange.objects.count(),
    )


def test_a_month_goes_through_every_step_by_the_api_and_each_is_in_the_trail(world, review):
    answer = post(world.officer.user, "self-assessment", world, points=FULL, comment="Hoàn thành tốt")
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "self_assessed" and answer.json()["self_points"]["ethics"] == "5"
    answer = post(world.deputy.user, "review", world, points={**FULL, "ethics": "4,5"}, comment="Đồng ý")
    assert answer.json()["status"] == "reviewed" and answer.json()["manager_points"]["ethics"] == "4.5"
    answer = post(world.personnel.user, "comment", world, comment="Tập thể nhất trí")
    assert answer.json()["collective_comment"] == "Tập thể nhất trí"
    answer = post(world.chairman.user, "approve", world)
    assert answer.json()["status"] == "approved" and answer.json()["approved_by"] == world.chairman.user_id
    answer = post(world.chairman.user, "reopen", world, reason="Bổ sung việc tháng 3")
    assert answer.status_code == 200 and answer.json()["status"] == "commented"
    assert list(ReviewEvent.objects.filter(staff=world.officer).values_list("step", flat=True)) == [
        "self_assessment",
        "manager_review",
        "collective_comment",
        "approval",
        "reopen",
    ]
    # Attributable: the change log names the person of each step.
    changes = ObjectChange.objects.filter(object_id=review.pk, object_type__model="monthlyreview")
    assert {c.user_id for c in changes} >= {world.officer.user_id, world.deputy.user_id, world.chairman.user_id}


def test_the_managers_points_score_the_month(world, review):
    post(world.officer.user, "self-assessment", world, points=FULL)
    before = MonthlyReview.objects.get(pk=review.pk).evaluation.total
    post(world.deputy.user, "review", world, points={**FULL, "ethics": 0})
    assert MonthlyReview.objects.get(pk=review.pk).evaluation.total == before - 5


def bring(world, review, step):
    """The month as it stands when `step` is next."""
    if step in ("review", "comment", "approve", "reopen"):
        evaluation.self_assess(review, actor=world.officer.user, points=FULL)
    if step in ("comment", "approve", "reopen"):
        evaluation.manager_review(review, actor=world.deputy.user, points=FULL)
    if step in ("approve", "reopen"):
        evaluation.record_collective_comment(review, actor=world.personnel.user, comment="Nhất trí")
    if step == "reopen":
        evaluation.approve(review, actor=world.chairman.user)


STEPS = {
    # step: (data, who may take it — docs/work.md "Review")
    "self-assessment": ({"points": FULL, "comment": "Tự đánh giá"}, {"official"}),
    "review": ({"points": FULL, "comment": "Nhận xét"}, {"manager", "head"}),
    "comment": ({"comment": "Tập thể nhất trí"}, {"manager", "head", "personnel"}),
    "approve": ({}, {"head"}),
    "reopen": ({"reason": "Chấm lại"}, {"head"}),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_every_role_and_person_takes_only_their_own_step_and_a_refusal_changes_nothing(
    world,
    review,
    users,  # noqa: F811
    step,
):
    bring(world, review, step.replace("self-assessment", "self"))
    data, allowed = STEPS[step]
    wrong = []
    # Those allowed go last: a refusal must leave the month as the allowed person finds it.
    for role, user in sorted(users.items(), key=lambda pair: pair[0] in allowed):
        before = state()
        answer = post(user, step, world, **data)
        if role in allowed:
            if answer.status_code != 200:
                wrong.append(f"{role}: 200 expected, got {answer.status_code} {answer.content[:200]}")
            continue
        refused = review_refusal(role, user)
        if answer.status_code not in refused or state() != before:
            wrong.append(f"{role}: {refused} with nothing changed expected, got {answer.status_code}")
    assert not wrong, f"{step} differs:\n  " + "\n  ".join(wrong)


@pytest.mark.parametrize(
    "data",
    [
        {"points": "abc"},
        {"points": [1, 2]},
        {"points": {"ethics": {"x": 1}}},
        {"points": {"ethics": True}},
        {"points": {"ethics": "NaN"}},
        {"points": {"ethics": "1e9999"}},
        {"points": {"ethics": -1}},
        {"points": {"ethics": "năm"}},
        {"points": {"bravery": 1}},
        {"points": FULL, "comment": "a\u202eb"},
        {"points": FULL, "comment": "x" * 5001},
        {"points": FULL, "person": "abc"},
        {"points": FULL, "person": -1},
        {"points": FULL, "person": 10**30},
        {"points": FULL, "period": "2026-13"},
        {"points": FULL, "period": "9999-12"},
        {"points": FULL, "period": "0000-01"},
        {"points": FULL, "period": "２０２６-03"},
        {"points": FULL, "period": "2026-03\x00"},
        {"points": FULL, "period": "2026"},
        {"points": FULL, "period": "2026-04"},  # no score for April yet
        {"points": FULL, "person": None},
        {},
    ],
)
def test_hostile_self_assessment_is_a_4xx_and_changes_nothing(world, review, data):
    before = state()
    body = {"person": world.officer.user_id, "period": "2026-03", **data}
    answer = api_client(world.officer.user).post(URL.format(step="self-assessment"), body, format="json")
    assert 400 <= answer.status_code < 500 and state() == before, answer.content


def test_a_json_array_or_text_instead_of_an_object_is_a_400(world, review):
    client = api_client(world.officer.user)
    for body in ("[1, 2]", '"text"', "{bad json"):
        answer = client.post(URL.format(step="self-assessment"), body, content_type="application/json")
        assert answer.status_code == 400


@pytest.mark.parametrize(
    "step, data, words",
    [
        ("review", {"points": FULL}, "chưa tự đánh giá"),
        ("comment", {"comment": "Nhất trí"}, "chưa nhận xét"),
        ("approve", {}, "chưa đủ bước"),
        ("reopen", {"reason": "Chấm lại"}, "tháng đã phê duyệt"),
        ("comment", {"comment": "   "}, ""),
    ],
)
def test_a_step_out_of_turn_is_a_400_in_vietnamese_and_changes_nothing(world, review, step, data, words):
    who = {"review": world.deputy, "comment": world.personnel, "approve": world.chairman, "reopen": world.chairman}
    before = state()
    answer = post(who[step].user, step, world, **data)
    assert answer.status_code == 400 and state() == before
    assert words in answer.content.decode()


def test_a_blank_reopen_reason_is_refused_and_the_month_stays_frozen(world, review):
    bring(world, review, "reopen")
    before = state()
    answer = post(world.chairman.user, "reopen", world, reason="   ")
    assert answer.status_code == 400 and state() == before
    assert MonthlyReview.objects.get(pk=review.pk).is_frozen


def test_a_frozen_month_refuses_every_step_but_the_reopen(world, review):
    bring(world, review, "reopen")
    before = state()
    for step, user, data in (
        ("self-assessment", world.officer.user, {"points": FULL}),
        ("review", world.deputy.user, {"points": FULL}),
        ("comment", world.personnel.user, {"comment": "Sửa"}),
    ):
        answer = post(user, step, world, **data)
        assert answer.status_code == 400 and "đã được phê duyệt và khóa" in answer.content.decode(), step
    assert state() == before


def test_the_steps_are_in_the_api_schema(world):
    schema = api_client(world.officer.user).get("/api/schema/", {"format": "json"})
    paths = schema.json()["paths"] if schema.status_code == 200 else {}
    for step in STEPS:
        assert f"/api/v1/evaluations/{step}/" in paths, step
