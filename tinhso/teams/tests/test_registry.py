"""Founding teams and putting people on them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.core.models import ObjectChange
from tinhso.teams import services
from tinhso.teams.models import Member, Person, Team

from .conftest import add_member, make_team


def test_a_team_gets_the_usual_name_and_its_level_from_its_unit(world):
    assert world.khe_dua.name == "Tổ Chuyển đổi số cộng đồng thôn Khe Dứa"
    assert world.khe_dua.level == "village"
    assert world.xuan_ai.level == "commune"


def test_a_village_has_one_team_at_a_time_even_across_the_reform(world):
    with pytest.raises(ValidationError) as refused:
        make_team(world.tree.new_khe_dua, founded_on=datetime.date(2025, 9, 1))
    assert "đã có tổ" in str(refused.value)
    assert Team.objects.filter(unit=world.tree.new_khe_dua).count() == 0


def test_after_a_team_is_dissolved_the_place_may_found_another(world):
    services.update_team(world.khe_dua, actor=None, changes={"ended_on": datetime.date(2025, 12, 31)})
    successor = make_team(world.tree.new_khe_dua, founded_on=datetime.date(2026, 1, 5))
    assert successor.pk


def test_a_team_belongs_to_a_commune_or_a_village(world):
    with pytest.raises(ValidationError):
        make_team(world.tree.van_yen)


def test_a_team_cannot_be_founded_on_a_day_its_unit_did_not_exist(world):
    with pytest.raises(ValidationError) as refused:
        make_team(world.tree.new_khanh_hoa, founded_on=datetime.date(2024, 1, 1))
    assert "founded_on" in refused.value.message_dict


def test_a_person_known_by_phone_serves_on_a_commune_and_a_village_team(world):
    assert Person.objects.filter(phone="0912345678").count() == 1
    person = Person.objects.get(phone="0912345678")
    assert {member.team.level for member in person.memberships.all()} == {"village", "commune"}


def test_a_team_has_one_leader_at_a_time(world):
    with pytest.raises(ValidationError) as refused:
        add_member(world.khe_dua, "Hoàng Văn Thắng", "0911111111", role="leader")
    assert "Giàng A Páo" in str(refused.value)
    assert not Person.objects.filter(phone="0911111111").exists()


def test_a_new_leader_takes_over_once_the_old_one_has_left(world):
    services.update_member(world.leader, actor=None, changes={"left_on": datetime.date(2026, 1, 31)})
    newcomer = add_member(
        world.khe_dua, "Hoàng Văn Thắng", "0911111111", role="leader", joined_on=datetime.date(2026, 2, 1)
    )
    assert newcomer.role == "leader"
    on_day = Member.objects.filter(team=world.khe_dua, role="leader").active_on(datetime.date(2026, 3, 1))
    assert [m.person.full_name for m in on_day] == ["Hoàng Văn Thắng"]


def test_nobody_joins_the_same_team_twice(world):
    with pytest.raises(ValidationError):
        add_member(world.khe_dua, "Giàng A Páo", "0912345678")
    assert Member.objects.filter(team=world.khe_dua, person__phone="0912345678").count() == 1


def test_a_member_cannot_leave_before_joining(world):
    with pytest.raises(ValidationError) as refused:
        services.update_member(world.leader, actor=None, changes={"left_on": datetime.date(2020, 1, 1)})
    assert "left_on" in refused.value.message_dict


def test_every_change_is_logged_with_who_made_it(world):
    officer = make_user("commune_officer", world.tree.xuan_ai)
    with acting_as(officer, source="web"):
        services.update_team(world.khe_dua, actor=officer, changes={"decision_number": "45/QĐ-UBND"})
    change = ObjectChange.objects.filter(object_id=world.khe_dua.pk, action="update").latest("time")
    assert change.user == officer
    assert change.prechange_data["decision_number"] == "12/QĐ-UBND"
    assert change.postchange_data["decision_number"] == "45/QĐ-UBND"
    assert change.unit_path == world.tree.khe_dua.path
