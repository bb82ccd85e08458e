"""Year grades at the edges 90 / 70 / 50, disqualifiers, and the excellent quota (20% of those rated good)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tinhso.scoring.models import Evaluation
from tinhso.work import evaluation, rules
from tinhso.work.defaults import GRADES
from tinhso.work.models import MonthlyReview, StaffMember, YearGrade

from .conftest import staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "score, grade",
    [
        ("100", "excellent"),
        ("90", "excellent"),
        ("89.99", "good"),
        ("70", "good"),
        ("69.99", "done"),
        ("50", "done"),
        ("49.99", "not_done"),
        ("0", "not_done"),
    ],
)
def test_grade_edges(score, grade):
    assert rules.grade_of(Decimal(score), GRADES)["code"] == grade


@pytest.mark.parametrize("good_or_above, allowed", [(10, 2), (9, 1), (7, 1), (5, 1), (4, 0), (15, 3)])
def test_the_excellent_quota_is_a_fifth_of_those_rated_good_rounded_down(good_or_above, allowed):
    assert rules.excellent_allowed(good_or_above, Decimal(20)) == allowed


def give_year(world, member, monthly_score):
    """Twelve approved-looking months of the same score, straight on the scoring evaluations."""
    evaluation.score_month([member], "202601")
    review = MonthlyReview.objects.get(staff=member, period="202601")
    Evaluation.objects.filter(pk=review.evaluation_id).update(total=Decimal(monthly_score))


def body_of_ten(world, scores):
    members = []
    for index, score in enumerate(scores):
        member = staff(world.committee, world.tree.xuan_ai, f"cb{index}", manager=world.chairman)
        give_year(world, member, score)
        members.append(member)
    return members


def test_beyond_the_quota_the_lowest_excellent_is_proposed_good(world):
    StaffMember.objects.filter(organisation=world.committee).exclude(pk=world.chairman.pk).update(is_active=False)
    world.chairman.is_active = False
    world.chairman.save()
    members = body_of_ten(world, ["95", "93", "91", "80", "80", "75", "75", "72", "71", "70"])
    grades = {g.staff_id: g for g in evaluation.propose_year(world.committee, 2026)}
    assert [grades[m.pk].proposed_grade for m in members[:3]] == ["excellent", "excellent", "good"]
    check = evaluation.quota_check(world.committee, 2026)
    assert (check.good_or_above, check.excellent, check.allowed, check.breached) == (10, 2, 2, False)


def test_an_exception_beyond_the_quota_needs_a_recorded_decision(world):
    StaffMember.objects.filter(organisation=world.committee).exclude(pk=world.chairman.pk).update(is_active=False)
    members = body_of_ten(world, ["95", "93", "91", "80", "80", "75", "75", "72", "71", "70"])
    evaluation.propose_year(world.committee, 2026)
    third = YearGrade.objects.get(staff=members[2], year=2026)
    with pytest.raises(ValidationError):
        evaluation.decide_grade(third, actor=world.chairman.user, code="excellent")
    assert YearGrade.objects.get(pk=third.pk).grade == "good"
    evaluation.decide_grade(third, actor=world.chairman.user, code="excellent", decision="15/QĐ-UBND ngày 20/12/2026")
    assert YearGrade.objects.get(pk=third.pk).grade == "excellent"
    assert evaluation.quota_check(world.committee, 2026).breached


def test_a_grade_above_what_the_score_allows_needs_a_decision(world):
    give_year(world, world.officer, "69.99")
    evaluation.propose_year(world.committee, 2026)
    grade = YearGrade.objects.get(staff=world.officer, year=2026)
    assert grade.proposed_grade == "done"
    with pytest.raises(ValidationError):
        evaluation.decide_grade(grade, actor=world.chairman.user, code="good")
    assert YearGrade.objects.get(pk=grade.pk).grade == "done"


def test_a_disqualifier_forces_the_grade_down_whatever_the_score(world):
    give_year(world, world.officer, "95")
    evaluation.propose_year(world.committee, 2026)
    grade = YearGrade.objects.get(staff=world.officer, year=2026)
    with pytest.raises(ValidationError):
        evaluation.decide_grade(
            grade, actor=world.chairman.user, code="excellent", disqualifier="discipline", decision="1/QĐ"
        )
    evaluation.decide_grade(grade, actor=world.chairman.user, code="not_done", disqualifier="discipline")
    assert YearGrade.objects.get(pk=grade.pk).grade == "not_done"
    answer = evaluation.explain_year(world.officer, 2026)
    assert answer["grade"] == "not_done" and answer["items"]


def test_the_year_api_gives_the_mean_of_the_months_and_the_grade(world):
    from tinhso.core.testing import api_client

    give_year(world, world.officer, "88.5")
    answer = api_client(world.officer.user).get(
        "/api/v1/evaluations/", {"person": world.officer.user.pk, "period": "2026"}
    )
    assert answer.status_code == 200
    assert (answer.json()["score"], answer.json()["grade"]) == ("88.50", "good")


def test_the_unit_table_exports_to_excel_for_the_head_only(world):
    import io

    from openpyxl import load_workbook

    from tinhso.core.testing import web_client

    give_year(world, world.officer, "88.5")
    evaluation.propose_year(world.committee, 2026)
    answer = web_client(world.chairman.user).get(f"/work/units/{world.committee.pk}/2026.xlsx")
    assert answer.status_code == 200
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    officer_row = next(row for row in rows if row[0] == str(world.officer))
    assert officer_row[2] == 88.5 and officer_row[-1] == "Hoàn thành tốt nhiệm vụ"
    assert web_client(world.officer.user).get(f"/work/units/{world.committee.pk}/2026.xlsx").status_code == 404
