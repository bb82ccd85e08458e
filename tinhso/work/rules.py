"""Reading the configured rules (pure functions): factors on a day, lateness credit, grade of a score."""

import datetime
from decimal import Decimal

from .models import KpiRules


def rules_on(day: datetime.date) -> KpiRules | None:
    return (
        KpiRules.objects.select_related("criteria_set")
        .filter(effective_from__lte=day)
        .order_by("-effective_from")
        .first()
    )


def versioned_value(versions: list[tuple[datetime.date, Decimal]], day: datetime.date) -> Decimal | None:
    """The value in force on `day` from [(effective_from, value)...] (any order)."""
    found = None
    for effective_from, value in sorted(versions):
        if effective_from <= day:
            found = value
    return found


class LatenessCredit:
    """`lateness_credit` with the steps sorted once, for scoring many items by the same rules."""

    def __init__(self, steps: list[dict]):
        self.steps = [(int(step["up_to_days"]), Decimal(str(step["credit"]))) for step in steps]
        self.steps.sort(key=lambda step: step[0])

    def __call__(self, days_late: int) -> Decimal:
        for up_to_days, credit in self.steps:
            if days_late <= up_to_days:
                return credit
        return Decimal(0)


def lateness_credit(days_late: int, steps: list[dict]) -> Decimal:
    """Credit for work finished `days_late` days after its due date: the first step whose
    `up_to_days` covers it (steps like [{"up_to_days": 0, "credit": 1}, {"up_to_days": 5, "credit": 0.5}]);
    later than every step → 0."""
    for step in sorted(steps, key=lambda step: int(step["up_to_days"])):
        if days_late <= int(step["up_to_days"]):
            return Decimal(str(step["credit"]))
    return Decimal(0)


def grade_of(score: Decimal, grades: list[dict]) -> dict:
    """The highest grade whose minimum the score reaches (grades: [{"code", "label", "min"}...])."""
    ordered = sorted(grades, key=lambda grade: Decimal(str(grade["min"])), reverse=True)
    for grade in ordered:
        if score >= Decimal(str(grade["min"])):
            return grade
    return ordered[-1]


def grade_rank(code: str, grades: list[dict]) -> int:
    """0 for the best grade, 1 for the next..."""
    ordered = sorted(grades, key=lambda grade: Decimal(str(grade["min"])), reverse=True)
    codes = [grade["code"] for grade in ordered]
    return codes.index(code) if code in codes else len(codes)


def grade_label(code: str, grades: list[dict]) -> str:
    return next((str(grade["label"]) for grade in grades if grade["code"] == code), code)


def excellent_allowed(good_or_above: int, percent: Decimal) -> int:
    """How many may be rated excellent when `good_or_above` people are rated good or excellent: the
    configured share of them, rounded down (20% of 10 → 2; of 7 → 1; of 4 → 0)."""
    return int(Decimal(good_or_above) * percent / 100)
