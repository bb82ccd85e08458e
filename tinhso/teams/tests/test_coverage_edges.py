"""The coverage dashboard at its edges: the 30 days of recent work, teams and members that ended, and the
same figures for a commune whether read from the province's row or on the commune's own page."""

import datetime

from tinhso.accounts.testing import make_user
from tinhso.teams import services
from tinhso.teams.models import Member

from .conftest import record
from .test_coverage import coverage

JANUARY_15 = datetime.date(2026, 1, 15)


def test_recent_work_is_the_thirty_days_up_to_the_day_both_ends_included(world):
    record(world.khe_dua, datetime.date(2025, 12, 17), key="first-of-30", people_reached=1)
    record(world.khe_dua, datetime.date(2025, 12, 16), key="31-days-ago", people_reached=100)
    record(world.khe_dua, JANUARY_15, key="today", people_reached=10)
    admin = make_user("province_admin", world.tree.lao_cai)
    total, _rows = coverage(admin, JANUARY_15)
    assert (total.activities, total.people_reached) == (2, 11)


def test_a_dissolved_team_covers_its_village_until_its_last_day_only(world):
    services.update_team(world.khuoi_vai, actor=None, changes={"ended_on": datetime.date(2025, 12, 31)})
    admin = make_user("province_admin", world.tree.lao_cai)
    on_last_day, _rows = coverage(admin, datetime.date(2025, 12, 31))
    after, rows = coverage(admin, JANUARY_15)
    assert (on_last_day.villages_covered, after.villages_covered) == (4, 3)
    assert {row.place.name: row.villages_covered for row in rows}["Xã Khánh Hòa"] == 0
    assert not after.is_complete


def test_members_who_left_are_not_counted(world):
    un = Member.objects.get(person__full_name="Lò Thị Ún")
    services.update_member(un, actor=None, changes={"left_on": datetime.date(2025, 12, 31)})
    admin = make_user("province_admin", world.tree.lao_cai)
    total, _rows = coverage(admin, JANUARY_15)
    assert total.members == 3  # Giàng A Páo, Triệu Văn Quẩy, Nguyễn Thị Hoa


def test_a_commune_reads_the_same_on_the_provinces_row_and_on_its_own_page(world):
    record(world.new_xuan_ai, datetime.date(2026, 1, 12), key="commune-wide", people_reached=40)
    record(world.khe_dua, datetime.date(2026, 1, 10), key="village", people_reached=25)
    admin = make_user("province_admin", world.tree.lao_cai)
    _total, rows = coverage(admin, JANUARY_15)
    row = {row.place.name: row for row in rows}["Xã Xuân Ái"]
    own, _villages = coverage(admin, JANUARY_15, code="04441")
    assert (own.activities, own.people_reached, own.members) == (row.activities, row.people_reached, row.members)
    assert (own.activities, own.people_reached) == (2, 65)


def test_a_commune_officer_sees_no_row_of_another_commune(world):
    officer = make_user("commune_officer", world.tree.new_khanh_hoa)
    total, rows = coverage(officer, JANUARY_15)
    assert [row.place.name for row in rows] == ["Xã Khánh Hòa"]
    assert (total.villages_covered, total.villages, total.members) == (1, 1, 0)
