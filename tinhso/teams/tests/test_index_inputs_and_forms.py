"""The evaluation index's inputs against figures worked out by hand, and the pages that change teams and
members: a Vietnamese message for every bad input, nothing half-written, and every write in the history."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from tinhso.accounts.testing import make_user
from tinhso.core.models import ObjectChange
from tinhso.core.periods import parse_period
from tinhso.core.testing import web_client
from tinhso.teams.indices import TeamFigures
from tinhso.teams.models import Member, Person, Team

from .conftest import make_team, record
from .test_activities import photo


def year_2024(world):
    record(world.khe_dua, datetime.date(2024, 1, 5), key="a", people_reached=10, households_reached=5)
    record(
        world.khe_dua,
        datetime.date(2024, 1, 20),
        key="b",
        people_reached=4,
        households_reached=4,
        activity_type=world.door,
        files=[photo()],
    )
    record(world.khe_dua, datetime.date(2024, 3, 2), key="c", people_reached=6, households_reached=3)
    record(world.khe_dua, datetime.date(2025, 1, 2), key="d", people_reached=50)  # another year
    return TeamFigures(parse_period("2024"), {"type:vneid"})


def values(figures, team, *keys):
    return {key: figures.inputs(key, team).value for key in keys}


def test_a_village_teams_inputs_are_the_sums_of_its_year(world):
    figures = year_2024(world)
    assert values(
        figures, world.khe_dua, "activities", "people_reached", "households_reached", "activity_kinds", "type:vneid"
    ) == {"activities": 3, "people_reached": 20, "households_reached": 12, "activity_kinds": 2, "type:vneid": 16}


def test_a_village_teams_shares_are_worked_out_on_the_right_denominators(world):
    figures = year_2024(world)
    months = figures.inputs("active_months", world.khe_dua)
    assert (months.numerator, months.denominator, months.value) == (2, 12, Decimal("16.6667"))
    assert figures.inputs("evidence_share", world.khe_dua).value == Decimal("33.3333")  # 1 of 3 activities
    coverage = figures.inputs("household_coverage", world.khe_dua)  # 12 of Khe Dứa's 120 households
    assert (coverage.numerator, coverage.denominator, coverage.value) == (12, 120, Decimal("10.0000"))
    assert values(figures, world.khe_dua, "members", "women_share") == {"members": 2, "women_share": Decimal("50.0000")}
    assert figures.inputs("has_leader", world.khe_dua).answer is True


def test_a_team_without_activities_has_no_share_rather_than_a_division_by_zero(world):
    figures = year_2024(world)
    assert figures.inputs("evidence_share", world.na_hau).value is None
    assert figures.inputs("activities", world.na_hau).value == 0
    assert figures.inputs("has_leader", world.khuoi_vai).answer is False  # nobody leads Khuổi Vai's team


def test_a_commune_team_is_measured_on_the_villages_of_its_commune(world):
    figures = year_2024(world)  # old Xuân Ái: Khe Dứa (120 households) and Nà Hẩu (80); only Khe Dứa was active
    assert values(figures, world.xuan_ai, "village_teams_active", "village_coverage", "household_coverage") == {
        "village_teams_active": Decimal("50.0000"),
        "village_coverage": Decimal("100.0000"),
        "household_coverage": Decimal("6.0000"),  # 12 of 200
    }


def test_after_the_merger_the_new_commune_counts_the_villages_of_both_old_ones(world):
    record(world.dong_tam, datetime.date(2026, 2, 3), key="e", households_reached=35)
    figures = TeamFigures(parse_period("2026"), set())
    coverage = figures.inputs("household_coverage", world.new_xuan_ai)
    assert (coverage.numerator, coverage.denominator) == (35, 120 + 80 + 150)
    assert figures.inputs("village_coverage", world.new_xuan_ai).value == Decimal("100.0000")
    assert figures.inputs("village_teams_active", world.new_xuan_ai).numerator == 1


def test_an_unknown_key_gives_no_input(world):
    assert TeamFigures(parse_period("2024"), set()).inputs("no_such_key", world.khe_dua).value is None


# --- Founding a team --------------------------------------------------------------------------------------


@pytest.fixture
def officer(world):
    return web_client(make_user("commune_officer", world.tree.xuan_ai, username="canbo.xuanai"))


def found(client, **changes):
    form = {
        "unit_code": "04441-02",
        "decision_number": "5/QĐ-UBND",
        "founded_on": "2024-03-01",
        "decision_signer": "Chủ tịch UBND xã",
        **changes,
    }
    return client.post("/teams/add/", form)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({}, "Bản Nà Hẩu đã có tổ: Tổ Chuyển đổi số cộng đồng bản Nà Hẩu."),
        ({"unit_code": "04426-01"}, "Không có xã hoặc thôn nào mang mã này thuộc phạm vi của bạn vào ngày đó."),
        ({"unit_code": "04441-99"}, "Không có xã hoặc thôn nào mang mã này thuộc phạm vi của bạn vào ngày đó."),
        ({"founded_on": "27/3/2024x"}, "Nhập một ngày hợp lệ."),
        ({"ended_on": "2024-01-01"}, "Ngày giải thể không thể trước ngày thành lập."),
    ],
)
def test_a_team_that_cannot_be_founded_is_refused_with_a_vietnamese_message(world, officer, changes, message):
    before = Team.objects.count()
    response = found(officer, **changes)
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert Team.objects.count() == before


def test_a_team_founded_from_the_page_is_named_after_its_village_and_logged(world, officer):
    world.na_hau.ended_on = datetime.date(2023, 12, 31)
    Team.objects.filter(pk=world.na_hau.pk).update(ended_on=world.na_hau.ended_on)
    assert found(officer).status_code == 302
    team = Team.objects.get(decision_number="5/QĐ-UBND")
    assert team.name == "Tổ Chuyển đổi số cộng đồng bản Nà Hẩu"
    change = ObjectChange.objects.get(object_type=ContentType.objects.get_for_model(Team), object_id=str(team.pk))
    assert (change.action, change.user_name, change.postchange_data["founded_on"]) == (
        "create",
        "canbo.xuanai",
        "2024-03-01",
    )


def _dissolving(world) -> dict:
    """The Khe Dứa team's edit form with its last day set to 30/6/2026."""
    return {
        "name": world.khe_dua.name,
        "decision_number": "12/QĐ-UBND",
        "founded_on": "2022-03-01",
        "decision_signer": "Chủ tịch UBND xã",
        "ended_on": "2026-06-30",
        "note": "",
    }


def test_dissolving_a_team_from_its_edit_page_logs_the_day_before_and_after(world, officer):
    officer = web_client(make_user("commune_officer", world.tree.new_xuan_ai, username="canbo.moi"))
    assert officer.post(f"/teams/{world.khe_dua.pk}/edit/", _dissolving(world)).status_code == 302
    change = ObjectChange.objects.filter(
        object_type=ContentType.objects.get_for_model(Team), object_id=str(world.khe_dua.pk)
    ).latest("pk")
    assert (change.user_name, change.prechange_data["ended_on"], change.postchange_data["ended_on"]) == (
        "canbo.moi",
        None,
        "2026-06-30",
    )


def test_the_members_of_a_dissolved_team_no_longer_serve_after_its_last_day(world):
    officer = web_client(make_user("commune_officer", world.tree.new_xuan_ai))
    assert officer.post(f"/teams/{world.khe_dua.pk}/edit/", _dissolving(world)).status_code == 302
    later = officer.get("/teams/members/", {"as_of": "2026-08-01"}).content.decode()
    assert "Lò Thị Ún" not in later
    earlier = officer.get("/teams/members/", {"as_of": "2026-06-30"}).content.decode()
    assert "Lò Thị Ún" in earlier
    assert set(Member.objects.filter(team=world.khe_dua).values_list("left_on", flat=True)) == {
        datetime.date(2026, 6, 30)
    }


# --- Members ----------------------------------------------------------------------------------------------


def join(client, team, **changes):
    form = {
        "full_name": "Hoàng Văn Sơn",
        "phone": "",
        "gender": "male",
        "ethnicity": "02",
        "birth_year": "1990",
        "skills": "",
        "role": "member",
        "joined_on": "2024-04-01",
        **changes,
    }
    return client.post(f"/teams/{team.pk}/members/add/", form)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"role": "leader"}, "Tổ đã có tổ trưởng là Giàng A Páo"),
        ({"joined_on": "2021-01-01"}, "Ngày tham gia phải nằm trong thời gian tổ hoạt động."),
        ({"birth_year": "2020"}, "nhỏ hơn hoặc bằng với 2015"),
        ({"phone": "12345"}, "Nhập số điện thoại Việt Nam đang sử dụng, ví dụ 0912 345 678."),
        ({"full_name": ""}, "Trường này là bắt buộc."),
    ],
)
def test_a_member_who_cannot_join_is_refused_with_a_vietnamese_message(world, officer, changes, message):
    people, members = Person.objects.count(), Member.objects.count()
    response = join(officer, world.khe_dua, **changes)
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert (Person.objects.count(), Member.objects.count()) == (people, members)


def test_someone_known_by_phone_joins_as_the_same_person_and_the_join_is_logged(world, officer):
    assert join(officer, world.na_hau, full_name="Giàng A Páo (gõ lại)", phone="0912 345 678").status_code == 302
    member = Member.objects.get(team=world.na_hau, person__phone="0912345678")
    assert member.person == world.leader.person and member.person.full_name == "Giàng A Páo"
    change = ObjectChange.objects.filter(
        object_type=ContentType.objects.get_for_model(Member), object_id=str(member.pk)
    ).get()
    assert change.user_name == "canbo.xuanai" and change.postchange_data["joined_on"] == "2024-04-01"


def test_a_phone_already_someone_elses_is_refused_and_nothing_of_the_edit_is_kept(world, officer):
    un = Member.objects.get(team=world.khe_dua, person__full_name="Lò Thị Ún")
    form = {
        "full_name": "Lò Thị Ún",
        "phone": "0912345678",  # Giàng A Páo's
        "gender": "female",
        "ethnicity": "03",
        "birth_year": "1985",
        "skills": "",
        "role": "deputy",
        "joined_on": "2022-03-01",
        "left_on": "",
    }
    response = officer.post(f"/teams/members/{un.pk}/edit/", form)
    assert response.status_code in (200, 400) and "0912345678" not in str(Person.objects.get(pk=un.person_id).phone)
    un.refresh_from_db()
    assert un.role == "member"


def test_leaving_the_team_is_recorded_not_deleted(world, officer):
    un = Member.objects.get(team=world.khe_dua, person__full_name="Lò Thị Ún")
    form = {
        "full_name": "Lò Thị Ún",
        "phone": "0987654321",
        "gender": "female",
        "ethnicity": "03",
        "birth_year": "1985",
        "skills": "",
        "role": "member",
        "joined_on": "2022-03-01",
        "left_on": "2024-05-31",
    }
    assert officer.post(f"/teams/members/{un.pk}/edit/", form).status_code == 302
    un.refresh_from_db()
    assert un.left_on == datetime.date(2024, 5, 31)
    assert not Member.objects.filter(team=world.khe_dua).active_on(datetime.date(2024, 6, 1)).filter(pk=un.pk).exists()


def test_an_officer_cannot_edit_a_member_of_another_commune(world):
    hoa = Member.objects.get(team=world.dong_tam)
    client = web_client(make_user("commune_officer", world.tree.xuan_ai))
    assert client.get(f"/teams/members/{hoa.pk}/edit/").status_code == 404
    assert client.get(f"/teams/{world.dong_tam.pk}/members/add/").status_code in (403, 404)


# --- Activities from the phone form ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"date": "2099-01-01"}, "Ngày hoạt động không thể ở tương lai."),
        ({"date": "2021-05-05"}, "không hoạt động vào ngày 5/5/2021."),
        ({"date": "hôm qua"}, "ngày/tháng/năm"),
        ({"people_reached": "-1"}, "lớn hơn hoặc bằng với 0"),
    ],
)
def test_an_activity_with_a_bad_detail_is_refused_in_vietnamese(world, changes, message):
    leader = web_client(make_user("village_team_leader", world.tree.khe_dua))
    form = {
        "activity_type": "vneid",
        "date": "2024-05-05",
        "people_reached": "9",
        "households_reached": "4",
        "idempotency_key": "nhap-1",
        **changes,
    }
    response = leader.post(f"/teams/{world.khe_dua.pk}/activities/new/", form)
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert not world.khe_dua.activities.exists()


def test_a_new_team_makes_another_team_on_the_merged_commune_impossible(world):
    with pytest.raises(Exception) as refused:
        make_team(world.tree.new_xuan_ai, founded_on=datetime.date(2025, 9, 1))
    assert "đã có tổ" in str(refused.value)
