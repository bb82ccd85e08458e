"""Communes, districts and departments are scored with the shared engine; plans gives the inputs:
indicator values for each unit, and computed reporting and task timeliness."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.plans import services
from tinhso.plans.models import Report
from tinhso.plans.testing import make_data_set, make_indicator, make_plan, report
from tinhso.scoring.models import CriteriaSet, Criterion, Evaluation, Score
from tinhso.scoring.services import rankings
from tinhso.units.models import Organisation


@pytest.fixture
def commune_set(tree):
    data_set = make_data_set("XA_NAM", "year", "commune", [("THON_BANGRONG", "Thôn có băng rộng"), ("THON", "Số thôn")])
    make_indicator("TL_BANGRONG", "#{THON_BANGRONG}", "#{THON}")
    criteria_set = CriteriaSet.objects.create(
        code="DTI-XA", name="Chỉ số CĐS cấp xã", subject_kind="plans.commune", unit=tree.yen_bai, first_period="2024"
    )
    Criterion.objects.create(
        criteria_set=criteria_set,
        code="1",
        name="Thôn có băng rộng",
        max_points=Decimal(10),
        rule="ratio",
        source="indicator",
        source_key="TL_BANGRONG",
    )
    Criterion.objects.create(
        criteria_set=criteria_set,
        code="2",
        name="Báo cáo đúng hạn",
        max_points=Decimal(10),
        rule="ratio",
        source="computed",
        source_key="reports_on_time",
    )
    return criteria_set, data_set


def test_communes_are_scored_from_their_indicators_and_timeliness_with_explanations(tree, commune_set):
    criteria_set, data_set = commune_set
    report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 151, "THON": 173})
    Report.objects.filter(unit=tree.xuan_ai).update(
        first_submitted_at=datetime.datetime(2025, 1, 5, tzinfo=datetime.UTC)
    )
    report(data_set, tree.yen_hop, "2024", {"THON_BANGRONG": 5, "THON": 10})
    Report.objects.filter(unit=tree.yen_hop).update(
        first_submitted_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    )
    evaluations = services.score_subjects(criteria_set, "2024", actor=None)
    assert {e.subject_label for e in evaluations} == {"Xã Xuân Ái", "Xã Yên Hợp", "Xã Khánh Hòa"}
    xuan_ai = Evaluation.objects.get(subject_id=tree.xuan_ai.pk)
    assert xuan_ai.total == Decimal("18.73")
    score = Score.objects.get(evaluation=xuan_ai, criterion__code="1")
    from tinhso.scoring.rules import Inputs
    from tinhso.scoring.rules import score as explain

    with translation.override("vi"):
        text = explain(score.criterion, Inputs(numerator=score.numerator, denominator=score.denominator)).explanation
    assert text == "151/173 = 87,3% × 10 = 8,73 điểm"
    ranks = rankings(Evaluation.objects.filter(criteria_set=criteria_set), "district")
    assert ranks[xuan_ai.pk] == 1


def test_departments_are_scored_on_tasks_done_on_time(tree):
    department = Organisation.objects.create(name="Sở Y tế", short_name="Sở Y tế", kind="department", unit=tree.yen_bai)
    plan = make_plan(tree.yen_bai)
    for number, (due, progress) in enumerate(((datetime.date(2024, 6, 30), 100), (datetime.date(2024, 9, 30), 60))):
        task = services.create_task(
            actor=None,
            data={
                "plan": plan,
                "title": f"Việc {number}",
                "owner_organisation": department,
                "responsible_person": "Bà Hà",
                "start_date": datetime.date(2024, 1, 10),
                "due_date": due,
                "expected_output": "Kết quả",
                "budget_vnd": 0,
                "budget_source": "recurrent",
                "staffing": "2 cán bộ",
            },
        )
        services.post_task_update(task, actor=None, progress=progress, note="Cập nhật")
    task_set = CriteriaSet.objects.create(
        code="DTI-SO",
        name="Tiêu chí sở, ngành",
        subject_kind="plans.department",
        unit=tree.yen_bai,
        first_period="2024",
    )
    Criterion.objects.create(
        criteria_set=task_set,
        code="1",
        name="Hoàn thành",
        max_points=Decimal(20),
        rule="ratio",
        source="computed",
        source_key="tasks_completed",
    )
    [evaluation] = services.score_subjects(task_set, "2024", actor=None)
    assert (evaluation.subject_label, evaluation.total) == ("Sở Y tế", Decimal("10.00"))


def test_only_plans_criteria_sets_are_scored_here(tree):
    other = CriteriaSet.objects.create(
        code="TCD", name="Tổ CĐS thôn", subject_kind="teams.village_team", unit=tree.yen_bai, first_period="2024"
    )
    with pytest.raises(ValidationError):
        services.score_subjects(other, "2024", actor=None)


def test_scoring_from_the_page_leads_to_the_explained_results(tree, commune_set):
    criteria_set, _data_set = commune_set
    response = web_client(make_user("dx_centre_staff", tree.yen_bai)).post(
        "/plans/score/", {"criteria_set": criteria_set.pk, "period": "2024"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?criteria_set={criteria_set.pk}&period=2024")
    assert Evaluation.objects.filter(criteria_set=criteria_set).count() == 3


def test_a_districts_timeliness_counts_the_reports_of_its_communes(tree, commune_set):
    _criteria_set, data_set = commune_set
    report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 1, "THON": 2})
    report(data_set, tree.yen_hop, "2024", {"THON_BANGRONG": 1, "THON": 2})
    Report.objects.filter(unit=tree.xuan_ai).update(
        first_submitted_at=datetime.datetime(2025, 1, 5, tzinfo=datetime.UTC)
    )
    Report.objects.filter(unit=tree.yen_hop).update(
        first_submitted_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    )
    district_set = CriteriaSet.objects.create(
        code="DTI-HUYEN", name="Chỉ số cấp huyện", subject_kind="plans.district", unit=tree.yen_bai, first_period="2024"
    )
    Criterion.objects.create(
        criteria_set=district_set,
        code="1",
        name="Báo cáo đúng hạn",
        max_points=Decimal(10),
        rule="ratio",
        source="computed",
        source_key="reports_on_time",
    )
    totals = {e.subject_label: e.total for e in services.score_subjects(district_set, "2024", actor=None)}
    assert totals == {"Huyện Văn Yên": Decimal("5.00"), "Huyện Lục Yên": Decimal("0.00")}
