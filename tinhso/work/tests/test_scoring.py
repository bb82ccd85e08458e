"""Monthly KPI scores, hand-computed, and how they explain themselves."""

import datetime
from decimal import Decimal

import pytest

from tinhso.core.context import acting_as
from tinhso.core.testing import api_client
from tinhso.work import evaluation, services
from tinhso.work.defaults import GENERAL_CODES

from .conftest import assign, finish

pytestmark = pytest.mark.django_db
MARCH = "202603"


def march_of_the_officer(world):
    """Three reports of 2 × factor 1,5 = 3 standard products each (9 assigned):
    one on time rated good, one 3 days late rated excellent, one returned and never accepted."""
    with acting_as(None, source="test"):
        on_time = finish(world, assign(world, due=datetime.date(2026, 3, 20), title="Đúng hạn"), quality="good")
        late = assign(world, due=datetime.date(2026, 3, 10), title="Trễ ba ngày")
        finish(world, late, quality="excellent", submitted=datetime.date(2026, 3, 13))
        returned = assign(world, due=datetime.date(2026, 3, 25), title="Bị trả lại")
        services.submit(returned, actor=world.officer.user)
        services.return_item(returned, actor=world.chairman.user, reason="Sai số liệu")
    return on_time, late, returned


def points(world, code):
    explained = evaluation.explain_month(world.officer, MARCH)
    return next(line["points"] for line in explained.criteria_lines if line["code"] == code)


def test_the_month_is_scored_from_converted_quantity_quality_and_timeliness(world):
    march_of_the_officer(world)
    evaluation.score_month([world.officer], MARCH)
    # quantity 6/9 × 30; quality (3 × 0,85 + 3 × 1)/6 × 20; timeliness (3 × 1 + 3 × 0,7)/9 × 20
    assert points(world, "A1") == Decimal("20.00")
    assert points(world, "A2") == Decimal("18.50")
    assert points(world, "A3") == Decimal("11.33")
    assert evaluation.explain_month(world.officer, MARCH).score == Decimal("49.83")


def test_every_item_explains_how_it_counted(world):
    march_of_the_officer(world)
    evaluation.score_month([world.officer], MARCH)
    lines = [line.explanation() for line in evaluation.explain_month(world.officer, MARCH).item_lines]
    assert "3 ngày" in lines[0] or "3 days" in lines[0]
    assert "70%" in lines[0]
    assert any("0" in line and ("trả lại" in line or "returned" in line) for line in lines)


def test_the_norm_replaces_what_was_assigned_when_the_position_has_one(world):
    from tinhso.work.models import JobPosition, PositionNorm

    march_of_the_officer(world)
    position = JobPosition.objects.create(organisation=world.committee, name="Văn phòng - Thống kê")
    PositionNorm.objects.create(
        job_position=position, effective_from=datetime.date(2026, 1, 1), monthly_standard_products=12
    )
    world.officer.job_position = position
    world.officer.save()
    evaluation.score_month([world.officer], MARCH)
    assert points(world, "A1") == Decimal("15.00")  # 6/12 × 30


def test_general_criteria_from_the_managers_review_complete_the_hundred(world):
    march_of_the_officer(world)
    evaluation.score_month([world.officer], MARCH)
    review = evaluation.explain_month(world.officer, MARCH).review
    full = {
        "politics": 5,
        "ethics": 5,
        "discipline": 5,
        "competence": 5,
        "responsibility": 4,
        "service": 3,
        "innovation": 3,
    }
    assert set(full) == set(GENERAL_CODES)
    evaluation.self_assess(review, actor=world.officer.user, points=full)
    evaluation.manager_review(review, actor=world.deputy.user, points={**full, "innovation": 1})
    explained = evaluation.explain_month(world.officer, MARCH)
    assert explained.score == Decimal("77.83")
    assert explained.grade["code"] == "good"


def test_accepting_an_item_rescores_the_month(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = assign(world)
        services.submit(item, actor=world.officer.user, day=item.due_date)
    assert evaluation.explain_month(world.officer, MARCH).score == Decimal(0)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept(item, actor=world.chairman.user, quality="excellent", day=item.due_date)
    assert evaluation.explain_month(world.officer, MARCH).score == Decimal("70.00")


def test_the_evaluation_api_answers_score_grade_and_lines(world):
    march_of_the_officer(world)
    evaluation.score_month([world.officer], MARCH)
    answer = api_client(world.deputy.user).get(
        "/api/v1/evaluations/", {"person": world.officer.user.pk, "period": "2026-03"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert (body["score"], body["grade"], body["period"]) == ("49.83", "not_done", "2026-03")
    assert [line["code"] for line in body["explanation"]][:3] == ["A", "A1", "A2"] or len(body["explanation"]) >= 10
    assert len(body["items"]) == 3


@pytest.mark.parametrize("period", ["2026-13", "march", "2026Q5", "2026S1", ""])
def test_a_bad_period_is_a_400(world, period):
    answer = api_client(world.officer.user).get(
        "/api/v1/evaluations/", {"person": world.officer.user.pk, "period": period}
    )
    assert answer.status_code == 400


def test_the_weights_are_data_a_new_version_changes_later_months_only(world):
    from tinhso.scoring import services as scoring

    march_of_the_officer(world)
    evaluation.score_month([world.officer], MARCH)
    newer = scoring.new_version(world.rules.criteria_set, actor=None, first_period="202604")
    newer.criteria.filter(code="A1").update(max_points=40)
    evaluation.score_month([world.officer], MARCH)
    assert points(world, "A1") == Decimal("20.00")


def test_the_explanation_reads_the_task_results_before_the_general_criteria(world):
    evaluation.score_month([world.officer], MARCH)
    codes = [line["code"] for line in evaluation.explain_month(world.officer, MARCH).criteria_lines]
    assert codes == ["A1", "A2", "A3", "B1", "B2", "B3", "B4", "B5", "B6", "B7"]


def test_work_accepted_only_after_the_month_ended_counts_nothing_in_that_month(world):
    """The rule the month page states: work not accepted by the month's end counts 0 — its quantity too."""
    with acting_as(None, source="test"):
        on_time = finish(world, assign(world, due=datetime.date(2026, 3, 20), title="Đúng hạn"), quality="good")
        after = assign(world, due=datetime.date(2026, 3, 30), title="Nghiệm thu sang tháng 4")
        finish(
            world, after, quality="excellent", submitted=datetime.date(2026, 3, 30), accepted=datetime.date(2026, 4, 2)
        )
    evaluation.score_month([world.officer], MARCH)
    # quantity 3/6 × 30: only the item accepted in March counts; quality 0,85 × 20 of what counted
    assert points(world, "A1") == Decimal("15.00")
    assert points(world, "A2") == Decimal("17.00")
    lines = {line.item.pk: line for line in evaluation.explain_month(world.officer, MARCH).item_lines}
    assert lines[on_time.pk].done and not lines[after.pk].done
    explanation = lines[after.pk].explanation()
    assert "tính 0" in explanation or "counts 0" in explanation
