"""Deadlines count working days: weekends and the configured public holidays do not count."""

import datetime

import pytest

from tinhso.feedback import services, workdays
from tinhso.feedback.models import Holiday

pytestmark = pytest.mark.django_db

FRIDAY = datetime.date(2026, 4, 24)


def test_weekends_do_not_count():
    assert workdays.add_working_days(FRIDAY, 1) == datetime.date(2026, 4, 27)
    assert workdays.add_working_days(FRIDAY, 5) == datetime.date(2026, 5, 1)


def test_holidays_do_not_count():
    for day, name in workdays.official_holidays(2026):
        Holiday.objects.create(day=day, name=name)
    # Mon 27/4 is Giỗ Tổ (moved), 30/4 and 1/5 are holidays: Tue 28, Wed 29, Mon 4, Tue 5, Wed 6.
    assert workdays.add_working_days(FRIDAY, 5) == datetime.date(2026, 5, 6)


def test_tet_pushes_the_deadline_by_a_week():
    services.seed_holidays(2026)
    assert workdays.add_working_days(datetime.date(2026, 2, 13), 1) == datetime.date(2026, 2, 23)


def test_seeding_holidays_twice_adds_nothing():
    assert services.seed_holidays(2025) > 0
    assert services.seed_holidays(2025) == 0


def test_only_the_dx_centre_keeps_the_holidays(tree):
    from django.core.exceptions import PermissionDenied

    from tinhso.accounts.testing import make_user

    holiday = Holiday(day=datetime.date(2027, 2, 8), name="Tết Nguyên đán")
    with pytest.raises(PermissionDenied):
        services.save_holiday(holiday, actor=make_user("commune_officer", tree.new_xuan_ai))
    services.save_holiday(holiday, actor=make_user("dx_centre_staff", tree.lao_cai))
    assert workdays.add_working_days(datetime.date(2027, 2, 5), 1) == datetime.date(2027, 2, 9)
