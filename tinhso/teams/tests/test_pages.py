"""The pages of the module: lists with filters and export, the team page, the phone form."""

import datetime
import uuid

import pytest
from openpyxl import load_workbook

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.teams.models import Activity, ActivityType, Member, Team

from .conftest import criterion, make_index, record


@pytest.fixture
def admin(world):
    return web_client(make_user("province_admin", world.tree.lao_cai))


@pytest.mark.parametrize("url", ["/teams/registry/", "/teams/members/", "/teams/activities/", "/teams/rankings/"])
def test_list_pages_cost_a_fixed_number_of_queries(world, admin, url, django_assert_max_num_queries):
    for day in range(1, 6):
        record(world.khe_dua, datetime.date(2026, 2, day), key=str(day))
    admin.get(url)
    with django_assert_max_num_queries(15):
        assert admin.get(url).status_code == 200


def test_the_team_list_filters_by_level_and_unit(world, admin):
    page = admin.get("/teams/registry/", {"level": "village", "within": "04441"}).content.decode()
    assert "3 kết quả" in page
    assert "Khuổi Vai" not in page


def test_the_member_list_exports_to_excel(world, admin):
    response = admin.get("/teams/members/", {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(__import__("io").BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "Giàng A Páo" in names and len(names) == Member.objects.filter(left_on__isnull=True).count()


def test_the_team_page_shows_members_and_the_place_it_serves_today(world, admin):
    page = admin.get(world.khe_dua.get_absolute_url()).content.decode()
    assert "Giàng A Páo" in page and "Lò Thị Ún" in page
    assert "12/QĐ-UBND" in page
    assert "1985" in page and "1.985" not in page  # a year of birth, not a number of people
    assert page.index("Giàng A Páo") < page.index("Lò Thị Ún")  # the leader first


def test_the_activity_form_works_without_javascript_and_a_resent_form_adds_nothing(world):
    leader = web_client(make_user("village_team_leader", world.tree.khe_dua))
    form = leader.get(f"/teams/{world.khe_dua.pk}/activities/new/")
    assert form.status_code == 200 and 'data-offline-form="team-' in form.content.decode()
    data = {
        "activity_type": "vneid",
        "date": "2026-03-02",
        "people_reached": 9,
        "households_reached": 4,
        "idempotency_key": str(uuid.uuid4()),
    }
    first = leader.post(f"/teams/{world.khe_dua.pk}/activities/new/", data)
    again = leader.post(f"/teams/{world.khe_dua.pk}/activities/new/", data)
    assert first.status_code == again.status_code == 302
    assert Activity.objects.count() == 1


def test_the_form_says_what_is_wrong_in_vietnamese(world):
    leader = web_client(make_user("village_team_leader", world.tree.khe_dua))
    page = leader.post(
        f"/teams/{world.khe_dua.pk}/activities/new/",
        {
            "activity_type": "vneid",
            "date": "2099-01-01",
            "people_reached": 1,
            "households_reached": 1,
            "idempotency_key": "k",
        },
    )
    assert page.status_code == 200
    assert "tương lai" in page.content.decode()
    assert not Activity.objects.exists()


def test_a_member_who_records_for_one_team_goes_straight_to_its_form(world):
    leader = web_client(make_user("village_team_leader", world.tree.khe_dua))
    response = leader.get("/teams/activities/new/")
    assert response.status_code == 302 and response.url.endswith(f"/teams/{world.khe_dua.pk}/activities/new/")


def test_the_province_configures_the_catalogue(world, admin):
    response = admin.post(
        "/teams/activity-types/add/", {"code": "lop-hoc", "name": "Mở lớp kỹ năng số", "order": 5, "is_active": "on"}
    )
    assert response.status_code == 302
    assert ActivityType.objects.get(code="lop-hoc").name == "Mở lớp kỹ năng số"


def test_a_team_is_founded_from_its_unit_code(world, admin):
    response = admin.post(
        "/teams/add/",
        {
            "unit_code": "04300",
            "decision_number": "7/QĐ-UBND",
            "founded_on": "2025-09-01",
            "decision_signer": "Chủ tịch UBND xã Khánh Hòa",
        },
    )
    assert response.status_code == 302
    assert Team.objects.get(decision_number="7/QĐ-UBND").unit == world.tree.new_khanh_hoa


def test_a_member_is_added_and_edited_from_the_team_page(world, admin):
    admin.post(
        f"/teams/{world.na_hau.pk}/members/add/",
        {
            "full_name": "Bàn Thị Mẩy",
            "phone": "0961 234 567",
            "gender": "female",
            "ethnicity": "09",
            "role": "deputy",
            "joined_on": "2024-01-02",
        },
    )
    member = Member.objects.get(person__full_name="Bàn Thị Mẩy")
    assert member.person.phone == "0961234567"
    admin.post(
        f"/teams/members/{member.pk}/edit/",
        {
            "full_name": "Bàn Thị Mẩy",
            "phone": "0961234567",
            "gender": "female",
            "ethnicity": "09",
            "role": "member",
            "joined_on": "2024-01-02",
            "left_on": "2026-01-01",
        },
    )
    member.refresh_from_db()
    assert (member.role, member.left_on) == ("member", datetime.date(2026, 1, 1))


def test_rankings_export_every_visible_team_with_its_rank(world, admin):
    from tinhso.teams import services

    criterion(make_index("village", world.tree.yen_bai), "1", "has_leader", rule="boolean")
    services.evaluate_teams("village", "2024", actor=None)
    response = admin.get("/teams/rankings/", {"level": "village", "period": "2024", "export": "csv"})
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Hạng,Tổ")
    assert len(lines) == 1 + 4
    assert any(line.startswith("1,Tổ Chuyển đổi số cộng đồng thôn Khe Dứa") for line in lines)


def test_the_admin_lists_teams_within_the_staff_member_s_units(world):
    staff = make_user("province_admin", world.tree.lao_cai, is_staff=True)
    page = web_client(staff).get("/admin/teams/team/")
    assert page.status_code == 200 and "Khe Dứa" in page.content.decode()
    assert web_client(staff).get("/admin/teams/activity/").status_code == 200


def test_an_activity_is_corrected_by_its_team_and_by_nobody_else(world):
    activity, _created = record(world.khe_dua, datetime.date(2026, 3, 2), key="c")
    data = {"activity_type": "go-cua", "date": "2026-03-03", "people_reached": 15, "households_reached": 6}
    outsider = web_client(make_user("village_team_leader", world.tree.dong_tam))
    assert outsider.post(f"/teams/activities/{activity.pk}/edit/", data).status_code == 404
    leader = web_client(make_user("village_team_leader", world.tree.khe_dua))
    assert leader.post(f"/teams/activities/{activity.pk}/edit/", data).status_code == 302
    activity.refresh_from_db()
    assert (activity.activity_type.code, activity.people_reached, activity.date) == (
        "go-cua",
        15,
        datetime.date(2026, 3, 3),
    )


def test_a_failed_activity_says_so_above_the_form_with_every_error_at_once(world):
    """A date in the future, a negative count and a word for a number: all three marked on the first try, and a
    summary above the form says nothing was recorded; nothing is written."""
    leader = web_client(make_user("village_team_leader", world.tree.khe_dua))
    page = leader.post(
        f"/teams/{world.khe_dua.pk}/activities/new/",
        {
            "activity_type": "vneid",
            "date": "2099-01-01",
            "people_reached": -3,
            "households_reached": "abc",
            "idempotency_key": str(uuid.uuid4()),
        },
    ).content.decode()
    summary = page[page.index("data-summary") : page.index('class="card narrow activity-form"')]
    assert "Chưa lưu" in summary
    for field in ("Ngày", "Người dân được hỗ trợ", "Hộ gia đình được hỗ trợ"):
        assert f">{field}</a>" in summary, field
    assert "tương lai" in summary
    assert not Activity.objects.exists()


@pytest.mark.parametrize("written", ["31/02/2024", "2024-13-01", "hôm qua", "1e9"])
def test_a_date_that_is_not_one_is_explained_in_the_vietnamese_way_of_writing_dates(world, written):
    leader = web_client(make_user("village_team_leader", world.tree.khe_dua))
    page = leader.post(
        f"/teams/{world.khe_dua.pk}/activities/new/",
        {
            "activity_type": "vneid",
            "date": written,
            "people_reached": 1,
            "households_reached": 1,
            "idempotency_key": "k",
        },
    ).content.decode()
    assert "ngày/tháng/năm, ví dụ 27/3/2024" in page
    assert not Activity.objects.exists()
