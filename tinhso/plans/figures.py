"""Indicator values for units of the chosen day's tree, from approved data, in two queries.

For each unit asked about, its sources (tinhso.units.snapshot) give the roll-up rows and the units' own
approved values to add. Values of a longer period come from the element's own periods inside
it: summed (flows) or the last one reported (stocks), as DHIS2's aggregation types do.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from tinhso.units.snapshot import UnitSnapshot

from . import display, expressions, periods
from .choices import Aggregation, Comparison, Direction, DisplayFormat, IndicatorKind, PeriodType
from .models import DataSetElement, DataValue, Indicator, RollupValue

ZERO = Decimal(0)
COMPARE: dict[str, Callable[[Decimal, Decimal], bool]] = {
    Comparison.GREATER: lambda a, b: a > b,
    Comparison.GREATER_OR_EQUAL: lambda a, b: a >= b,
    Comparison.EQUAL: lambda a, b: a == b,
    Comparison.LESS_OR_EQUAL: lambda a, b: a <= b,
    Comparison.LESS: lambda a, b: a < b,
}


@dataclass(frozen=True)
class Ask:
    """One figure wanted: an indicator, for a unit of the structure's day, for a period."""

    unit_id: int
    indicator: Indicator
    period: periods.Period
    look_back: int = 0  # earlier periods to fall back on when this one has no data yet


@dataclass
class Figure:
    ask: Ask
    period: periods.Period
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    has_data: bool = False
    counted: list[int] = field(default_factory=list)  # units meeting the condition, for unit counts

    @property
    def indicator(self) -> Indicator:
        return self.ask.indicator

    @property
    def display(self) -> str:
        indicator = self.indicator
        return display.figure(
            self.value,
            numerator=self.numerator,
            denominator=self.denominator,
            display_format=indicator.display_format,
            decimals=indicator.decimals,
            rounding=indicator.rounding,
        )

    @property
    def shown_value(self) -> Decimal | None:
        """The value as published (rounded or truncated): what targets are compared with."""
        if self.value is None:
            return None
        return display.rounded(self.value, self.indicator.decimals, self.indicator.rounding)

    def meets(self, target: Decimal | None) -> bool | None:
        shown = self.shown_value
        if target is None or shown is None:
            return None
        return shown >= target if self.indicator.direction == Direction.HIGHER else shown <= target


def formula(indicator: Indicator, side: str) -> expressions.Node:
    node = indicator.parsed(side)
    return node if node is not None else ("num", ZERO)


class Totals:
    """(total, count) per unit, data element and period code, for the units asked about."""

    def __init__(self):
        self.rows: dict[tuple[int, int, str], list] = defaultdict(lambda: [ZERO, 0])

    def add(self, unit_id: int, element_id: int, period: str, total, count: int) -> None:
        row = self.rows[(unit_id, element_id, period)]
        row[0] += Decimal(total)
        row[1] += count

    def over(self, unit_ids: list[int], element_id: int, period: str) -> tuple[Decimal, int]:
        total, count = ZERO, 0
        for unit_id in unit_ids:
            row = self.rows.get((unit_id, element_id, period))
            if row:
                total, count = total + row[0], count + row[1]
        return total, count


class Calculator:
    def __init__(self, structure: UnitSnapshot):
        self.structure = structure

    def compute(self, asks: list[Ask]) -> list[Figure]:
        """Figures for the periods asked; earlier periods are read only for figures without data."""
        elements = self._elements(asks)
        figures = self._pass([(ask, [ask.period]) for ask in asks], elements)
        missing = [index for index, figure in enumerate(figures) if not figure.has_data and asks[index].look_back]
        if missing:
            earlier = [(asks[index], self._periods_of(asks[index])[1:]) for index in missing]
            for index, figure in zip(missing, self._pass(earlier, elements), strict=True):
                figures[index] = figure if figure.has_data else figures[index]
        return figures

    def _pass(self, plan: list[tuple[Ask, list[periods.Period]]], elements: dict) -> list[Figure]:
        wants = [self._wants(ask, candidates, elements) for ask, candidates in plan]
        totals = self._load(merged([w[0] for w in wants]), merged([w[1] for w in wants]))
        return [self._figure(ask, candidates, elements, totals) for ask, candidates in plan]

    def _wants(self, ask: Ask, candidates: list[periods.Period], elements: dict) -> tuple[tuple, tuple]:
        """What one ask reads: (units, element ids, period codes) of roll-ups, and of units' own values.
        Own values are read only from units of a level that reports those elements."""
        codes: set[str] = set()
        for period in candidates:
            codes |= self._codes(elements, ask.indicator, period)
        used = [elements[code] for code in ask.indicator.element_codes() if code in elements]
        units = self._existing(self._units_needed(ask, candidates), candidates)
        levels = {element["unit_level"] for element in used}
        reporting = {unit for unit in units if self.structure.units[unit].level in levels}
        element_ids = frozenset(element["id"] for element in used)
        return (frozenset(units), element_ids, frozenset(codes)), (frozenset(reporting), element_ids, frozenset(codes))

    def _elements(self, asks: list[Ask]) -> dict[str, dict]:
        codes = set().union(*(ask.indicator.element_codes() for ask in asks)) if asks else set()
        found: dict[str, dict] = {}
        memberships = DataSetElement.objects.filter(data_element__code__in=codes).order_by("data_set_id")
        for element_id, code, aggregation, period_type, level in memberships.values_list(
            "data_element_id",
            "data_element__code",
            "data_element__aggregation",
            "data_set__period_type",
            "data_set__unit_level",
        ):
            found.setdefault(
                code, {"id": element_id, "aggregation": aggregation, "period_type": period_type, "unit_level": level}
            )
        return found

    def _periods_of(self, ask: Ask) -> list[periods.Period]:
        return [periods.previous(ask.period, step) for step in range(ask.look_back + 1)]

    def _codes(self, elements: dict, indicator: Indicator, period: periods.Period) -> set[str]:
        codes: set[str] = set()
        for code in indicator.element_codes():
            element = elements.get(code)
            if element:
                codes.update(sub.code for sub in periods.sub_periods(period, element["period_type"]))
        return codes

    def _existing(self, units: set[int], candidates: list[periods.Period]) -> set[int]:
        """Only units that existed during the periods read can have reported for them."""
        first, last = min(p.start for p in candidates), max(p.end for p in candidates)
        return {unit for unit in units if self.structure.units[unit].existed_between(first, last)}

    def _units_needed(self, ask: Ask, candidates: list[periods.Period]) -> set[int]:
        needed = set(self.structure.sources_of(ask.unit_id))
        if ask.indicator.kind == IndicatorKind.UNIT_COUNT:
            for period in candidates:
                needed.update(self._counted_units(ask, period))
        return needed

    def _counted_units(self, ask: Ask, period: periods.Period) -> list[int]:
        return self.structure.valid_within(ask.unit_id, ask.indicator.count_level, period.end)

    def _load(self, rolled: list[tuple], own: list[tuple]) -> Totals:
        """Roll-up rows and units' own approved values, for exactly what the asks read."""
        totals = Totals()
        rows = RollupValue.objects.filter(_where(rolled)).values_list(
            "unit_id", "data_element_id", "period", "total", "count"
        )
        for row in rows if _where(rolled).children[1:] else []:
            totals.add(*row)
        if not _where(own).children[1:]:
            return totals
        values = DataValue.objects.filter(_where(own), is_approved=True, number__isnull=False)
        for unit_id, element_id, period, number in values.values_list("unit_id", "data_element_id", "period", "number"):
            totals.add(unit_id, element_id, period, number, 1)
        return totals

    def _figure(self, ask: Ask, candidates: list[periods.Period], elements: dict, totals: Totals) -> Figure:
        for period in candidates:
            figure = self._evaluate(ask, period, elements, totals)
            if figure.has_data:
                return figure
        return Figure(ask=ask, period=ask.period)

    def _evaluate(self, ask: Ask, period: periods.Period, elements: dict, totals: Totals) -> Figure:
        indicator = ask.indicator
        if indicator.kind == IndicatorKind.UNIT_COUNT:
            return self._count(ask, period, elements, totals)
        sources = self.structure.sources_of(ask.unit_id)
        resolve, seen = self._resolver(sources, ask, period, elements, totals)
        numerator = expressions.evaluate(formula(indicator, "numerator"), resolve)
        figure = Figure(ask=ask, period=period, numerator=numerator, has_data=bool(seen))
        if indicator.denominator:
            figure.denominator = expressions.evaluate(formula(indicator, "denominator"), resolve)
        if indicator.kind == IndicatorKind.RATIO:
            if numerator is not None and figure.denominator:
                figure.value = numerator / figure.denominator * indicator.factor
        elif numerator is not None:
            figure.value = numerator * indicator.factor  # a total; its denominator, if any, is only shown (15/63)
        return figure

    def _count(self, ask: Ask, period: periods.Period, elements: dict, totals: Totals) -> Figure:
        indicator = ask.indicator
        units = self._counted_units(ask, period)
        meets = COMPARE.get(indicator.condition_operator, COMPARE[Comparison.GREATER])
        counted, any_data = [], False
        for unit_id in units:
            resolve, seen = self._resolver([unit_id], ask, period, elements, totals)
            value = expressions.evaluate(formula(indicator, "numerator"), resolve)
            any_data = any_data or bool(seen)
            if seen and value is not None and meets(value, indicator.condition_value):
                counted.append(unit_id)
        figure = Figure(ask=ask, period=period, has_data=any_data and bool(units), counted=counted)
        if figure.has_data:
            figure.numerator, figure.denominator = Decimal(len(counted)), Decimal(len(units))
            share = indicator.display_format == DisplayFormat.PERCENT
            figure.value = (figure.numerator / figure.denominator if share else figure.numerator) * indicator.factor
        return figure

    def _resolver(self, sources: list[int], ask: Ask, period: periods.Period, elements: dict, totals: Totals):
        seen: set[str] = set()

        def resolve(reference: expressions.Reference) -> Decimal:
            if reference.kind == "N":
                return Decimal(len(self.structure.valid_within(ask.unit_id, reference.name, period.end)))
            element = elements.get(reference.name)
            if element is None:
                return ZERO
            total, count = self._over_time(sources, element, period, totals)
            if count:
                seen.add(reference.name)
            return Decimal(count) if reference.kind == "C" else total

        return resolve, seen

    def _over_time(self, sources: list[int], element: dict, period: periods.Period, totals: Totals):
        parts = periods.sub_periods(period, element["period_type"])
        if element["aggregation"] == Aggregation.LAST:
            for part in reversed(parts):
                total, count = totals.over(sources, element["id"], part.code)
                if count:
                    return total, count
            return ZERO, 0
        total, count = ZERO, 0
        for part in parts:
            part_total, part_count = totals.over(sources, element["id"], part.code)
            total, count = total + part_total, max(count, part_count)
        return total, count


def _where(wants: list[tuple]) -> Q:
    where = Q(pk__in=[])
    for units, element_ids, codes in wants:
        if units and element_ids and codes:
            where |= Q(unit_id__in=units, data_element_id__in=element_ids, period__in=codes)
    return where


Want = tuple[frozenset, frozenset, frozenset]  # units, element ids, period codes


def merged(wants: list[Want]) -> list[Want]:
    """Fewer, wider conditions: what the asks read, grouped three ways — same units and periods
    (34 indicators of a unit), same elements and periods (one indicator of 99 units), same units
    and elements (one indicator over five years)."""
    groups = list(wants)
    for widen in (1, 0, 2):
        joined: dict[tuple, set] = {}
        for group in groups:
            key = tuple(part for position, part in enumerate(group) if position != widen)
            joined.setdefault(key, set()).update(group[widen])
        groups = [_with(key, widen, frozenset(extra)) for key, extra in joined.items()]
    return groups


def _with(key: tuple, position: int, part: frozenset) -> Want:
    parts = list(key)
    parts.insert(position, part)
    return (parts[0], parts[1], parts[2])


def default_period(day, period_type: str = PeriodType.YEARLY) -> periods.Period:
    return periods.latest_ended(day, period_type)
