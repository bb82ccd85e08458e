"""restrict(user, permission, path=...), unit_scope and home_unit: the one answer to "what may this person act on"."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tinhso.accounts.access import home_unit, unit_scope
from tinhso.accounts.models import RoleAssignment
from tinhso.accounts.scope import EVERYTHING, NOTHING, UnitScope
from tinhso.accounts.testing import make_user
from tinhso.core.models import ObjectChange
from tinhso.units.models import Unit
from tinhso.units.testing import BEFORE_REFORM, REFORM

pytestmark = pytest.mark.django_db


def names(queryset):
    return sorted(unit.short_name for unit in queryset)


def test_an_action_is_read_on_the_querysets_own_model_as_before(tree):
    leader = make_user("village_team_leader", tree.khe_dua)
    # Both versions of Khe Dứa: the village carried over into the new Xuân Ái is the same territory.
    assert names(Unit.objects.restrict(leader, "view")) == ["Khe Dứa", "Khe Dứa"]
    assert names(Unit.objects.restrict(leader)) == ["Khe Dứa", "Khe Dứa"]
    assert names(Unit.objects.restrict(leader, "add")) == []


def test_a_full_permission_name_asks_where_i_may_do_something_else(tree):
    leader = make_user("village_team_leader", tree.khe_dua)
    officer = make_user("commune_officer", tree.yen_hop)
    assert names(Unit.objects.restrict(leader, "radio.add_bulletin", path="path")) == ["Khe Dứa", "Khe Dứa"]
    assert names(Unit.objects.restrict(officer, "radio.add_bulletin").filter(level="commune")) == ["Yên Hợp"]
    assert names(Unit.objects.restrict(officer, "plans.approve_report")) == ["Yên Hợp", "Đồng Tâm", "Đồng Tâm"]


def test_a_lookup_path_scopes_by_another_unit_of_the_row(tree):
    """Villages whose commune I may approve reports of: the path goes to the parent."""
    officer = make_user("commune_officer", tree.xuan_ai, include_descendants=False)
    villages = Unit.objects.filter(level="village", valid_to__isnull=False)
    approvable = villages.restrict(officer, "plans.approve_report", path="parent__path")
    assert names(approvable) == ["Khe Dứa", "Nà Hẩu"]
    assert names(villages.restrict(officer, "plans.approve_report")) == []


def test_nobody_and_everybody(tree):
    assert Unit.objects.restrict(None).count() == 0
    assert Unit.objects.restrict(make_user(), "view").count() == 0
    admin = make_user(is_superuser=True)
    assert Unit.objects.restrict(admin, "radio.add_bulletin").count() == Unit.objects.count()
    inactive = make_user("province_admin", tree.yen_bai, is_active=False)
    assert Unit.objects.restrict(inactive).count() == 0


def test_the_change_log_has_the_restricted_manager(tree):
    officer = make_user("commune_officer", tree.yen_hop)
    mine = ObjectChange.objects.restrict(officer)
    scope = unit_scope(officer, "core.view_objectchange")
    assert mine.filter(unit_path=tree.yen_hop.path).exists()
    assert all(scope.covers(change.unit_path) for change in mine)
    assert not mine.filter(unit_path__startswith=tree.xuan_ai.path).exists()
    assert mine.count() < ObjectChange.objects.count()


def test_unit_scope_answers_for_trees_held_in_memory(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    scope = unit_scope(officer, "plans.view_indicator")
    assert scope.covers(tree.khe_dua.path)
    assert not scope.covers(tree.yen_hop.path)
    assert not scope.covers(tree.van_yen.path)
    assert unit_scope(officer, "radio.delete_everything").is_empty


@given(
    subtrees=st.sets(st.sampled_from(["/1/", "/1/2/", "/3/", "/3/4/5/"])),
    exact=st.sets(st.sampled_from(["/1/", "/6/", "/3/4/"])),
    path=st.sampled_from(["/1/", "/1/2/", "/1/2/9/", "/3/", "/3/4/", "/3/4/5/7/", "/6/", "/6/8/", "/10/"]),
)
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_covers_is_the_same_answer_as_the_database_filter(subtrees, exact, path):
    """For any scope and any path, the in-memory check and the ORM condition agree."""
    scope = UnitScope(subtrees=frozenset(subtrees), exact=frozenset(exact))
    expected = path in exact or any(path.startswith(prefix) for prefix in subtrees)
    assert scope.covers(path) == expected
    assert EVERYTHING.covers(path) and not NOTHING.covers(path)


class TestHomeUnit:
    def test_the_widest_unit_where_the_permission_is_held(self, tree):
        officer = make_user("village_team_leader", tree.khe_dua)
        RoleAssignment.objects.create(user=officer, role="commune_officer", unit=tree.yen_hop)
        assert home_unit(officer, "radio.add_bulletin", BEFORE_REFORM) == tree.yen_hop
        assert home_unit(officer, "plans.submit_report", BEFORE_REFORM) == tree.yen_hop

    def test_only_roles_that_grant_the_permission_count(self, tree):
        person = make_user("citizen", tree.xuan_ai, include_descendants=False)
        RoleAssignment.objects.create(user=person, role="village_team_leader", unit=tree.khe_dua)
        assert home_unit(person, "radio.add_bulletin", BEFORE_REFORM) == tree.khe_dua
        assert home_unit(person, "units.view_unit", BEFORE_REFORM) == tree.xuan_ai
        assert home_unit(person, "accounts.add_user", BEFORE_REFORM) is None

    def test_a_unit_of_another_day_stands_for_its_successor_when_the_person_covers_it(self, tree):
        province = make_user("province_admin", tree.yen_bai)
        assert home_unit(province, "plans.view_indicator", REFORM) == tree.lao_cai
        officer = make_user("commune_officer", tree.xuan_ai)
        # The new Xuân Ái also took Yên Hợp: a role given straight on the old commune does not reach it...
        assert home_unit(officer, "plans.view_indicator", REFORM) == tree.xuan_ai

    def test_a_unit_created_later_stands_for_its_predecessor(self, tree):
        officer = make_user("commune_officer", tree.new_khanh_hoa)
        assert home_unit(officer, "plans.view_indicator", datetime.date(2024, 1, 1)) == tree.khanh_hoa

    def test_nobody_has_no_home(self, tree):
        assert home_unit(None, "plans.view_indicator") is None
        assert home_unit(make_user(), "plans.view_indicator") is None
