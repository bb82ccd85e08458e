"""Working days: Monday to Friday, except the public holidays configured in the Holiday table.

Vietnamese public holidays (Labour Code 2019, art. 112): 1/1, Tết (5 days, lunar), the Hùng Kings'
commemoration (10/3 lunar), 30/4, 1/5, 2/9 and one day before or after it. The lunar ones and the days the
government moves change every year, so they are rows an administrator keeps up to date, not code."""

import datetime

from .models import Holiday


def holidays_between(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    return set(Holiday.objects.filter(day__gte=start, day__lte=end).values_list("day", flat=True))


def is_working_day(day: datetime.date, holidays: set[datetime.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The day `days` working days after `start` (the day of receipt does not count)."""
    # Even a long Tết leaves at least 3 working days in any 7; that bounds the holidays to load.
    holidays = holidays_between(start, start + datetime.timedelta(days=days * 3 + 21))
    day, left = start, days
    while left > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date, holidays: set[datetime.date]) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day, holidays)
    return count


# The fixed-date holidays, seeded for a year; Tết and Giỗ Tổ come from the lunar calendar and are entered.
FIXED_HOLIDAYS = [((1, 1), "Tết Dương lịch"), ((4, 30), "Ngày Chiến thắng"), ((5, 1), "Quốc tế Lao động")]
NATIONAL_DAY = [((9, 1), "Quốc khánh (nghỉ bù liền kề)"), ((9, 2), "Quốc khánh")]
# Lunar holidays as the government announced them (Tết from 29 or 30 Chạp to mùng 4 or 5; Giỗ Tổ 10/3 lunar).
LUNAR_HOLIDAYS = {
    2025: [("2025-01-25", "2025-02-02", "Tết Nguyên đán"), ("2025-04-07", "2025-04-07", "Giỗ Tổ Hùng Vương")],
    2026: [("2026-02-14", "2026-02-22", "Tết Nguyên đán"), ("2026-04-26", "2026-04-27", "Giỗ Tổ Hùng Vương")],
}


def official_holidays(year: int) -> list[tuple[datetime.date, str]]:
    days = [(datetime.date(year, month, day), name) for (month, day), name in FIXED_HOLIDAYS + NATIONAL_DAY]
    for first, last, name in LUNAR_HOLIDAYS.get(year, []):
        day, end = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)
        while day <= end:
            days.append((day, name))
            day += datetime.timedelta(days=1)
    return sorted(days)
