"""Reform continuity for people: a role on a unit that ended in a reorganisation follows the unit's successor
from the next day, and the role on the old unit stays in the history, ended."""

import datetime
import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command

from tinhso.accounts import services
from tinhso.accounts.access import home_unit, roles_held_on
from tinhso.accounts.models import RoleAssignment, User
from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client, web_client
from tinhso.units import services as unit_services
from tinhso.units.models import Unit
from tinhso.units.testing import BEFORE_REFORM, REFORM, make_unit

pytestmark = pytest.mark.django_db
ON_30_JUNE = datetime.date(2025, 6, 30)
ON_1_JULY = datetime.date(2025, 7, 1)


def held(user):
    return [
        (a.unit.short_name, a.unit.valid_from, a.valid_from, a.valid_to) for a in user.role_assignments.order_by("pk")
    ]


def reachable(user, permission, day):
    return set(Unit.objects.valid_on(day).restrict(user, permission).values_list("pk", flat=True))


def test_the_demo_commune_officer_targets_the_new_commune_after_the_reform_and_the_old_one_before():
    call_command("seed_demo", "--only", "units", "users", stdout=io.StringIO())
    officer = User.objects.get(username="canbo.xuanai")
    old, new = Unit.objects.filter(code="04441", level="commune").order_by("valid_from")
    # The same person as the demo had her before this change: one role, on the old commune only.
    before_change = make_user()
    RoleAssignment.objects.create(user=before_change, role="commune_officer", unit=old)

    assert reachable(officer, "radio.add_bulletin", ON_30_JUNE) == reachable(
        before_change, "radio.add_bulletin", ON_30_JUNE
    )
    assert home_unit(officer, "radio.add_bulletin", ON_30_JUNE) == old
    assert new.pk not in reachable(before_change, "radio.add_bulletin", ON_1_JULY)

    assert new.pk in reachable(officer, "radio.add_bulletin", ON_1_JULY)
    assert home_unit(officer, "radio.add_bulletin", ON_1_JULY) == new
    assert home_unit(officer, "plans.view_indicator", datetime.date(2026, 1, 1)) == new
    absorbed = set(Unit.objects.valid_on(ON_1_JULY).within(new).values_list("pk", flat=True))
    assert absorbed <= reachable(officer, "radio.broadcast_bulletin", ON_1_JULY)
    # Before the reform she still reaches none of the communes the new Xuân Ái absorbed.
    assert reachable(officer, "plans.view_report", ON_30_JUNE) == reachable(
        before_change, "plans.view_report", ON_30_JUNE
    )


def test_the_demo_village_leader_follows_the_village_and_the_province_admin_keeps_one_role_per_province():
    call_command("seed_demo", "--only", "units", "users", stdout=io.StringIO())
    leader = User.objects.get(username="totruong.xuanai")
    assert [each.unit.valid_from for each in roles_held_on(leader, ON_1_JULY)] == [ON_1_JULY]
    admin = User.objects.get(username="admin")
    assert sorted((a.unit.name, a.valid_to) for a in admin.role_assignments.all()) == [
        ("Tỉnh Lào Cai", None),
        ("Tỉnh Yên Bái", ON_30_JUNE),
    ]


def test_a_role_given_on_a_unit_that_ended_continues_on_its_successor(tree):
    officer = make_user()
    services.assign_role(officer, actor=None, role="commune_officer", unit=tree.xuan_ai)
    assert held(officer) == [
        ("Xuân Ái", tree.xuan_ai.valid_from, None, BEFORE_REFORM),
        ("Xuân Ái", REFORM, REFORM, None),
    ]
    following = officer.role_assignments.get(unit=tree.new_xuan_ai)
    assert following.continues.unit == tree.xuan_ai
    assert following.include_descendants
    assert tree.new_xuan_ai.pk in reachable(officer, "radio.add_bulletin", REFORM)
    assert tree.yen_hop.pk not in reachable(officer, "radio.add_bulletin", BEFORE_REFORM)


def test_the_history_says_who_served_where_on_each_day(tree):
    officer = make_user()
    services.assign_role(officer, actor=None, role="commune_officer", unit=tree.xuan_ai)
    assert [each.unit for each in roles_held_on(officer, BEFORE_REFORM)] == [tree.xuan_ai]
    assert [each.unit for each in roles_held_on(officer, REFORM)] == [tree.new_xuan_ai]
    assert roles_held_on(None, REFORM) == []


def test_a_reorganisation_recorded_later_carries_the_roles_over(tree):
    commune = make_unit(tree.luc_yen, "04301", "Minh Tiến", "xa", valid_from=datetime.date(2020, 1, 1))
    village = make_unit(commune, "04301-01", "Làng Mới", "thon")
    officer = make_user("commune_officer", commune)
    leader = make_user("village_team_leader", village, include_descendants=False)
    unit_services.close_unit(commune, actor=None, last_day=datetime.date(2024, 11, 30))
    assert held(officer)[0][3] is None  # closed without a successor yet: nothing to follow
    unit_services.succeed(commune, tree.khanh_hoa, actor=None)
    assert held(officer)[1] == ("Khánh Hòa", tree.khanh_hoa.valid_from, datetime.date(2024, 12, 1), BEFORE_REFORM)
    copies = unit_services.carry_children_over(commune, tree.khanh_hoa, day=datetime.date(2024, 12, 1))
    assert [each.unit for each in roles_held_on(leader, datetime.date(2025, 1, 1))] == copies
    assert not leader.role_assignments.get(unit=copies[0]).include_descendants
    # ... and Khánh Hòa ended on 30/6/2025 too: the role went on to the new Khánh Hòa.
    assert held(officer)[-1] == ("Khánh Hòa", REFORM, REFORM, None)


def test_a_split_unit_hands_the_role_to_its_primary_successor_only(tree):
    commune = make_unit(tree.luc_yen, "04302", "Tách Đôi", "xa", valid_to=datetime.date(2023, 12, 31))
    first = make_unit(tree.luc_yen, "04303", "Phần Một", "xa", valid_from=datetime.date(2024, 1, 1))
    second = make_unit(tree.luc_yen, "04304", "Phần Hai", "xa", valid_from=datetime.date(2024, 1, 1))
    officer = make_user("commune_officer", commune)
    unit_services.succeed(commune, second, actor=None, is_primary=False)
    unit_services.succeed(commune, first, actor=None)
    assert [a.unit for a in officer.role_assignments.order_by("pk")] == [commune, first]


def test_following_again_changes_nothing(tree):
    officer = make_user()
    services.assign_role(officer, actor=None, role="commune_officer", unit=tree.xuan_ai)
    before = held(officer)
    from tinhso.accounts.continuity import follow_all_successions

    assert follow_all_successions() == 0
    assert held(officer) == before


def test_the_data_migration_carries_existing_roles_over(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    already = make_user("province_admin", tree.yen_bai)
    RoleAssignment.objects.create(user=already, role="province_admin", unit=tree.lao_cai)
    migration = importlib.import_module("tinhso.accounts.migrations.0002_role_continuity")
    migration.follow_successions(apps, None)
    migration.follow_successions(apps, None)
    assert held(officer) == [
        ("Xuân Ái", tree.xuan_ai.valid_from, None, BEFORE_REFORM),
        ("Xuân Ái", REFORM, REFORM, None),
    ]
    assert [(a.unit.short_name, a.valid_to, a.continues_id) for a in already.role_assignments.order_by("pk")] == [
        ("Yên Bái", BEFORE_REFORM, None),
        ("Lào Cai", None, None),
    ]


def test_the_user_page_shows_when_each_role_was_held(tree):
    officer = make_user()
    services.assign_role(officer, actor=None, role="commune_officer", unit=tree.xuan_ai)
    admin = make_user("province_admin", tree.lao_cai)
    RoleAssignment.objects.create(user=admin, role="province_admin", unit=tree.yen_bai)
    page = web_client(admin).get(f"/accounts/users/{officer.pk}/").content.decode()
    assert "đến 30/6/2025" in page
    assert "từ 1/7/2025" in page


def test_the_api_tells_which_role_a_role_continues(tree):
    officer = make_user()
    services.assign_role(officer, actor=None, role="commune_officer", unit=tree.xuan_ai)
    admin = make_user("province_admin", tree.lao_cai)
    RoleAssignment.objects.create(user=admin, role="province_admin", unit=tree.yen_bai)
    roles = api_client(admin).get(f"/api/v1/users/{officer.pk}/").json()["roles"]
    assert [(role["valid_from"], role["valid_to"], role["continues"] is not None) for role in roles] == [
        (None, "2025-06-30", False),
        ("2025-07-01", None, True),
    ]
