"""The evaluation index of teams, computed from the registry and the activities, ranked within
commune, district and province under the structure of any day."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from tinhso.scoring import services as scoring
from tinhso.scoring.models import Evaluation
from tinhso.teams import services
from tinhso.teams.indices import provide_inputs
from tinhso.teams.rankings import ranked_rows
from tinhso.units.snapshot import snapshot_on

from .conftest import add_member, criterion, make_index, record


@pytest.fixture
def village_index(world):
    criteria_set = make_index("village", world.tree.yen_bai)
    criterion(criteria_set, "1", "activities", steps=[(3, 10), (1, 4)])
    criterion(criteria_set, "2", "household_coverage", rule="ratio")
    criterion(criteria_set, "3", "has_leader", rule="boolean", points=5)
    criterion(criteria_set, "4", "type:vneid", steps=[(20, 5)], points=5)
    criterion(criteria_set, "5", "evidence_share", rule="ratio", points=5)
    criterion(criteria_set, "6", "", rule="manual")
    return criteria_set


def active_year(world):
    for day in (datetime.date(2024, 3, 5), datetime.date(2024, 4, 9), datetime.date(2024, 9, 20)):
        record(world.khe_dua, day, key=str(day), households_reached=40)
    record(world.na_hau, datetime.date(2024, 6, 1), key="n", households_reached=8, activity_type=world.door)


def test_scores_are_computed_from_the_year_s_activities_with_explanations(world, village_index):
    active_year(world)
    evaluations = {e.subject_id: e for e in services.evaluate_teams("village", "2024", actor=None)}
    khe_dua = evaluations[world.khe_dua.pk]
    scores = {s.criterion.code: s for s in khe_dua.scores.select_related("criterion")}
    assert scores["1"].points == D(10)
    assert (scores["2"].numerator, scores["2"].denominator, scores["2"].points) == (D(120), D(120), D(10))
    assert scores["3"].points == D(5)
    assert scores["4"].value == D(30) and scores["4"].points == D(5)
    assert khe_dua.total == D(30)
    assert evaluations[world.na_hau.pk].total == D("4") + D("8") * 10 / D(80) + D(5)
    assert evaluations[world.dong_tam.pk].total == D(5)  # a leader, nothing done


def test_inputs_for_all_teams_cost_a_fixed_handful_of_queries(world, village_index, django_assert_max_num_queries):
    active_year(world)
    criteria = list(village_index.criteria.all())
    subjects = [
        scoring.Subject(team, team.unit) for team in (world.khe_dua, world.na_hau, world.dong_tam, world.khuoi_vai)
    ]
    with django_assert_max_num_queries(10):
        inputs = provide_inputs(criteria, subjects, "2024")
    assert len(inputs) == 5 * 4  # every computed criterion × every team


def test_hand_entered_points_survive_recomputation(world, village_index):
    active_year(world)
    evaluation = next(
        e for e in services.evaluate_teams("village", "2024", actor=None) if e.subject_id == world.khe_dua.pk
    )
    manual = evaluation.scores.get(criterion__code="6")
    scoring.enter_score(manual, actor=None, inputs=scoring.Inputs(points=D(8)))
    record(world.khe_dua, datetime.date(2024, 11, 2), key="late")
    again = next(e for e in services.evaluate_teams("village", "2024", actor=None) if e.subject_id == world.khe_dua.pk)
    assert again.total == D(38)


def test_without_a_criteria_set_in_force_the_reason_is_given(world, village_index):
    with pytest.raises(ValidationError) as refused:
        services.evaluate_teams("village", "2023", actor=None)
    assert "2023" in str(refused.value)


def test_the_activities_of_a_verified_evaluation_stay_as_they_were(world, village_index):
    active_year(world)
    evaluation = Evaluation.objects.get(
        pk=next(
            e.pk for e in services.evaluate_teams("village", "2024", actor=None) if e.subject_id == world.khe_dua.pk
        )
    )
    scoring.verify(evaluation, actor=None)
    activity = world.khe_dua.activities.first()
    with pytest.raises(ValidationError):
        services.delete_activity(activity, actor=None)
    with pytest.raises(ValidationError):
        services.update_activity(activity, actor=None, changes={"people_reached": 99})
    late, _created = record(world.khe_dua, datetime.date(2024, 12, 1), key="late")
    assert world.khe_dua.activities.count() == 4
    services.evaluate_teams("village", "2024", actor=None)
    assert Evaluation.objects.get(pk=evaluation.pk).total == evaluation.total  # verified: not recomputed


def test_ranks_within_commune_district_and_province_under_the_old_structure(world, village_index):
    active_year(world)
    services.evaluate_teams("village", "2024", actor=None)
    structure = snapshot_on(datetime.date(2024, 12, 31))

    def by_team(group):
        return {row.team_id: (row.rank, row.group_size) for row in ranked_rows("village", "2024", group, structure)}

    assert by_team("province")[world.khe_dua.pk] == (1, 4)
    assert by_team("district")[world.khuoi_vai.pk] == (1, 1)  # alone in Lục Yên
    assert by_team("commune")[world.dong_tam.pk] == (1, 1)  # alone in Yên Hợp
    assert by_team("commune")[world.na_hau.pk] == (2, 2)


def test_after_the_reform_the_merged_commune_ranks_its_teams_together(world, village_index):
    active_year(world)
    services.evaluate_teams("village", "2024", actor=None)
    structure = snapshot_on(datetime.date(2025, 9, 1))
    rows = {row.team_id: row for row in ranked_rows("village", "2024", "commune", structure)}
    assert rows[world.dong_tam.pk].group.name == "Xã Xuân Ái"
    assert rows[world.dong_tam.pk].group_size == 3
    assert all(row.group is None for row in ranked_rows("village", "2024", "district", structure))


def test_commune_teams_are_scored_on_their_village_teams(world):
    criteria_set = make_index("commune", world.tree.lao_cai, first_period="2026")
    criterion(criteria_set, "1", "village_teams_active", rule="ratio")
    criterion(criteria_set, "2", "village_coverage", rule="ratio")
    criterion(criteria_set, "3", "women_share", steps=[(30, 10)])
    add_member(world.new_xuan_ai, "Lò Thị Ún", "0987654321", gender="female", role="leader")
    add_member(world.new_xuan_ai, "Hà Văn Sơn", "0977000111")
    record(world.khe_dua, datetime.date(2026, 2, 3), key="a")
    record(world.dong_tam, datetime.date(2026, 2, 4), key="b")
    evaluation = services.evaluate_teams("commune", "2026", actor=None)[0]
    scores = {s.criterion.code: s for s in evaluation.scores.select_related("criterion")}
    assert (scores["1"].numerator, scores["1"].denominator) == (D(2), D(3))
    assert (scores["2"].numerator, scores["2"].denominator) == (D(3), D(3))
    assert scores["3"].value == D(50)


def test_a_criterion_fed_by_a_plan_indicator_is_computed_on_the_team_s_village(world):
    from tinhso.plans.choices import PeriodType
    from tinhso.plans.testing import make_data_set, make_indicator, report

    data_set = make_data_set(
        "THON", PeriodType.YEARLY, "village", [("HO_CAP_QUANG", "Hộ có cáp quang"), ("HO_TONG", "Tổng số hộ")]
    )
    make_indicator("TL_HO_CAP_QUANG", "#{HO_CAP_QUANG}", "#{HO_TONG}")
    report(data_set, world.tree.khe_dua, "2024", {"HO_CAP_QUANG": 90, "HO_TONG": 120})
    index = make_index("village", world.tree.yen_bai)
    indicator_fed = criterion(index, "1", "", rule="ratio")
    indicator_fed.source, indicator_fed.source_key = "indicator", "TL_HO_CAP_QUANG"
    indicator_fed.save()
    evaluations = {e.subject_id: e for e in services.evaluate_teams("village", "2024", actor=None)}
    assert evaluations[world.khe_dua.pk].total == D("7.50")
    assert evaluations[world.na_hau.pk].total == D(0)
