"""The one write path of scoring: evaluate many subjects at once, enter manual points, verify."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.bulk import insert_values
from tinhso.core.changelog import log_bulk_create, log_bulk_update
from tinhso.core.periods import parse_period, period_of
from tinhso.core.permissions import require
from tinhso.units.models import Unit

from . import rules
from .choices import EvaluationStatus, Rule
from .models import CriteriaSet, Criterion, Evaluation, Score
from .rules import Inputs

SCORE_FIELDS = ["value", "numerator", "denominator", "answer", "points", "recorded_at"]


@dataclass(frozen=True)
class Subject:
    """What is evaluated (a team, a commune, a department...) and the unit it belongs to."""

    obj: object
    unit: Unit
    label: str = ""


InputProvider = Callable[[list[Criterion], list[Subject], str], dict[tuple[int, int], Inputs]]


def leaf_criteria(criteria_set: CriteriaSet) -> list[Criterion]:
    criteria = list(criteria_set.criteria.all())
    parents = {criterion.parent_id for criterion in criteria if criterion.parent_id}
    return [criterion for criterion in criteria if criterion.pk not in parents]


@transaction.atomic
def evaluate(
    criteria_set: CriteriaSet, period: str, subjects: list[Subject], provide_inputs: InputProvider, *, actor
) -> list[Evaluation]:
    """Score every subject for `period`. Verified evaluations stay as verified; hand-entered
    points are kept; only what changed is written, and totals that moved are logged."""
    require(actor, "scoring.add_evaluation", criteria_set)
    parse_period(period)
    if not criteria_set.applies_to(period):
        raise ValidationError(
            _("The criteria set “%(set)s” does not apply to period %(period)s.")
            % {"set": criteria_set.name, "period": period}
        )
    criteria = leaf_criteria(criteria_set)
    evaluations, created = _evaluations_for(criteria_set, period, subjects)
    open_evaluations = [e for e in evaluations.values() if not e.is_locked]
    inputs = provide_inputs([c for c in criteria if c.rule != Rule.MANUAL], subjects, period)
    points = _write_scores(criteria, open_evaluations, inputs)
    _write_totals(criteria_set, open_evaluations, points, created={e.pk for e in created})
    # Logged once their totals are known: one "created" entry with the first score, not a creation at zero
    # followed by an update (half the change log of a province's month).
    log_bulk_create(created)
    return list(evaluations.values())


def _evaluations_for(criteria_set, period, subjects) -> tuple[dict[int, Evaluation], list[Evaluation]]:
    """The subjects' evaluations of the period, {subject id: evaluation}, and those created now."""
    if not subjects:
        return {}, []
    subject_type = ContentType.objects.get_for_model(subjects[0].obj)
    found = {
        e.subject_id: e
        for e in Evaluation.objects.filter(
            criteria_set=criteria_set,
            period=period,
            subject_type=subject_type,
            subject_id__in=[s.obj.pk for s in subjects],
        )
    }
    missing = [
        Evaluation(
            criteria_set=criteria_set,
            period=period,
            subject_type=subject_type,
            subject_id=s.obj.pk,
            subject_label=(s.label or str(s.obj))[:200],
            unit=s.unit,
        )
        for s in subjects
        if s.obj.pk not in found
    ]
    created = Evaluation.objects.bulk_create(missing, batch_size=1000)
    found.update({e.subject_id: e for e in created})
    return found, created


class _Stored(NamedTuple):
    """A score as stored, read as a plain row: a province's month holds 50,000 of them."""

    pk: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    answer: bool | None
    points: Decimal
    recorded_at: datetime.datetime | None
    entered_points: Decimal | None


def _write_scores(criteria, evaluations, inputs) -> dict[int, dict[int, Decimal]]:
    """Write the points of every criterion; returns {evaluation id: {criterion id: points}}."""
    existing: dict[int, dict[int, _Stored]] = defaultdict(dict)
    points: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for evaluation_id, criterion_id, *stored in Score.objects.filter(evaluation__in=evaluations).values_list(
        "evaluation_id", "criterion_id", "pk", *SCORE_FIELDS, "entered_points"
    ):
        existing[evaluation_id][criterion_id] = _Stored(*stored)
    new, changed = [], []
    for evaluation in evaluations:
        for criterion in criteria:
            score = existing[evaluation.pk].get(criterion.pk)
            given = (
                _manual_inputs(score)
                if criterion.rule == Rule.MANUAL
                else inputs.get((criterion.pk, evaluation.subject_id), Inputs())
            )
            points_given = rules.points(criterion, given)
            values = {
                "value": given.value,
                "numerator": given.numerator,
                "denominator": given.denominator,
                "answer": given.answer,
                "points": points_given,
                "recorded_at": given.recorded_at,
            }
            if score is None:
                new.append((evaluation, criterion, values))
            elif any(getattr(score, name) != value for name, value in values.items()):
                changed.append(Score(pk=score.pk, evaluation=evaluation, criterion=criterion, **values))
            points[evaluation.pk][criterion.pk] = points_given
    _insert_scores(new)
    _write_fields(Score, changed, SCORE_FIELDS)
    return points


def _insert_scores(new: list[tuple[Evaluation, Criterion, dict]]) -> None:
    """Insert new scores, given as (evaluation, criterion, values), straight from the values (through COPY on
    PostgreSQL, a prepared INSERT run for every row elsewhere): a province's month is 50,000 scores, and building
    a model instance for each, then turning its values into SQL parameters, was most of the run. Scores are
    written without a change log entry either way (their evaluation's total is logged), and nothing reads their
    primary keys afterwards."""
    if not new:
        return
    now = timezone.now()
    fields = [f for f in Score._meta.concrete_fields if not f.primary_key]
    # What every new score holds besides its evaluation, criterion and values: the fields' defaults.
    fixed = {f.name: (now if f.name in ("created_at", "updated_at") else f.get_default()) for f in fields}
    if connection.vendor != "postgresql":
        rows = (
            {**fixed, **values, "evaluation": evaluation.pk, "criterion": criterion.pk}
            for evaluation, criterion, values in new
        )
        insert_values(Score, fields, ([row[f.name] for f in fields] for row in rows))
        return
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(Score._meta.db_table)

    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for evaluation, criterion, values in new:
            row = {**fixed, **values, "evaluation": evaluation.pk, "criterion": criterion.pk}
            copy.write_row([row[f.name] for f in fields])


def _write_fields(model, objects: list, fields: list[str]) -> None:
    """Save `fields` of many rows at once. An upsert on the primary key (INSERT … ON CONFLICT DO
    UPDATE) costs a tenth of bulk_update's CASE WHEN for a province's 1,500 evaluations."""
    model.objects.bulk_create(
        objects, update_conflicts=True, unique_fields=["id"], update_fields=fields, batch_size=1000
    )


def _manual_inputs(score: _Stored | None) -> Inputs:
    return Inputs(points=score.entered_points, recorded_at=score.recorded_at) if score is not None else Inputs()


def _write_totals(
    criteria_set: CriteriaSet, evaluations: list[Evaluation], points: dict, *, created: Collection[int] = ()
) -> None:
    """Set every evaluation's total. Those created now or whose total moved are written (and the moved ones
    logged, with the values read from the database as "before"); the others only get `computed_at`, so a
    month scored again with nothing changed rewrites and logs nothing else."""
    criteria = list(criteria_set.criteria.all())
    maximum = _maximum(criteria)
    now, written, moved, unchanged = timezone.now(), [], [], []
    for evaluation in evaluations:
        before = _totals_of(evaluation)
        _set_total(evaluation, criteria_set, _total(criteria, points.get(evaluation.pk, {})), maximum)
        evaluation.computed_at = now
        if evaluation.pk in created:
            written.append(evaluation)
        elif before != _totals_of(evaluation):
            written.append(evaluation)
            moved.append((evaluation.change_log_loaded(), evaluation))
        else:
            unchanged.append(evaluation.pk)
    _write_fields(Evaluation, written, ["total", "max_total", "percent", "classification", "computed_at"])
    if unchanged:
        Evaluation.objects.filter(pk__in=unchanged).update(computed_at=now)
    log_bulk_update(moved)


def _totals_of(evaluation: Evaluation) -> tuple:
    return evaluation.total, evaluation.max_total, evaluation.percent, evaluation.classification


def _total(criteria: list[Criterion], points: dict[int, Decimal]) -> Decimal:
    """Sum of leaf points, each group capped at its own maximum."""
    children = defaultdict(list)
    for criterion in criteria:
        children[criterion.parent_id].append(criterion)

    def subtotal(criterion: Criterion) -> Decimal:
        if not children.get(criterion.pk):
            return points.get(criterion.pk, Decimal(0))
        return min(sum((subtotal(child) for child in children[criterion.pk]), Decimal(0)), criterion.max_points)

    return sum((subtotal(top) for top in children[None]), Decimal(0))


def _maximum(criteria: list[Criterion]) -> Decimal:
    return sum((c.max_points for c in criteria if c.parent_id is None), Decimal(0))


def _set_total(evaluation: Evaluation, criteria_set: CriteriaSet, total: Decimal, maximum: Decimal) -> None:
    evaluation.total, evaluation.max_total = total, maximum
    evaluation.percent = (total * 100 / maximum).quantize(rules.CENT) if maximum else Decimal(0)
    evaluation.classification = rules.classify(evaluation.percent, criteria_set.classification)


@transaction.atomic
def enter_score(score: Score, *, actor, inputs: Inputs, evidence_note: str = "", evidence_file=None) -> Score:
    """Hand-entered points (or a value) for one criterion, with the evidence the criterion asks for."""
    score = Score.objects.select_for_update().select_related("evaluation", "criterion").get(pk=score.pk)
    require(actor, "scoring.change_score", score)
    if score.evaluation.is_locked:
        raise ValidationError(_("This evaluation is verified; ask the verifier to return it before changing it."))
    if evidence_note:
        score.evidence_note = evidence_note[:300]
    if evidence_file is not None:
        score.evidence_file = evidence_file
    if score.criterion.evidence_required and not score.has_evidence:
        raise ValidationError({"evidence_note": _("This criterion needs evidence: a document or a file.")})
    _check_inputs(score.criterion, inputs)
    result = rules.score(score.criterion, inputs)
    score.entered_points = inputs.points
    score.value, score.numerator, score.denominator, score.answer = (
        inputs.value,
        inputs.numerator,
        inputs.denominator,
        inputs.answer,
    )
    score.points, score.entered_by = result.points, actor if getattr(actor, "pk", None) else None
    score.recorded_at = timezone.now()
    score.save()
    recompute_total(score.evaluation)
    return score


def _check_inputs(criterion: Criterion, inputs: Inputs) -> None:
    if inputs.points is not None and not (0 <= inputs.points <= criterion.max_points):
        raise ValidationError(
            {"points": _("Points must be between 0 and %(max)s.") % {"max": rules.number(criterion.max_points)}}
        )
    if inputs.denominator is not None and inputs.denominator <= 0:
        raise ValidationError({"denominator": _("The denominator must be greater than 0.")})
    if inputs.numerator is not None and inputs.denominator is not None and inputs.numerator > inputs.denominator:
        raise ValidationError({"numerator": _("The numerator must not exceed the denominator.")})


def recompute_total(evaluation: Evaluation) -> Evaluation:
    criteria_set = evaluation.criteria_set
    criteria = list(criteria_set.criteria.all())
    points = dict(evaluation.scores.values_list("criterion_id", "points"))
    _set_total(evaluation, criteria_set, _total(criteria, points), _maximum(criteria))
    evaluation.computed_at = timezone.now()
    evaluation.save()
    return evaluation


def verifying_unit(evaluation: Evaluation) -> Unit:
    """The unit whose officers verify: the evaluated unit's ancestor at the set's verifying level."""
    level = evaluation.criteria_set.verifying_level
    if evaluation.unit.level == level:
        return evaluation.unit
    return next((unit for unit in evaluation.unit.ancestors() if unit.level == level), evaluation.unit)


def _fresh(evaluation: Evaluation) -> Evaluation:
    return Evaluation.objects.select_for_update().select_related("criteria_set", "unit").get(pk=evaluation.pk)


REVIEW_FIELDS = ["status", "note", "verified_by", "verified_at", "updated_at"]


@transaction.atomic
def verify(evaluation: Evaluation, *, actor, note: str = "") -> Evaluation:
    evaluation = _fresh(evaluation)
    require(actor, "scoring.verify_evaluation", verifying_unit(evaluation))
    missing = [
        s.criterion.code
        for s in evaluation.scores.select_related("criterion")
        if s.criterion.evidence_required and not s.has_evidence
    ]
    if missing:
        raise ValidationError(_("Evidence is missing for criteria %(codes)s.") % {"codes": ", ".join(missing)})
    evaluation.status, evaluation.note = EvaluationStatus.VERIFIED, note or evaluation.note
    evaluation.verified_by, evaluation.verified_at = actor if getattr(actor, "pk", None) else None, timezone.now()
    evaluation.save(update_fields=REVIEW_FIELDS)
    return evaluation


@transaction.atomic
def return_for_correction(evaluation: Evaluation, *, actor, reason: str) -> Evaluation:
    evaluation = _fresh(evaluation)
    require(actor, "scoring.verify_evaluation", verifying_unit(evaluation))
    if not reason.strip():
        raise ValidationError({"note": _("Say what must be corrected.")})
    evaluation.status, evaluation.note = EvaluationStatus.RETURNED, reason.strip()
    evaluation.verified_by, evaluation.verified_at = None, None
    evaluation.save(update_fields=REVIEW_FIELDS)
    return evaluation


def rankings(evaluations: Iterable[Evaluation], group_level: str | None = None) -> dict[int, int]:
    """Rank of each evaluation by total, within groups of the ancestor at `group_level`
    ("commune", "district", "province"; None ranks them all together)."""
    evaluations = list(evaluations)
    groups: dict[int | None, dict[int, Decimal]] = defaultdict(dict)
    ancestors = _ancestor_at_level(evaluations, group_level) if group_level else {}
    for evaluation in evaluations:
        groups[ancestors.get(evaluation.pk)][evaluation.pk] = evaluation.total
    ranks: dict[int, int] = {}
    for totals in groups.values():
        ranks.update(rules.competition_ranks(totals))
    return ranks


def _ancestor_at_level(evaluations: list[Evaluation], level: str) -> dict[int, int | None]:
    """{evaluation id: id of its unit's ancestor (or itself) at `level`}, with one query."""
    paths = {e.pk: [int(part) for part in e.unit.path.strip("/").split("/")] for e in evaluations}
    ids = {unit_id for chain in paths.values() for unit_id in chain}
    levels = dict(Unit.objects.filter(pk__in=ids, level=level).values_list("pk", "level"))
    return {pk: next((unit_id for unit_id in chain if unit_id in levels), None) for pk, chain in paths.items()}


@transaction.atomic
def save_criteria_set(criteria_set: CriteriaSet, *, actor) -> CriteriaSet:
    require(actor, "scoring.change_criteriaset" if criteria_set.pk else "scoring.add_criteriaset", criteria_set)
    _check_not_verified(criteria_set)
    parse_period(criteria_set.first_period)
    if criteria_set.last_period:
        parse_period(criteria_set.last_period)
    criteria_set.full_clean()
    criteria_set.save()
    return criteria_set


@transaction.atomic
def save_criterion(criterion: Criterion, *, actor) -> Criterion:
    require(actor, "scoring.change_criteriaset", criterion.criteria_set)
    _check_not_verified(criterion.criteria_set)
    if criterion.rule == Rule.STEPPED and not criterion.thresholds:
        raise ValidationError({"thresholds": _("A stepped rule needs at least one threshold.")})
    criterion.full_clean()
    criterion.save()
    return criterion


def _check_not_verified(criteria_set: CriteriaSet) -> None:
    if criteria_set.pk and criteria_set.evaluations.filter(status=EvaluationStatus.VERIFIED).exists():
        raise ValidationError(
            _("Results scored with this set are verified: make a new version for later periods instead of changing it.")
        )


@transaction.atomic
def new_version(criteria_set: CriteriaSet, *, actor, first_period: str) -> CriteriaSet:
    """Copy a set and its criteria to start at `first_period`; the old one ends just before."""
    require(actor, "scoring.add_criteriaset", criteria_set)
    start = parse_period(first_period)
    if start.start <= parse_period(criteria_set.first_period).start:
        raise ValidationError(
            {"first_period": _("A new version must start after %(period)s.") % {"period": criteria_set.first_period}}
        )
    old_criteria = list(criteria_set.criteria.order_by("parent_id", "order"))
    criteria_set.last_period = _previous_period(first_period)
    criteria_set.save()
    copy = CriteriaSet.objects.get(pk=criteria_set.pk)
    copy.pk, copy.first_period, copy.last_period = None, first_period, ""
    copy.save()
    mapping: dict[int, Criterion] = {}
    for criterion in sorted(old_criteria, key=lambda c: c.parent_id is not None):
        old_pk = criterion.pk
        criterion.pk, criterion.criteria_set = None, copy
        criterion.parent = mapping.get(criterion.parent_id) if criterion.parent_id else None
        criterion.save()
        mapping[old_pk] = criterion
    return copy


def _previous_period(code: str) -> str:
    period = parse_period(code)
    return period_of(period.start - datetime.timedelta(days=1), period.kind).code
