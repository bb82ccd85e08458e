"""Period arithmetic plans needs, on top of the shared DHIS2 codes of tinhso.core.periods
(202401 a month, 2024Q1 a quarter, 2024S1 a half year, 2024 a year)."""

import datetime
from functools import lru_cache

from django.core.exceptions import ValidationError

from tinhso.core.periods import Period, parse_period, period_of

DAY = datetime.timedelta(days=1)

__all__ = ["Period", "latest_ended", "parse", "previous", "sub_periods"]


def parse(code: str) -> Period:
    """The period a code names; a ValidationError in the user's language otherwise."""
    text = str(code or "").strip()
    try:
        return parse_period(text.upper())  # 2024q1 is 2024Q1
    except ValidationError:
        return parse_period(text)  # the error quotes the code as written


@lru_cache(maxsize=4096)
def previous(period: Period, count: int = 1) -> Period:
    """The period `count` steps before this one (after it when negative), of the same kind."""
    current = period
    for _step in range(abs(count)):
        current = period_of(current.start - DAY if count > 0 else current.end + DAY, current.kind)
    return current


def sub_periods(period: Period, kind: str) -> list[Period]:
    """Periods of `kind` that make up `period`, in order (itself for the same kind; none for a longer kind)."""
    return list(_sub_periods(period, kind))


@lru_cache(maxsize=4096)
def _sub_periods(period: Period, kind: str) -> tuple[Period, ...]:
    if kind == period.kind:
        return (period,)
    found, current = [], period_of(period.start, kind)
    while current.end <= period.end and current.start >= period.start:
        found.append(current)
        current = period_of(current.end + DAY, kind)
    return tuple(found)


def latest_ended(day: datetime.date, kind: str) -> Period:
    """The last period of `kind` that ended before `day`: the one due for reporting."""
    return previous(period_of(day, kind))
