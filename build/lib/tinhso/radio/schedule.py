"""When a bulletin plays: now, at a time, or recurring on weekdays at fixed times, always until an expiry.

Recurrence is wall-clock time in Asia/Ho_Chi_Minh (UTC+7 all year, no daylight saving), e.g.
``{"weekdays": [0, 1, 2, 3, 4], "times": ["06:00", "17:00"]}`` = 06:00 and 17:00 Monday to Friday.
Windows are half-open, ``after <= t < until``, so consecutive windows never yield a time twice.
No Django models here; errors are Django ``ValidationError`` keyed by the Bulletin fields
``send_at``, ``recurrence`` and ``expires_at`` so a form shows each under its field.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_OCCURRENCES = 1000  # twice a day for a year fits; a runaway schedule does not
PAST_GRACE = timedelta(minutes=1)  # the time it takes to fill the form is not "the past"
TIME_PATTERN = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
RECURRENCE_KEYS = {"weekdays", "times"}
ALL_WEEKDAYS = tuple(range(7))


def in_vietnam(moment: datetime) -> datetime:
    """An aware datetime in Vietnam time; a naive one is read as Vietnam wall-clock time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=VIETNAM)
    return moment.astimezone(VIETNAM)


def parse_times(values) -> list[time]:
    """``["06:00", "17:00"]`` -> sorted, distinct times; ValueError on a bad string."""
    parsed = set()
    for value in values:
        match = TIME_PATTERN.match(str(value).strip())
        if not match:
            raise ValueError(value)
        parsed.add(time(int(match[1]), int(match[2])))
    return sorted(parsed)


def parse_weekdays(values) -> list[int]:
    days = sorted({int(value) for value in values})
    if any(day not in ALL_WEEKDAYS for day in days):
        raise ValueError(values)
    return days


def occurrences(first_at, recurrence, expires_at, *, after, until) -> list[datetime]:
    """Every time the bulletin starts within ``after <= t < until`` (and before ``expires_at``).

    ``recurrence`` None: once, at ``first_at``. Otherwise every listed weekday (all days if the list is
    missing) at every listed time, from ``first_at`` on. ``expires_at`` None means no expiry.
    """
    first_at, after, until = in_vietnam(first_at), in_vietnam(after), in_vietnam(until)
    end = min(until, in_vietnam(expires_at)) if expires_at else until
    start = max(first_at, after)
    if recurrence is None:
        return [first_at] if start == first_at and first_at < end else []
    times = parse_times(recurrence.get("times") or [])
    weekdays = set(parse_weekdays(recurrence.get("weekdays", ALL_WEEKDAYS)))
    found = []
    for day in _days(start.date(), end.date()):
        if day.weekday() in weekdays:
            found += [moment for moment in _moments(day, times) if start <= moment < end]
    return found


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _moments(day: date, times: list[time]) -> list[datetime]:
    return [datetime.combine(day, moment, tzinfo=VIETNAM) for moment in times]


def validate_schedule(send_at, recurrence, expires_at, *, now) -> None:
    """Refuse a schedule a commune officer could not have meant; every problem at once, by field.

    ``send_at`` None = send now. A recurring bulletin needs an expiry, and at most MAX_OCCURRENCES plays.
    """
    now = in_vietnam(now)
    start = in_vietnam(send_at) if send_at else now
    errors: dict[str, list[str]] = {}
    if send_at and start < now - PAST_GRACE:
        errors.setdefault("send_at", []).append(_("The send time is in the past."))
    if expires_at and in_vietnam(expires_at) <= start:
        errors.setdefault("expires_at", []).append(_("The expiry must be after the start of the broadcast."))
    if recurrence is not None:
        problems = _recurrence_problems(recurrence, start, expires_at)
        if problems:
            errors.setdefault("recurrence", []).extend(problems)
    if errors:
        raise ValidationError(errors)


def _recurrence_problems(recurrence, start, expires_at) -> list[str]:
    if not isinstance(recurrence, dict) or set(recurrence) - RECURRENCE_KEYS:
        return [_("The recurrence must list weekdays and times.")]
    if not recurrence.get("times"):
        return [_("A recurring bulletin needs at least one time of day.")]
    problems = _format_problems(recurrence)
    if not expires_at:
        problems.append(_("A recurring bulletin needs an expiry."))
    if problems:
        return problems
    count = len(occurrences(start, recurrence, expires_at, after=start, until=in_vietnam(expires_at)))
    if count == 0:
        return [_("The recurrence has no broadcast before the expiry.")]
    if count > MAX_OCCURRENCES:
        return [
            _("The recurrence gives %(count)s broadcasts; at most %(limit)s are allowed. Set an earlier expiry.")
            % {"count": count, "limit": MAX_OCCURRENCES}
        ]
    return []


def _format_problems(recurrence) -> list[str]:
    problems = []
    try:
        parse_times(recurrence["times"])
    except (TypeError, ValueError):
        problems.append(_("Times of day must be written as HH:MM, for example 06:00 or 17:30."))
    try:
        if not parse_weekdays(recurrence.get("weekdays", ALL_WEEKDAYS)):
            problems.append(_("Choose at least one weekday."))
    except (TypeError, ValueError):
        problems.append(_("Weekdays must be numbers from 0 (Monday) to 6 (Sunday)."))
    return problems
