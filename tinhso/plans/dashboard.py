"""What the live dashboard of a unit shows, computed on each page load from approved data.

Everything figure-like goes through one Calculator pass (three queries whatever the number of
indicators and units), so an approval a moment ago is already counted and the page stays fast.
"""

from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.periods import period_of
from tinhso.units.snapshot import UnitSnapshot, UnitVersion

from . import display, periods
from .choices import REPORTED_STATUSES, Direction, Pillar, Rounding
from .completeness import Completeness, area_filter, completeness
from .figures import Ask, Calculator, Figure
from .models import DataSet, Indicator, Plan, Report, Target, Task

LOOK_BACK = 4
TREND_LENGTH = 5
RANKING_KINDS = ("plans.commune", "plans.district")


@dataclass
class TargetLine:
    indicator: Indicator
    target: Target | None
    figure: Figure

    @property
    def achieved(self) -> bool | None:
        return self.figure.meets(self.target.value if self.target else None)

    @property
    def target_display(self) -> str:
        if self.target is None:
            return "—"
        sign = "≥" if self.indicator.direction == Direction.HIGHER else "≤"
        percent = "%" if self.indicator.display_format == "percent" else ""
        return f"{sign} {display.whole(self.target.value)}{percent}"


def share(part: int, whole: int) -> str:
    """“72%”: shares of targets are truncated, as official reports write “over 72%”."""
    if not whole:
        return "—"
    return display.figure(Decimal(part) * 100 / whole, display_format="percent", decimals=0, rounding=Rounding.TRUNCATE)


@dataclass
class Progress:
    label: str
    achieved: int = 0
    total: int = 0

    @property
    def percent(self) -> int:
        return int(self.achieved * 100 / self.total) if self.total else 0

    @property
    def share(self) -> str:
        return share(self.achieved, self.total)


@dataclass
class PlanProgress:
    plan: Plan
    lines: list[TargetLine] = field(default_factory=list)

    @property
    def scored(self) -> list[TargetLine]:
        return [line for line in self.lines if line.target is not None]

    @property
    def overall(self) -> Progress:
        scored = self.scored
        return Progress(_("All targets"), sum(bool(line.achieved) for line in scored), len(scored))

    def by_pillar(self) -> list[Progress]:
        found: OrderedDict[str, Progress] = OrderedDict((pillar.value, Progress(pillar.label)) for pillar in Pillar)
        for line in self.scored:
            progress = found[line.indicator.pillar]
            progress.total += 1
            progress.achieved += bool(line.achieved)
        return [progress for progress in found.values() if progress.total]

    def grouped(self) -> list[tuple[str, list[TargetLine]]]:
        """Lines by pillar, pillars in their usual order (foundations, government, economy, society)."""
        groups: OrderedDict[str, list[TargetLine]] = OrderedDict((pillar.value, []) for pillar in Pillar)
        for line in self.lines:
            groups[line.indicator.pillar].append(line)
        return [(Pillar(pillar).label, lines) for pillar, lines in groups.items() if lines]


@dataclass
class Dashboard:
    structure: UnitSnapshot
    unit: UnitVersion
    period: periods.Period
    plans: list[PlanProgress]
    selected: PlanProgress | None
    focus: Indicator | None
    children: list[tuple[UnitVersion, Figure]]
    trend: list[Figure]
    reporting: list[Completeness]
    overdue: list[Task]
    overdue_count: int
    due_soon_count: int
    rankings: list[tuple[int, object]]

    @property
    def ancestors(self) -> list[UnitVersion]:
        return self.structure.ancestors(self.unit.id)


def plans_for(structure: UnitSnapshot, unit: UnitVersion, user) -> list[Plan]:
    """Plans issued by the unit (or by units it continues) first, then those of the units above it.
    A dissolved district's plan is not the province's: only true representatives count here."""
    lineage = list(reversed(unit.lineage))
    found = [
        (lineage.index(placed.id), plan)
        for plan in Plan.objects.restrict(user)
        .select_related("unit")
        .prefetch_related(Prefetch("targets", queryset=Target.objects.select_related("indicator")))
        if (placed := structure.representative(plan.unit_id)) is not None and placed.id in lineage
    ]
    newest_first = sorted(
        found, key=lambda item: (item[0], -item[1].start_date.toordinal(), -item[1].issued_on.toordinal())
    )
    return [plan for _distance, plan in newest_first]


def default_period(plan: Plan | None) -> periods.Period:
    """The plan's last year, or the last year that has ended if the plan runs on."""
    last_ended = periods.latest_ended(timezone.localdate(), "year")
    if plan is None:
        return last_ended
    return min(period_of(plan.end_date, "year"), last_ended, key=lambda period: period.start)


def _targets(structure: UnitSnapshot, plan: Plan, unit: UnitVersion) -> list[tuple[Indicator, Target | None]]:
    """The plan's indicators in order, each with its target for this unit (as placed), if any."""
    lines: OrderedDict[int, tuple[Indicator, Target | None]] = OrderedDict()
    for target in plan.targets.all():
        here = structure.placed(target.unit_id) == unit
        current = lines.get(target.indicator_id)
        if current is None or (here and current[1] is None):
            lines[target.indicator_id] = (target.indicator, target if here else None)
    return list(lines.values())


class DashboardBuilder:
    def __init__(self, structure: UnitSnapshot, unit: UnitVersion, user, *, period=None, plan_id=None, focus_code=None):
        self.structure, self.unit, self.user = structure, unit, user
        self.candidates = plans_for(structure, unit, user)
        self.plan = next((plan for plan in self.candidates if plan.pk == plan_id), None) or next(
            (plan for plan in self.candidates if plan.targets.all()), None
        )
        self.period = period or default_period(self.plan)
        self.focus_code = focus_code

    def build(self) -> Dashboard:
        own = [plan for plan in self.candidates if self.structure.representative(plan.unit_id) == self.unit]
        shown = own if self.plan in own or self.plan is None else [self.plan, *own]
        layouts = {plan.pk: self._layout(plan) for plan in shown}
        focus = self._focus(layouts)
        children = self.structure.children_of(self.unit.id) if focus else []
        asks = [ask for layout in layouts.values() for _indicator, _target, ask in layout]
        child_asks = [Ask(child.id, focus, self.period, LOOK_BACK) for child in children] if focus else []
        trend_asks = self._trend_asks(focus)
        figures = Calculator(self.structure).compute(asks + child_asks + trend_asks)
        progress = self._progress(shown, layouts, figures[: len(asks)])
        overdue, overdue_count, due_soon = self._tasks()
        return Dashboard(
            structure=self.structure,
            unit=self.unit,
            period=self.period,
            plans=progress,
            selected=next((item for item in progress if item.plan == self.plan), None),
            focus=focus,
            children=list(zip(children, figures[len(asks) : len(asks) + len(child_asks)], strict=True)),
            trend=figures[len(asks) + len(child_asks) :],
            reporting=self._reporting(),
            overdue=overdue,
            overdue_count=overdue_count,
            due_soon_count=due_soon,
            rankings=self._rankings(),
        )

    def headline(self, limit: int) -> list[TargetLine]:
        """The first `limit` indicators of the chosen plan that have a target here, with their figures (one
        Calculator pass): what a district or province officer reads first on the home page."""
        if self.plan is None:
            return []
        layout = [line for line in self._layout(self.plan) if line[1] is not None][:limit]
        figures = Calculator(self.structure).compute([ask for _indicator, _target, ask in layout])
        return [
            TargetLine(indicator, target, figure)
            for (indicator, target, _ask), figure in zip(layout, figures, strict=True)
        ]

    def _layout(self, plan: Plan) -> list[tuple]:
        return [
            (indicator, target, Ask(self.unit.id, indicator, self.period, LOOK_BACK))
            for indicator, target in _targets(self.structure, plan, self.unit)
        ]

    def _focus(self, layouts: dict) -> Indicator | None:
        indicators = [indicator for layout in layouts.values() for indicator, _target, _ask in layout]
        chosen = next((each for each in indicators if each.code == self.focus_code), None)
        if chosen is None and self.focus_code:
            chosen = Indicator.objects.active().filter(code=self.focus_code).first()
        return chosen or (indicators[0] if indicators else None)

    def _trend_asks(self, focus: Indicator | None) -> list[Ask]:
        if focus is None:
            return []
        steps = range(TREND_LENGTH - 1, -1, -1)
        return [Ask(self.unit.id, focus, periods.previous(self.period, step)) for step in steps]

    def _progress(self, shown: list[Plan], layouts: dict, figures: list[Figure]) -> list[PlanProgress]:
        results, position = [], 0
        for plan in shown:
            lines = []
            for indicator, target, _ask in layouts[plan.pk]:
                lines.append(TargetLine(indicator, target, figures[position]))
                position += 1
            results.append(PlanProgress(plan, lines))
        return results

    def _reporting(self) -> list[Completeness]:
        results = []
        in_use = Exists(Report.objects.filter(data_set=OuterRef("pk")))
        for data_set in DataSet.objects.active().filter(in_use):
            period = self._latest_reported(data_set)
            if period is not None:
                results.append(completeness(self.structure, self.unit.id, data_set, period))
        return results

    def _latest_reported(self, data_set: DataSet) -> periods.Period | None:
        """The last period of the year with a submitted report in the area (one indexed look per period)."""
        today = timezone.localdate()
        area = area_filter(self.structure, self.unit.id)
        candidates = [each for each in periods.sub_periods(self.period, data_set.period_type) if each.end < today]
        for period in reversed(candidates):
            reports = Report.objects.filter(area, data_set=data_set, period=period.code, status__in=REPORTED_STATUSES)
            if reports.exists():
                return period
        return None

    def _tasks(self) -> tuple[list[Task], int, int]:
        tasks = Task.objects.restrict(self.user).filter(area_filter(self.structure, self.unit.id))
        overdue = tasks.overdue().select_related("owner_organisation").order_by("due_date")
        return list(overdue[:5]), overdue.count(), tasks.due_within(7).count()

    def _rankings(self) -> list[tuple[int, object]]:
        from tinhso.scoring.models import Evaluation
        from tinhso.scoring.rules import competition_ranks

        evaluations = list(
            Evaluation.objects.restrict(self.user)
            .filter(
                area_filter(self.structure, self.unit.id),
                criteria_set__subject_kind__in=RANKING_KINDS,
                period=self.period.code,
            )
            .select_related("criteria_set")
            .order_by("-total", "subject_label")
        )
        kind = evaluations[0].criteria_set.subject_kind if evaluations else None
        evaluations = [each for each in evaluations if each.criteria_set.subject_kind == kind]
        ranks = competition_ranks({each.pk: each.total for each in evaluations})
        return [(ranks[each.pk], each) for each in evaluations[:5]]
