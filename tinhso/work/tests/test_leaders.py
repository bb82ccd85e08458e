"""Leaders are scored on their unit's results too: the head on the whole body (and what other domains
register for it, e.g. plan tasks), a manager on their line below; half of the task-result part (the
rules' leader_unit_share) — hand-computed."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from tinhso.core.context import acting_as
from tinhso.core.testing import web_client
from tinhso.work import evaluation, services, unit_results
from tinhso.work.models import KpiRules

from .conftest import assign, finish

pytestmark = pytest.mark.django_db
MARCH = "202603"


def own_item_done(world, member, *, due=datetime.date(2026, 3, 20), quality="excellent"):
    """2 × factor 1,5 = 3 standard products, on time, accepted by the platform (nobody above the head)."""
    with acting_as(None, source="test"):
        item = assign(world, member, actor=member.user, due=due)
        services.submit(item, actor=member.user, day=due)
        return services.accept(item, actor=None, quality=quality, day=due)


def total(member) -> Decimal:
    evaluation.score_month([member], MARCH)
    return evaluation.explain_month(member, MARCH).score


def test_the_head_is_scored_half_on_own_work_half_on_the_bodys(world):
    own_item_done(world, world.chairman)  # own ratios 1, 1, 1
    with acting_as(None, source="test"):
        assign(world)  # the officer's 3 standard products, never done
    # Body: 6 standard products assigned, 3 done on time → 50%. Task results: (0,5 × 1 + 0,5 × 0,5) × 70.
    assert total(world.chairman) == Decimal("52.50")
    with translation.override("en"):
        lines = evaluation.explain_month(world.chairman, MARCH).unit_lines
    assert "50% own work + 50% the unit's results (50%" in lines[0]
    assert any("Work of the unit: 50" in line and "1 of 2 items accepted" in line for line in lines)


def test_an_official_who_leads_nobody_is_scored_on_own_work_only(world):
    with acting_as(None, source="test"):
        finish(world, assign(world), quality="excellent")
        assign(world, world.colleague)  # the colleague's work is not the officer's
    evaluation.score_month([world.officer], MARCH)
    assert evaluation.explain_month(world.officer, MARCH).unit_lines == []
    assert evaluation.explain_month(world.officer, MARCH).score == Decimal("70.00")


def test_a_manager_answers_for_the_line_below_not_for_the_whole_body(world):
    with acting_as(None, source="test"):
        finish(world, assign(world), quality="excellent")  # the officer, under the deputy: done
        assign(world, world.personnel)  # under the chairman, not the deputy: not done
    # Deputy: no own work (0) and the line (officer, colleague, deputy) 3 of 3 on time → 0,5 × 1 × 70.
    assert total(world.deputy) == Decimal("35.00")
    # Chairman: no own work; the body 3 of 6 → 0,5 × 0,5 × 70.
    assert total(world.chairman) == Decimal("17.50")


def test_what_other_domains_register_counts_for_the_head(world):
    own_item_done(world, world.chairman)

    def plan_tasks(organisation_ids, period):
        return {world.committee.pk: (Decimal("0.25"), "1 of 4 plan tasks due completed on time")}

    unit_results.register("test_plans", "Plan tasks of the body", plan_tasks)
    try:
        # Unit: mean of the body's work (3/3 = 1) and the plan tasks (0,25) = 0,625 → (0,5 + 0,3125) × 70.
        assert total(world.chairman) == Decimal("56.88")
        with translation.override("en"):
            lines = evaluation.explain_month(world.chairman, MARCH).unit_lines
        assert any(line.startswith("Plan tasks of the body: 25") for line in lines)
        # A deputy answers for their line, not for the body's plan.
        assert "Plan tasks" not in " ".join(evaluation.explain_month(world.deputy, MARCH).unit_lines)
    finally:
        unit_results.unregister("test_plans")


def test_a_share_of_zero_in_the_rules_leaves_leaders_on_their_own_work(world):
    KpiRules.objects.update(leader_unit_share=Decimal(0))
    own_item_done(world, world.chairman)
    with acting_as(None, source="test"):
        assign(world)
    assert total(world.chairman) == Decimal("70.00")


def test_an_officers_accepted_work_rescores_the_leaders_above(world, django_capture_on_commit_callbacks):
    with acting_as(None, source="test"):
        item = assign(world)
    evaluation.score_month([world.chairman, world.deputy], MARCH)
    assert evaluation.explain_month(world.chairman, MARCH).score == Decimal("0.00")
    with django_capture_on_commit_callbacks(execute=True), acting_as(None, source="test"):
        finish(world, item, quality="excellent")
    assert evaluation.explain_month(world.chairman, MARCH).score == Decimal("35.00")
    assert evaluation.explain_month(world.deputy, MARCH).score == Decimal("35.00")


def test_the_heads_month_page_shows_the_unit_results(world):
    own_item_done(world, world.chairman)
    evaluation.score_month([world.chairman], MARCH)
    page = web_client(world.chairman.user).get(f"/work/evaluations/{world.chairman.pk}/{MARCH}/")
    assert page.status_code == 200
    assert "Công việc của đơn vị: 100%" in page.content.decode()  # the page speaks Vietnamese
