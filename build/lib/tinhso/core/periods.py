"""Reporting periods named as DHIS2 names them: 2024 (year), 2024Q1 (quarter), 202401 (month),
2024S1 (half year). Used by plans, teams and scoring alike."""

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_PATTERNS = {
    "year": re.compile(r"^(\d{4})$"),
    "half": re.compile(r"^(\d{4})S([12])$"),
    "quarter": re.compile(r"^(\d{4})Q([1-4])$"),
    "month": re.compile(r"^(\d{4})(0[1-9]|1[0-2])$"),
}


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date
    end: datetime.date
    code: str
    kind: str

    def __str__(self) -> str:
        return self.label()

    def label(self) -> str:
        year = self.start.year
        number = {"half": (self.start.month + 5) // 6, "quarter": (self.start.month + 2) // 3}.get(self.kind)
        if self.kind == "quarter":
            return _("Quarter %(number)d/%(year)d") % {"number": number, "year": year}
        if self.kind == "half":
            return _("Half %(number)d/%(year)d") % {"number": number, "year": year}
        if self.kind == "month":
            return _("Month %(month)d/%(year)d") % {"month": self.start.month, "year": year}
        return _("Year %(year)d") % {"year": year}

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def _span(year: int, first_month: int, months: int) -> tuple[datetime.date, datetime.date]:
    last_month = first_month + months - 1
    return datetime.date(year, first_month, 1), _month_end(year, last_month)


def parse_period(code: str) -> Period:
    """A Period from its code, or a ValidationError in the user's language."""
    code = (code or "").strip()
    for kind, pattern in _PATTERNS.items():
        match = pattern.match(code)
        if match:
            year = int(match.group(1))
            number = int(match.group(2)) if kind != "year" else 1
            first_month, months = {
                "year": (1, 12),
                "half": ((number - 1) * 6 + 1, 6),
                "quarter": ((number - 1) * 3 + 1, 3),
                "month": (number, 1),
            }[kind]
            start, end = _span(year, first_month, months)
            return Period(start, end, code, kind)
    raise ValidationError(
        _("“%(code)s” is not a period code: use 2024 (year), 2024S1 (half), 2024Q1 (quarter) or 202401 (month).")
        % {"code": code}
    )


def period_of(day: datetime.date, kind: str) -> Period:
    codes = {
        "year": f"{day.year}",
        "half": f"{day.year}S{(day.month + 5) // 6}",
        "quarter": f"{day.year}Q{(day.month + 2) // 3}",
        "month": f"{day.year}{day.month:02d}",
    }
    return parse_period(codes[kind])


def periods_between(first: str, last: str) -> list[Period]:
    """Periods of the kind of `first`, from `first` to `last` inclusive."""
    start, end = parse_period(first), parse_period(last)
    found, current = [], start
    while current.start <= end.start:
        found.append(current)
        current = period_of(current.end + datetime.timedelta(days=1), start.kind)
    return found
