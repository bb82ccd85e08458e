"""A team follows its unit's end and successor: it carries on under the unit that continues it, or
ends with its unit when that place already has a team. The history stays: the team keeps its unit
version, gets a last day, and the change log says when."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.core.models import ObjectChange
from tinhso.core.testing import api_client, web_client
from tinhso.teams.continuity import follow_unit_ends
from tinhso.teams.models import Member, Team
from tinhso.units import services as unit_services
from tinhso.units.snapshot import snapshot_on
from tinhso.units.testing import BEFORE_REFORM, REFORM, make_unit

from .conftest import add_member, make_team

AFTER = datetime.date(2025, 9, 1)


def commune_teams_serving(unit, day):
    snapshot = snapshot_on(day)
    return [
        team
        for team in Team.objects.active_on(day).filter(level="commune")
        if (place := snapshot.representative(team.unit_id)) is not None and place.id == unit.pk
    ]


def test_of_two_merged_communes_the_team_of_the_primary_predecessor_carries_on_and_the_other_ends(tree):
    xuan_ai = make_team(tree.xuan_ai)
    yen_hop = make_team(tree.yen_hop, founded_on=datetime.date(2021, 5, 1))
    add_member(yen_hop, "Hà Văn Lả", role="leader")

    assert set(commune_teams_serving(tree.new_xuan_ai, AFTER)) == {yen_hop, xuan_ai}
    assert follow_unit_ends() == 1

    yen_hop.refresh_from_db()
    assert yen_hop.ended_on == BEFORE_REFORM and yen_hop.unit == tree.yen_hop
    assert commune_teams_serving(tree.new_xuan_ai, AFTER) == [xuan_ai]
    assert commune_teams_serving(tree.yen_hop, datetime.date(2024, 6, 1)) == [yen_hop]
    assert Member.objects.get(team=yen_hop).left_on == BEFORE_REFORM
    assert ObjectChange.objects.filter(object_id=str(yen_hop.pk), action="update").exists()


def test_a_team_whose_successor_has_no_team_carries_on_under_it(tree):
    khanh_hoa = make_team(tree.khanh_hoa)

    assert follow_unit_ends() == 0
    khanh_hoa.refresh_from_db()
    assert khanh_hoa.ended_on is None
    assert commune_teams_serving(tree.new_khanh_hoa, AFTER) == [khanh_hoa]


def test_village_teams_carried_across_the_reform_all_carry_on(tree):
    teams = [make_team(village) for village in (tree.khe_dua, tree.na_hau, tree.dong_tam, tree.khuoi_vai)]
    assert follow_unit_ends() == 0
    assert all(team.ended_on is None for team in Team.objects.filter(pk__in=[t.pk for t in teams]))


def test_following_twice_changes_nothing_more(tree):
    make_team(tree.xuan_ai)
    make_team(tree.yen_hop)
    assert follow_unit_ends() == 1
    changes = ObjectChange.objects.count()
    assert follow_unit_ends() == 0
    assert ObjectChange.objects.count() == changes


def test_a_team_whose_unit_ends_without_a_successor_ends_with_it(tree):
    with acting_as(None, source="test"):
        lost = make_unit(tree.luc_yen, "04399", "Tân Lập", "xa", valid_to=datetime.date(2024, 11, 30))
    team = make_team(lost)
    assert follow_unit_ends() == 1
    team.refresh_from_db()
    assert team.ended_on == datetime.date(2024, 11, 30)


def test_a_merger_recorded_after_the_teams_exist_ends_the_absorbed_communes_team_once_committed(
    tree, django_capture_on_commit_callbacks
):
    khanh_hoa = make_team(tree.khanh_hoa)
    with acting_as(None, source="test"):
        absorbed = make_unit(tree.luc_yen, "04303", "Minh Tiến", "xa", valid_to=BEFORE_REFORM)
    absorbed_team = make_team(absorbed)

    with django_capture_on_commit_callbacks(execute=True), acting_as(None, source="test"):
        unit_services.succeed(absorbed, tree.new_khanh_hoa, is_primary=False)

    absorbed_team.refresh_from_db()
    khanh_hoa.refresh_from_db()
    assert absorbed_team.ended_on == BEFORE_REFORM
    assert khanh_hoa.ended_on is None
    assert commune_teams_serving(tree.new_khanh_hoa, REFORM) == [khanh_hoa]


def test_someone_who_may_not_change_teams_cannot_end_them_and_nothing_changes(tree):
    make_team(tree.xuan_ai)
    yen_hop = make_team(tree.yen_hop)
    leader = make_user("village_team_leader", tree.yen_hop)
    with pytest.raises(PermissionDenied):
        follow_unit_ends(actor=leader)
    yen_hop.refresh_from_db()
    assert yen_hop.ended_on is None

    centre = make_user("dx_centre_staff", tree.yen_bai)
    assert follow_unit_ends(actor=centre) == 1


def new_na_hau(world):
    from tinhso.units.models import Unit

    return Unit.objects.get(code="04441-02", valid_from=REFORM)


def test_a_village_closed_from_its_edit_page_ends_its_team_and_memberships(world, django_capture_on_commit_callbacks):
    village = new_na_hau(world)
    officer = web_client(make_user("commune_officer", world.tree.new_xuan_ai))
    form = {"short_name": "Nà Hẩu", "name": "Bản Nà Hẩu", "unit_type": "ban", "valid_to": "2026-03-31"}
    with django_capture_on_commit_callbacks(execute=True):
        assert officer.post(f"/units/{village.pk}/edit/", form).status_code == 302
    world.na_hau.refresh_from_db()
    assert world.na_hau.ended_on == datetime.date(2026, 3, 31)
    assert set(Member.objects.filter(team=world.na_hau).values_list("left_on", flat=True)) == {
        datetime.date(2026, 3, 31)
    }


def test_a_village_closed_through_the_api_ends_its_team(world, django_capture_on_commit_callbacks):
    village = new_na_hau(world)
    client = api_client(make_user("commune_officer", world.tree.new_xuan_ai))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.patch(f"/api/v1/units/{village.pk}/", {"valid_to": "2026-03-31"}, format="json")
    assert response.status_code == 200
    world.na_hau.refresh_from_db()
    assert world.na_hau.ended_on == datetime.date(2026, 3, 31)


def test_renaming_a_village_leaves_its_team_alone(world, django_capture_on_commit_callbacks):
    village = new_na_hau(world)
    with django_capture_on_commit_callbacks(execute=True), acting_as(None, source="test"):
        unit_services.update_unit(village, actor=None, changes={"short_name": "Nà Hẩu Mới"})
    world.na_hau.refresh_from_db()
    assert world.na_hau.ended_on is None
