"""Reporting periods named as DHIS2 names them: 2024 (year), 2024Q1 (quarter), 202401 (month),
2024S1 (half year). Used by plans, teams and scoring alike."""

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

_PATTERNS = {  # ASCII digits only, years the calendar holds (year 0 or the end of 9999 would crash a date)
    "year": re.compile(r"^([0-9]{4})$"),
    "half": re.compile(r"^([0-9]{4})S([12])$"),
    "quarter": re.compile(r"^([0-9]{4})Q([1-4])$"),
    "month": re.compile(r"^([0-9]{4})(0[1-9]|1[0-2])$"),
}
_YEARS = range(1, 9999)


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
        if match and int(match.group(1)) in _YEARS:
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


# How many periods of each kind a picker offers, counting back from the current one.
PICKER_SPAN = {"month": 24, "quarter": 12, "half": 6, "year": 6}


def recent_periods(day: datetime.date, kinds=("month", "quarter", "half", "year")) -> list[Period]:
    """The periods a person picks from: for each kind, the current one and those before it, newest first."""
    found = []
    for kind in kinds:
        current = period_of(day, kind)
        for _step in range(PICKER_SPAN[kind]):
            found.append(current)
            current = period_of(current.start - datetime.timedelta(days=1), kind)
    return found


def period_choices(day: datetime.date, kinds=("month", "quarter", "half", "year"), current: str = "") -> list:
    """Choices of a period select, named in words ("Tháng 11/2024"), grouped by kind; the value stays the code.
    A `current` code outside the span (an old report) is offered too, so that editing keeps it."""
    groups: dict[str, list] = {}
    wanted = recent_periods(day, kinds)
    try:
        extra = parse_period(current) if current else None
    except ValidationError:
        extra = None
    if extra is not None and extra.kind in kinds and extra not in wanted:
        wanted.append(extra)
    for period in wanted:
        groups.setdefault(period.kind, []).append((period.code, period.label()))
    names = {"month": _("Months"), "quarter": _("Quarters"), "half": _("Half years"), "year": _("Years")}
    return [(names[kind], sorted(groups[kind], reverse=True)) for kind in kinds if kind in groups]


class PeriodChoiceField(forms.TypedChoiceField):
    """A period chosen from a list in words rather than typed as a code: a plain <select>, no script needed.
    Cleans to the period's code (what the models and the API store)."""

    def __init__(self, *, kinds=("month", "quarter", "half", "year"), **kwargs):
        self.kinds = tuple(kinds)
        kwargs.setdefault("label", _lazy("Period"))
        super().__init__(choices=self._period_choices, coerce=str, **kwargs)

    def _period_choices(self, current: str = "") -> list:
        from django.utils import timezone

        blank = [("", "—")] if not self.required else []
        return blank + period_choices(timezone.localdate(), self.kinds, current)

    def prepare_value(self, value):
        # The list is built when the form is shown (today's periods), with the chosen one even if older.
        self.choices = self._period_choices(str(value or ""))
        return super().prepare_value(value)

    def valid_value(self, value) -> bool:
        try:
            return parse_period(str(value)).kind in self.kinds  # any well-formed code of the kinds, even old
        except ValidationError:
            return False
