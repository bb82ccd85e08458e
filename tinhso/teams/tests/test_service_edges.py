"""The team, member and person edits an officer makes, at their edges: each refusal names the field,
says why in the officer's language, and leaves the stored team as it was."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.teams import services
from tinhso.teams.models import ActivityType, Member, Person, Team

from .conftest import add_member, make_team


def refused_fields(call) -> set[str]:
    with pytest.raises(ValidationError) as refused, acting_as(None, source="test"):
        call()
    return set(getattr(refused.value, "message_dict", {"__all__": None}))


def test_a_team_is_named_after_its_village_when_no_name_is_given(world):
    assert world.khe_dua.name.startswith("Tổ Chuyển đổi số cộng đồng")
    assert world.tree.khe_dua.name.split()[-1] in world.khe_dua.name
    assert "  " not in world.khe_dua.name


def test_a_team_cannot_end_before_it_was_founded(world):
    day = world.khe_dua.founded_on - datetime.timedelta(days=1)
    assert "ended_on" in refused_fields(
        lambda: services.update_team(world.khe_dua, actor=None, changes={"ended_on": day})
    )
    assert Team.objects.get(pk=world.khe_dua.pk).ended_on is None


def test_only_listed_fields_of_a_team_can_be_changed(world):
    with pytest.raises(ValidationError) as refused:
        services.update_team(world.khe_dua, actor=None, changes={"unit": world.tree.na_hau, "level": "commune"})
    assert "level" in " ".join(refused.value.messages) and "unit" in " ".join(refused.value.messages)
    assert Team.objects.get(pk=world.khe_dua.pk).unit == world.tree.khe_dua


def test_a_team_cannot_be_founded_before_its_unit_existed(world):
    too_early = datetime.date(2020, 1, 1)
    assert "founded_on" in refused_fields(lambda: make_team(world.tree.new_xuan_ai, founded_on=too_early))


def test_a_second_leader_is_refused_until_the_first_leaves(world):
    with pytest.raises(ValidationError) as refused:
        add_member(world.khe_dua, "Hoàng Văn Sinh", "0911222333", role="leader")
    assert "Giàng A Páo" in " ".join(refused.value.messages)
    assert not Member.objects.filter(team=world.khe_dua, person__full_name="Hoàng Văn Sinh").exists()
    assert not Person.objects.filter(full_name="Hoàng Văn Sinh").exists()  # nothing half-written

    with acting_as(None, source="test"):
        services.update_member(world.leader, actor=None, changes={"left_on": datetime.date(2024, 1, 1)})
    assert add_member(world.khe_dua, "Hoàng Văn Sinh", "0911222333", role="leader").role == "leader"


def test_a_member_cannot_leave_before_joining_nor_join_before_the_team(world):
    before = world.leader.joined_on - datetime.timedelta(days=1)
    assert "left_on" in refused_fields(
        lambda: services.update_member(world.leader, actor=None, changes={"left_on": before})
    )
    assert "joined_on" in refused_fields(
        lambda: services.update_member(world.leader, actor=None, changes={"joined_on": datetime.date(2000, 1, 1)})
    )
    assert Member.objects.get(pk=world.leader.pk).left_on is None


def test_the_same_person_is_not_added_twice_to_one_team(world):
    with pytest.raises(ValidationError):
        add_member(world.khe_dua, "Giàng A Páo", "0912345678")
    assert Member.objects.filter(team=world.khe_dua, person__phone__endswith="912345678").count() == 1


def test_a_person_known_by_phone_is_reused_across_teams(world):
    khe_dua_person = Member.objects.get(team=world.khe_dua, role="leader").person
    on_another = add_member(world.na_hau, "Giang A Pao", "+84 912 345 678")
    assert on_another.person == khe_dua_person
    assert Person.objects.filter(pk=khe_dua_person.pk, full_name="Giàng A Páo").exists()


def test_a_persons_phone_is_read_in_any_spelling_and_stored_one_way(world):
    person = world.leader.person
    with acting_as(None, source="test"):
        services.update_person(person, actor=None, changes={"phone": "+84 (98) 765-1234"})
    person.refresh_from_db()
    plain = services.normalise_phone("0987651234")
    assert person.phone == plain


def test_a_persons_phone_that_is_not_a_phone_is_refused(world):
    person = world.leader.person
    stored = person.phone
    with pytest.raises(ValidationError), acting_as(None, source="test"):
        services.update_person(person, actor=None, changes={"phone": "12"})
    person.refresh_from_db()
    assert person.phone == stored


def test_an_officer_of_another_commune_cannot_change_a_team_or_its_people(world):
    stranger = make_user("commune_officer", world.tree.yen_hop)
    with pytest.raises(PermissionDenied):
        services.update_team(world.khe_dua, actor=stranger, changes={"note": "x"})
    with pytest.raises(PermissionDenied):
        services.update_member(world.leader, actor=stranger, changes={"role": "member"})
    assert Team.objects.get(pk=world.khe_dua.pk).note == ""
    assert Member.objects.get(pk=world.leader.pk).role == "leader"


def test_activity_kinds_are_kept_by_code_and_a_duplicate_code_is_refused(world):
    assert "code" in refused_fields(
        lambda: services.save_activity_type(None, actor=None, data={"code": "vneid", "name": "Trùng mã"})
    )
    kind = services.save_activity_type(None, actor=None, data={"code": "ai", "name": "Bình dân học AI", "order": 3})
    assert ActivityType.objects.get(code="ai") == kind
    commune_officer = make_user("commune_officer", world.tree.xuan_ai)
    with pytest.raises(PermissionDenied):
        services.save_activity_type(kind, actor=commune_officer, data={"is_active": False})
    assert ActivityType.objects.get(code="ai").is_active


def test_problems_of_an_activity_are_named_before_it_is_recorded(world):
    future = datetime.date.today() + datetime.timedelta(days=2)
    assert "date" in services.activity_problems(world.khe_dua, future)
    assert "date" in services.activity_problems(world.xuan_ai, datetime.date(2025, 8, 15))  # after its end
    world.door.is_active = False
    assert "activity_type" in services.activity_problems(world.khe_dua, None, world.door)
    assert services.activity_problems(world.khe_dua, datetime.date(2024, 5, 2), world.vneid) == {}


def test_a_village_code_that_did_not_exist_on_the_day_is_named(world):
    with pytest.raises(ValidationError) as refused:
        services.find_village("99999-99", datetime.date(2024, 5, 2))
    assert "99999-99" in " ".join(refused.value.messages)
    assert services.find_village("", datetime.date(2024, 5, 2)) is None
    assert services.find_village(" 04441-01 ", datetime.date(2024, 5, 2)) == world.tree.khe_dua
