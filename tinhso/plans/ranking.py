"""What plans gives the shared scoring engine (tinhso.scoring): subjects and their inputs.

Subject kinds: "plans.commune" and "plans.district" (units), "plans.department" (departments).
A criterion's data comes from an indicator (source "indicator", source_key = its code), computed
for every subject in one Calculator pass, or from a key computed here (source "computed"):

    reports_on_time    reports first submitted by their due date / reports due
    reports_submitted  reports submitted or approved / reports due
    tasks_on_time      tasks completed by their due date / tasks due in the period
    tasks_completed    tasks completed / tasks due in the period
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from tinhso.scoring.choices import Rule, Source
from tinhso.scoring.rules import Inputs
from tinhso.scoring.services import Subject
from tinhso.units.choices import OrganisationKind
from tinhso.units.models import Organisation, Unit
from tinhso.units.snapshot import snapshot_on

from . import periods
from .choices import REPORTED_STATUSES, TaskStatus
from .figures import Ask, Calculator
from .models import Indicator, Report, Task

SUBJECT_KINDS = {
    "plans.commune": _("Communes"),
    "plans.district": _("Districts"),
    "plans.department": _("Departments"),
}
COMPUTED_KEYS = ("reports_on_time", "reports_submitted", "tasks_on_time", "tasks_completed")


def subjects_for(criteria_set, period_code: str) -> list[Subject]:
    """The units or departments a criteria set scores for a period, under its owner unit."""
    period = periods.parse(period_code)
    owner = criteria_set.unit
    if criteria_set.subject_kind == "plans.department":
        departments = Organisation.objects.filter(
            unit__path__startswith=owner.path, kind=OrganisationKind.DEPARTMENT, is_active=True
        ).select_related("unit")
        return [Subject(each, each.unit, each.name) for each in departments]
    level = criteria_set.subject_kind.removeprefix("plans.")
    units = Unit.objects.valid_on(period.end).filter(level=level)
    structure = snapshot_on(period.end)
    placed = structure.placed(owner.pk)
    inside = set(structure.valid_within(placed.id if placed else owner.pk, level, period.end))
    return [Subject(unit, unit, unit.name) for unit in units.filter(pk__in=inside)]


def _pk(subject: Subject) -> int:
    return subject.obj.pk  # type: ignore[attr-defined]


def _fraction(numerator, denominator) -> tuple[Decimal | None, Decimal | None]:
    return (Decimal(numerator), Decimal(denominator)) if denominator else (None, None)


def inputs_for_rule(rule: str, numerator, denominator, value) -> Inputs:
    if rule == Rule.RATIO:
        return Inputs(numerator=numerator, denominator=denominator)
    if rule == Rule.BOOLEAN:
        return Inputs(answer=None if value is None else value > 0)
    return Inputs(value=value)


def provide_inputs(criteria, subjects: list[Subject], period_code: str) -> dict[tuple[int, int], Inputs]:
    period = periods.parse(period_code)
    found: dict[tuple[int, int], Inputs] = {}
    by_indicator = [c for c in criteria if c.source == Source.INDICATOR]
    computed = [c for c in criteria if c.source == Source.COMPUTED and c.source_key in COMPUTED_KEYS]
    found.update(indicator_inputs(by_indicator, subjects, period))
    for criterion in computed:
        counts = COUNTERS[criterion.source_key](subjects, period)
        for subject in subjects:
            numerator, denominator = _fraction(*counts.get(_pk(subject), (0, 0)))
            value = numerator * 100 / denominator if numerator is not None and denominator else None
            found[(criterion.pk, _pk(subject))] = inputs_for_rule(criterion.rule, numerator, denominator, value)
    return found


def indicator_inputs(criteria, subjects: list[Subject], period) -> dict:
    """Inputs of criteria fed by a plan indicator, each computed on its subject's unit (any module's
    subjects: teams use it for their villages and communes)."""
    if not criteria or not subjects:
        return {}
    indicators = {each.code: each for each in Indicator.objects.filter(code__in={c.source_key for c in criteria})}
    structure = snapshot_on(period.end)
    pairs = [(c, s) for c in criteria if c.source_key in indicators for s in subjects]
    asks = [Ask(subject.unit.pk, indicators[criterion.source_key], period) for criterion, subject in pairs]
    figures = Calculator(structure).compute(asks)
    return {
        (criterion.pk, _pk(subject)): inputs_for_rule(
            criterion.rule, figure.numerator, figure.denominator, figure.shown_value
        )
        for (criterion, subject), figure in zip(pairs, figures, strict=True)
        if figure.has_data
    }


def _report_counts(subjects: list[Subject], period, counts_as_done) -> dict[int, tuple[int, int]]:
    """(done, due) reports from each subject's area in the period — its own and its units' below,
    including those of the units it continues (merged communes)."""
    structure = snapshot_on(period.end)
    owner = {source: _pk(s) for s in subjects for source in structure.sources_of(s.unit.pk) or [s.unit.pk]}
    subject_of = {}
    for unit in structure.units.values():
        found = next((owner[each] for each in reversed(unit.lineage) if each in owner), None)
        if found is not None and unit.existed_between(period.start, period.end):
            subject_of[unit.id] = found
    codes = [each.code for kind in ("month", "quarter", "half", "year") for each in periods.sub_periods(period, kind)]
    rows = Report.objects.filter(unit_id__in=list(subject_of), period__in=codes).values_list(
        "unit_id", "status", "first_submitted_at", "due_date"
    )
    counts: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for unit_id, status, first, due in rows:
        done, total = counts[subject_of[unit_id]]
        counts[subject_of[unit_id]] = (done + counts_as_done(status, first, due), total + 1)
    return {_pk(s): counts[_pk(s)] for s in subjects}


def reports_on_time(subjects, period):
    return _report_counts(
        subjects, period, lambda status, first, due: status in REPORTED_STATUSES and localtime(first).date() <= due
    )


def reports_submitted(subjects, period):
    return _report_counts(subjects, period, lambda status, first, due: status in REPORTED_STATUSES)


def _task_counts(subjects: list[Subject], period, done: Q) -> dict[int, tuple[int, int]]:
    tasks = Task.objects.filter(due_date__range=(period.start, period.end)).exclude(
        status__in=(TaskStatus.DRAFT, TaskStatus.CANCELLED)
    )
    departments = subjects and isinstance(subjects[0].obj, Organisation)
    key = "owner_organisation_id" if departments else "unit_id"
    ids = [_pk(s) for s in subjects]
    rows = tasks.filter(**{f"{key}__in": ids}).values(key).annotate(due=Count("pk"), done=Count("pk", filter=done))
    counts: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    counts.update({row[key]: (row["done"], row["due"]) for row in rows})
    return {pk: counts[pk] for pk in ids}


def tasks_on_time(subjects, period):
    return _task_counts(subjects, period, Q(status=TaskStatus.COMPLETED, completed_on__lte=F("due_date")))


def tasks_completed(subjects, period):
    return _task_counts(subjects, period, Q(status=TaskStatus.COMPLETED))


COUNTERS = {
    "reports_on_time": reports_on_time,
    "reports_submitted": reports_submitted,
    "tasks_on_time": tasks_on_time,
    "tasks_completed": tasks_completed,
}
