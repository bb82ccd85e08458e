"""The scoring rules, as pure functions: same inputs, same points, same explanation."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .choices import Rule

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Inputs:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    answer: bool | None = None
    points: Decimal | None = None
    # When the source recorded the data (a profile's last change, the attempt's end); shown with the score.
    recorded_at: datetime.datetime | None = None


@dataclass(frozen=True)
class Result:
    points: Decimal
    explanation: str


def number(value, decimals: int = 2) -> str:
    """87.345 → '87,35' in Vietnamese; no trailing zeros ('10', '8,5')."""
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    places = max(0, -int(rounded.normalize().as_tuple().exponent))
    return number_format(rounded, places, use_l10n=True, force_grouping=True)


def _points(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def score(criterion, inputs: Inputs) -> Result:
    rule = {Rule.STEPPED: _stepped, Rule.RATIO: _ratio, Rule.BOOLEAN: _boolean, Rule.MANUAL: _manual}[criterion.rule]
    return rule(criterion, inputs)


def points(criterion, inputs: Inputs) -> Decimal:
    """The points `score` gives, without writing its explanation (a bulk run stores only the points;
    formatting the numbers of thousands of explanations was a fifth of a province's month run)."""
    rule = {Rule.STEPPED: _stepped, Rule.RATIO: _ratio, Rule.BOOLEAN: _boolean, Rule.MANUAL: _manual}[criterion.rule]
    return rule(criterion, inputs, explain=False).points


def _stepped(criterion, inputs: Inputs, explain: bool = True) -> Result:
    if inputs.value is None:
        return Result(Decimal(0), _("No value yet → 0 points"))
    steps = sorted(criterion.thresholds, key=lambda step: Decimal(str(step["at_least"])), reverse=True)
    for step in steps:
        floor = Decimal(str(step["at_least"]))
        if inputs.value >= floor:
            points = min(_points(step["points"]), criterion.max_points)
            if not explain:
                return Result(points, "")
            return Result(
                points,
                _("%(value)s ≥ %(floor)s → %(points)s/%(max)s points")
                % {
                    "value": number(inputs.value),
                    "floor": number(floor),
                    "points": number(points),
                    "max": number(criterion.max_points),
                },
            )
    if not explain:
        return Result(Decimal(0), "")
    lowest = number(Decimal(str(steps[-1]["at_least"]))) if steps else "—"
    return Result(
        Decimal(0),
        _("%(value)s is below the lowest step (%(lowest)s) → 0 points")
        % {"value": number(inputs.value), "lowest": lowest},
    )


def _ratio(criterion, inputs: Inputs, explain: bool = True) -> Result:
    if inputs.numerator is None or not inputs.denominator:
        return Result(Decimal(0), _("No denominator → 0 points"))
    ratio = min(inputs.numerator / inputs.denominator, Decimal(1))
    points = _points(ratio * criterion.max_points)
    if not explain:
        return Result(points, "")
    return Result(
        points,
        _("%(a)s/%(b)s = %(percent)s%% × %(max)s = %(points)s points")
        % {
            "a": number(inputs.numerator),
            "b": number(inputs.denominator),
            "percent": number(inputs.numerator * 100 / inputs.denominator, 1),
            "max": number(criterion.max_points),
            "points": number(points),
        },
    )


def _boolean(criterion, inputs: Inputs, explain: bool = True) -> Result:
    if inputs.answer is None:
        return Result(Decimal(0), _("Not answered yet → 0 points"))
    if inputs.answer:
        return Result(criterion.max_points, _("Yes → %(points)s points") % {"points": number(criterion.max_points)})
    return Result(Decimal(0), _("No → 0 points"))


def _manual(criterion, inputs: Inputs, explain: bool = True) -> Result:
    if inputs.points is None:
        return Result(Decimal(0), _("Not scored yet → 0 points"))
    points = min(max(_points(inputs.points), Decimal(0)), criterion.max_points)
    if not explain:
        return Result(points, "")
    return Result(
        points,
        _("Scored by hand: %(points)s/%(max)s points")
        % {"points": number(points), "max": number(criterion.max_points)},
    )


def classify(percent: Decimal, bands: list[dict]) -> str:
    """The label of the highest band whose minimum the percentage reaches."""
    for band in sorted(bands, key=lambda band: Decimal(str(band["min"])), reverse=True):
        if percent >= Decimal(str(band["min"])):
            return str(band["label"])
    return ""


def competition_ranks(totals: dict) -> dict:
    """{key: total} → {key: rank}, equal totals sharing a rank: 1, 2, 2, 4."""
    ranks, previous, rank = {}, None, 0
    for position, (key, total) in enumerate(sorted(totals.items(), key=lambda item: item[1], reverse=True), 1):
        if total != previous:
            rank, previous = position, total
        ranks[key] = rank
    return ranks
