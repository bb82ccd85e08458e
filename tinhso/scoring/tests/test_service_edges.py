"""What an officer meets at the edges of scoring: out-of-range entries, a return for correction, a
stepped rule without steps, a version that starts too early — each refused with nothing changed."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tinhso.accounts.testing import make_user
from tinhso.scoring import services
from tinhso.scoring.models import CriteriaSet, Criterion, Evaluation, Score
from tinhso.scoring.rules import Inputs

from .test_services import provider, subjects, village_set  # noqa: F401  (fixture)


@pytest.fixture
def manual(village_set, tree):  # noqa: F811
    evaluation = services.evaluate(village_set, "2024", subjects(tree)[:1], provider, actor=None)[0]
    return Score.objects.get(evaluation=evaluation, criterion__code="2")


@pytest.fixture
def officer(tree):
    return make_user("commune_officer", tree.xuan_ai)


@pytest.mark.parametrize(
    "inputs, field",
    [
        (Inputs(points=D(6)), "points"),  # above the criterion's 5
        (Inputs(points=D(-1)), "points"),
        (Inputs(numerator=D(1), denominator=D(0)), "denominator"),
        (Inputs(numerator=D(5), denominator=D(-2)), "denominator"),
        (Inputs(numerator=D(11), denominator=D(10)), "numerator"),
    ],
)
def test_entries_out_of_range_are_refused_naming_the_field(manual, officer, inputs, field):
    total_before = manual.evaluation.total
    with pytest.raises(ValidationError) as refused:
        services.enter_score(manual, actor=officer, inputs=inputs, evidence_note="Biên bản 3/BB")
    assert field in refused.value.message_dict
    manual.refresh_from_db()
    manual.evaluation.refresh_from_db()
    assert manual.entered_points is None and manual.evaluation.total == total_before


def test_points_at_the_criterions_maximum_are_accepted(manual, officer):
    services.enter_score(manual, actor=officer, inputs=Inputs(points=D(5)), evidence_note="Biên bản 3/BB")
    manual.refresh_from_db()
    assert manual.points == D(5) and manual.entered_by == officer


def test_an_officer_of_another_commune_cannot_enter_points(manual, tree):
    stranger = make_user("commune_officer", tree.yen_hop)
    with pytest.raises(PermissionDenied):
        services.enter_score(manual, actor=stranger, inputs=Inputs(points=D(2)), evidence_note="x")
    manual.refresh_from_db()
    assert manual.entered_points is None


@pytest.mark.django_db(transaction=True)
def test_entering_points_outside_a_request_transaction_saves_score_and_total_together(village_set, tree):  # noqa: F811
    # The page calls the service in autocommit mode: the row lock needs the service's own transaction
    # (PostgreSQL refuses SELECT … FOR UPDATE outside one), and the total follows the score.
    evaluation = services.evaluate(village_set, "2024", subjects(tree)[:1], provider, actor=None)[0]
    manual = Score.objects.get(evaluation=evaluation, criterion__code="2")
    officer = make_user("commune_officer", tree.xuan_ai)
    services.enter_score(manual, actor=officer, inputs=Inputs(points=D(4)), evidence_note="Biên bản")
    evaluation.refresh_from_db()
    assert evaluation.total == D(19)


def test_a_return_for_correction_needs_a_reason_and_reopens_the_evaluation(manual, officer):
    evaluation = manual.evaluation
    services.enter_score(manual, actor=officer, inputs=Inputs(points=D(3)), evidence_note="Biên bản")
    services.verify(evaluation, actor=officer)
    with pytest.raises(ValidationError) as refused:
        services.return_for_correction(evaluation, actor=officer, reason="   ")
    assert "note" in refused.value.message_dict
    assert Evaluation.objects.get(pk=evaluation.pk).status == "verified"

    services.return_for_correction(evaluation, actor=officer, reason="  Thiếu biên bản họp thôn ")
    evaluation.refresh_from_db()
    assert (evaluation.status, evaluation.note, evaluation.verified_by) == ("returned", "Thiếu biên bản họp thôn", None)
    services.enter_score(manual, actor=officer, inputs=Inputs(points=D(5)), evidence_note="Biên bản")
    evaluation.refresh_from_db()
    assert evaluation.total == D(20)


def test_only_the_verifying_commune_returns_an_evaluation(manual, tree):
    stranger = make_user("commune_officer", tree.yen_hop)
    with pytest.raises(PermissionDenied):
        services.return_for_correction(manual.evaluation, actor=stranger, reason="Sai")
    assert Evaluation.objects.get(pk=manual.evaluation_id).status == "draft"


def test_verifying_without_the_evidence_a_criterion_needs_names_the_criterion(manual, officer):
    with pytest.raises(ValidationError) as refused:
        services.verify(manual.evaluation, actor=officer)
    assert "2" in " ".join(refused.value.messages)
    assert Evaluation.objects.get(pk=manual.evaluation_id).status == "draft"


def test_a_stepped_rule_without_steps_is_refused(village_set):  # noqa: F811
    criterion = Criterion(criteria_set=village_set, code="3", name="Bậc thang", max_points=D(5), rule="stepped")
    with pytest.raises(ValidationError) as refused:
        services.save_criterion(criterion, actor=None)
    assert "thresholds" in refused.value.message_dict
    assert not village_set.criteria.filter(code="3").exists()


def test_a_new_version_must_start_after_the_old_one(village_set):  # noqa: F811
    for too_early in ("2024", "2023"):
        with pytest.raises(ValidationError) as refused:
            services.new_version(village_set, actor=None, first_period=too_early)
        assert "first_period" in refused.value.message_dict
    assert CriteriaSet.objects.filter(code="TCD").count() == 1
    assert CriteriaSet.objects.get(pk=village_set.pk).last_period == ""


def test_a_new_version_keeps_the_tree_of_criteria(village_set):  # noqa: F811
    newer = services.new_version(village_set, actor=None, first_period="2026")
    copied = {c.code: c for c in newer.criteria.select_related("parent")}
    assert copied["1.1"].parent == copied["1"] and copied["1.2"].parent == copied["1"]
    assert copied["1"].criteria_set == newer and copied["2"].parent is None
    assert CriteriaSet.objects.get(pk=village_set.pk).last_period == "2025"
