"""The home page on a phone answers "what do I need to do today" for a commune officer, a village team leader and
a citizen of the seeded demo: their cards first, stacked, nothing wider than the screen."""

from playwright.sync_api import expect

from .conftest import log_in, screenshot


def open_home(phone, username: str) -> None:
    log_in(phone, username)
    phone.goto("/")
    phone.locator(".home-cards").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_commune_officer_sees_reports_tasks_and_radio_today(phone):
    open_home(phone, "canbo.xuanai")

    expect(phone.get_by_role("heading", name="Báo cáo và nhiệm vụ")).to_be_visible()
    expect(phone.get_by_role("heading", name="Truyền thanh hôm nay")).to_be_visible()
    expect(phone.get_by_text("báo cáo chờ bạn duyệt")).to_be_visible()
    screenshot(phone, "home-commune-officer-phone")


def test_a_village_team_leader_sees_the_team_and_an_add_activity_button_first(phone):
    open_home(phone, "totruong.xuanai")

    first_card = phone.locator(".home-card").first
    expect(first_card.get_by_role("link", name="Thêm hoạt động")).to_be_visible()
    expect(first_card.get_by_text("hoạt động trong tháng")).to_be_visible()
    screenshot(phone, "home-team-leader-phone")


def test_a_citizen_sees_the_latest_bulletins_of_their_place(phone):
    open_home(phone, "congdan")

    expect(phone.get_by_role("heading", name="Bản tin mới nhất tại")).to_be_visible()
    assert phone.locator("#home-plans-title").count() == 0
    screenshot(phone, "home-citizen-phone")
