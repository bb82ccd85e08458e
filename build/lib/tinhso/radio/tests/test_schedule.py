"""Send now, at a time, or recurring on weekdays in Vietnam time, always until an expiry."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tinhso.radio.schedule import MAX_OCCURRENCES, VIETNAM, occurrences, validate_schedule

WEEKDAYS_6_AND_17 = {"weekdays": [0, 1, 2, 3, 4], "times": ["06:00", "17:00"]}
MONDAY = datetime(2026, 11, 23, 0, 0, tzinfo=VIETNAM)  # 23/11/2026 is a Monday


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared as their English msgids; the Vietnamese wording lives in the catalogue."""
    with translation.override("en"):
        yield


def at(day_offset, hour, minute=0):
    return MONDAY + timedelta(days=day_offset, hours=hour, minutes=minute)


def test_a_one_off_bulletin_plays_once_inside_the_window():
    assert occurrences(at(0, 8), None, at(0, 9), after=at(0, 0), until=at(1, 0)) == [at(0, 8)]


def test_a_one_off_bulletin_outside_the_window_does_not_play():
    assert occurrences(at(0, 8), None, at(0, 9), after=at(0, 8, 1), until=at(1, 0)) == []
    assert occurrences(at(0, 8), None, at(0, 9), after=at(0, 0), until=at(0, 8)) == []


def test_weekdays_at_six_and_five_pm_for_a_week():
    found = occurrences(at(0, 5), WEEKDAYS_6_AND_17, at(7, 0), after=at(0, 0), until=at(7, 0))

    assert len(found) == 10
    assert found[0] == at(0, 6)
    assert found[-1] == at(4, 17)
    assert {moment.weekday() for moment in found} == {0, 1, 2, 3, 4}


def test_times_are_vietnam_wall_clock_whatever_zone_the_window_is_given_in():
    """06:00 in Hà Nội is 23:00 UTC the day before, every day of the year (no daylight saving)."""
    after = datetime(2026, 3, 1, tzinfo=UTC)
    until = datetime(2026, 11, 1, tzinfo=UTC)
    found = occurrences(after, {"times": ["06:00"]}, until, after=after, until=until)

    assert {(moment.astimezone(UTC).hour, moment.astimezone(UTC).minute) for moment in found} == {(23, 0)}
    assert all(moment.utcoffset() == timedelta(hours=7) for moment in found)


def test_sunday_to_monday_edge():
    sunday_and_monday = {"weekdays": [6, 0], "times": ["23:59", "00:00"]}
    found = occurrences(at(-1, 0), sunday_and_monday, at(1, 0), after=at(-1, 0), until=at(1, 0))

    assert found == [at(-1, 0), at(-1, 23, 59), at(0, 0), at(0, 23, 59)]


def test_expiry_cuts_off_the_last_broadcasts():
    found = occurrences(at(0, 0), WEEKDAYS_6_AND_17, at(1, 17), after=at(0, 0), until=at(7, 0))

    assert found == [at(0, 6), at(0, 17), at(1, 6)]


def test_the_first_time_can_start_a_recurrence_mid_day():
    found = occurrences(at(0, 12), WEEKDAYS_6_AND_17, at(1, 12), after=at(0, 0), until=at(7, 0))

    assert found == [at(0, 17), at(1, 6)]


def test_consecutive_windows_never_repeat_a_time():
    first = occurrences(at(0, 0), WEEKDAYS_6_AND_17, at(7, 0), after=at(0, 0), until=at(0, 17))
    second = occurrences(at(0, 0), WEEKDAYS_6_AND_17, at(7, 0), after=at(0, 17), until=at(1, 0))

    assert first == [at(0, 6)]
    assert second == [at(0, 17)]


def messages(error: ValidationError) -> dict[str, list[str]]:
    return {field: list(found) for field, found in error.message_dict.items()}


def refuse(send_at, recurrence, expires_at, now=None) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        validate_schedule(send_at, recurrence, expires_at, now=now or at(0, 8))
    return messages(caught.value)


def test_a_sensible_schedule_passes():
    validate_schedule(None, None, at(0, 12), now=at(0, 8))
    validate_schedule(at(0, 9), WEEKDAYS_6_AND_17, at(30, 0), now=at(0, 8))


def test_a_send_time_in_the_past_is_refused():
    assert refuse(at(0, 7), None, at(0, 12)) == {"send_at": ["The send time is in the past."]}


def test_a_minute_of_form_filling_is_not_the_past():
    validate_schedule(at(0, 8), None, at(0, 12), now=at(0, 8, 1) - timedelta(seconds=1))


def test_an_expiry_before_the_start_is_refused():
    assert refuse(at(0, 10), None, at(0, 9)) == {"expires_at": ["The expiry must be after the start of the broadcast."]}
    assert "expires_at" in refuse(None, None, at(0, 7))


def test_a_recurrence_without_times_is_refused():
    assert refuse(at(0, 9), {"weekdays": [0]}, at(3, 0))["recurrence"] == [
        "A recurring bulletin needs at least one time of day."
    ]


@pytest.mark.parametrize("bad", [["6h"], ["24:00"], ["06:60"], ["sáu giờ"], "06:00x"])
def test_bad_time_strings_are_refused(bad):
    assert refuse(at(0, 9), {"times": bad}, at(3, 0))["recurrence"] == [
        "Times of day must be written as HH:MM, for example 06:00 or 17:30."
    ]


def test_bad_weekdays_are_refused():
    assert refuse(at(0, 9), {"weekdays": [7], "times": ["06:00"]}, at(3, 0))["recurrence"] == [
        "Weekdays must be numbers from 0 (Monday) to 6 (Sunday)."
    ]
    assert refuse(at(0, 9), {"weekdays": [], "times": ["06:00"]}, at(3, 0))["recurrence"] == [
        "Choose at least one weekday."
    ]


def test_a_recurrence_needs_an_expiry():
    assert refuse(at(0, 9), WEEKDAYS_6_AND_17, None)["recurrence"] == ["A recurring bulletin needs an expiry."]


def test_a_recurrence_that_never_falls_before_the_expiry_is_refused():
    saturday_only = {"weekdays": [5], "times": ["06:00"]}
    assert refuse(at(0, 9), saturday_only, at(2, 0))["recurrence"] == [
        "The recurrence has no broadcast before the expiry."
    ]


def test_too_many_broadcasts_are_refused():
    every_hour = {"times": [f"{hour:02d}:00" for hour in range(24)]}
    days = MAX_OCCURRENCES // 24 + 2

    problem = refuse(at(0, 9), every_hour, at(days, 0))["recurrence"][0]

    assert "at most 1000 are allowed" in problem


def test_every_problem_is_reported_at_once():
    assert set(refuse(at(0, 7), {"times": []}, at(0, 6))) == {"send_at", "expires_at", "recurrence"}


def test_errors_read_in_vietnamese_for_a_vietnamese_user():
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        validate_schedule(at(0, 9), {"times": ["6h"]}, None, now=at(0, 8))

    assert caught.value.message_dict["recurrence"] == [
        "Giờ phát phải viết theo dạng GG:PP, ví dụ 06:00 hoặc 17:30.",
        "Bản tin phát lặp lại cần có thời điểm hết hạn.",
    ]
