from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tinhso.accounts.testing import make_user
from tinhso.scoring import services
from tinhso.scoring.models import CriteriaSet, Criterion, Evaluation, Score
from tinhso.scoring.rules import Inputs
from tinhso.units.models import Unit


@pytest.fixture
def village_set(tree):
    criteria_set = CriteriaSet.objects.create(
        code="TCD",
        name="Bộ chỉ số Tổ CĐS thôn",
        subject_kind="test.village",
        unit=tree.yen_bai,
        first_period="2024",
        verifying_level="commune",
    )
    group = Criterion.objects.create(
        criteria_set=criteria_set, code="1", name="Hoạt động", max_points=D(15), rule="manual"
    )
    Criterion.objects.create(
        criteria_set=criteria_set,
        parent=group,
        code="1.1",
        name="Hộ được hướng dẫn",
        max_points=D(10),
        rule="ratio",
        source="computed",
        source_key="households",
    )
    Criterion.objects.create(
        criteria_set=criteria_set,
        parent=group,
        code="1.2",
        name="Có lịch trực",
        max_points=D(10),
        rule="boolean",
        source="computed",
        source_key="schedule",
    )
    Criterion.objects.create(
        criteria_set=criteria_set,
        code="2",
        name="Đánh giá của xã",
        max_points=D(5),
        rule="manual",
        evidence_required=True,
    )
    return criteria_set


def subjects(tree):
    return [services.Subject(village, village) for village in (tree.khe_dua, tree.na_hau, tree.dong_tam)]


def provider(criteria, subjects, period):
    reached = {"04441-01": (90, 100), "04441-02": (40, 80), "04426-01": (90, 100)}
    found = {}
    for criterion in criteria:
        for subject in subjects:
            done, households = reached[subject.obj.code]
            if criterion.source_key == "households":
                found[(criterion.pk, subject.obj.pk)] = Inputs(numerator=D(done), denominator=D(households))
            else:
                found[(criterion.pk, subject.obj.pk)] = Inputs(answer=subject.obj.code != "04441-02")
    return found


def test_evaluating_scores_every_subject_with_group_caps_and_classification(village_set, tree):
    evaluations = services.evaluate(village_set, "2024", subjects(tree), provider, actor=None)
    by_code = {e.unit.code: e for e in evaluations}
    assert by_code["04441-01"].total == D(15)  # 9 + 10 capped at the group's 15
    assert by_code["04441-02"].total == D(5)
    assert by_code["04441-01"].max_total == D(20)
    assert by_code["04441-01"].classification == "Khá"  # 75 %
    assert Score.objects.filter(evaluation__criteria_set=village_set).count() == 3 * 3


def test_evaluation_queries_do_not_grow_with_the_number_of_subjects(village_set, tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        services.evaluate(village_set, "2024", subjects(tree), provider, actor=None)


def test_hand_entered_points_survive_recomputation(village_set, tree):
    evaluation = services.evaluate(village_set, "2024", subjects(tree)[:1], provider, actor=None)[0]
    manual = Score.objects.get(evaluation=evaluation, criterion__code="2")
    officer = make_user("commune_officer", tree.xuan_ai)
    services.enter_score(manual, actor=officer, inputs=Inputs(points=D(4)), evidence_note="Biên bản 12/BB-UBND")
    services.evaluate(village_set, "2024", subjects(tree)[:1], provider, actor=None)
    evaluation.refresh_from_db()
    assert evaluation.total == D(19)


def test_a_criterion_that_needs_evidence_refuses_points_without_it(village_set, tree):
    evaluation = services.evaluate(village_set, "2024", subjects(tree)[:1], provider, actor=None)[0]
    manual = Score.objects.get(evaluation=evaluation, criterion__code="2")
    officer = make_user("commune_officer", tree.xuan_ai)
    with pytest.raises(ValidationError):
        services.enter_score(manual, actor=officer, inputs=Inputs(points=D(4)))
    manual.refresh_from_db()
    assert manual.entered_points is None


def test_the_commune_verifies_its_village_and_a_verified_result_is_locked(village_set, tree):
    evaluation = services.evaluate(village_set, "2024", subjects(tree)[:1], provider, actor=None)[0]
    manual = Score.objects.get(evaluation=evaluation, criterion__code="2")
    officer = make_user("commune_officer", tree.xuan_ai)
    services.enter_score(manual, actor=officer, inputs=Inputs(points=D(3)), evidence_note="Biên bản")
    services.verify(evaluation, actor=officer)
    with pytest.raises(ValidationError):
        services.enter_score(manual, actor=officer, inputs=Inputs(points=D(5)), evidence_note="Biên bản")
    services.evaluate(village_set, "2024", subjects(tree)[:1], lambda *a: {}, actor=None)
    evaluation.refresh_from_db()
    assert evaluation.total == D(18)


def test_an_officer_of_another_commune_cannot_verify(village_set, tree):
    evaluation = services.evaluate(village_set, "2024", subjects(tree)[:1], provider, actor=None)[0]
    stranger = make_user("commune_officer", tree.yen_hop)
    with pytest.raises(PermissionDenied):
        services.verify(evaluation, actor=stranger)
    evaluation.refresh_from_db()
    assert evaluation.status == "draft"


def test_rankings_within_communes_and_across_the_province(village_set, tree):
    evaluations = services.evaluate(village_set, "2024", subjects(tree), provider, actor=None)
    by_code = {e.unit.code: e.pk for e in evaluations}
    in_commune = services.rankings(Evaluation.objects.filter(pk__in=by_code.values()).select_related("unit"), "commune")
    assert in_commune[by_code["04441-01"]] == 1 and in_commune[by_code["04441-02"]] == 2
    assert in_commune[by_code["04426-01"]] == 1
    overall = services.rankings(Evaluation.objects.filter(pk__in=by_code.values()), None)
    assert overall[by_code["04441-01"]] == overall[by_code["04426-01"]] == 1
    assert overall[by_code["04441-02"]] == 3


def test_a_set_with_verified_results_is_versioned_not_edited(village_set, tree):
    evaluation = services.evaluate(village_set, "2024", subjects(tree)[:1], provider, actor=None)[0]
    Score.objects.filter(evaluation=evaluation, criterion__code="2").update(evidence_note="x")
    services.verify(evaluation, actor=None)
    village_set.name = "Đổi tên"
    with pytest.raises(ValidationError):
        services.save_criteria_set(village_set, actor=None)
    newer = services.new_version(CriteriaSet.objects.get(pk=village_set.pk), actor=None, first_period="2025")
    assert newer.criteria.count() == 4
    assert CriteriaSet.objects.get(pk=village_set.pk).last_period == "2024"
    assert not village_set.applies_to("2025") or CriteriaSet.objects.get(pk=village_set.pk).applies_to("2025") is False


def test_a_period_outside_the_set_is_refused(village_set, tree):
    with pytest.raises(ValidationError):
        services.evaluate(village_set, "2019", subjects(tree), provider, actor=None)
    assert not Evaluation.objects.exists()
    assert Unit.objects.filter(code="04441-01").exists()


def test_a_score_keeps_when_its_evidence_was_recorded_and_a_later_record_rewrites_it(village_set, tree):
    import datetime

    from django.utils import timezone

    first = timezone.make_aware(datetime.datetime(2024, 3, 1, 8, 0))

    def dated(when):
        def provide(criteria, subjects, period):
            return {
                key: Inputs(**{**vars(given), "recorded_at": when})
                for key, given in provider(criteria, subjects, period).items()
            }

        return provide

    services.evaluate(village_set, "2024", subjects(tree), dated(first), actor=None)
    score = Score.objects.get(criterion__code="1.2", evaluation__subject_id=tree.khe_dua.pk)
    assert score.recorded_at == first
    later = first + datetime.timedelta(days=30)
    services.evaluate(village_set, "2024", subjects(tree), dated(later), actor=None)
    score.refresh_from_db()
    assert score.recorded_at == later
    manual = Score.objects.get(criterion__code="2", evaluation__subject_id=tree.khe_dua.pk)
    assert manual.recorded_at is None  # nothing entered yet
    officer = make_user("commune_officer", tree.xuan_ai)
    services.enter_score(manual, actor=officer, inputs=Inputs(points=D(4)), evidence_note="Biên bản số 1")
    manual.refresh_from_db()
    assert manual.recorded_at is not None
    services.evaluate(village_set, "2024", subjects(tree), dated(later), actor=None)
    entered = manual.recorded_at
    manual.refresh_from_db()
    assert manual.recorded_at == entered  # a later run keeps when the points were entered
