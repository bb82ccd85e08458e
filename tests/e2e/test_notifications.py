"""A commune officer reads the inbox on a phone; a district officer reads the delivery log on a laptop."""

import re

from playwright.sync_api import expect

from .conftest import log_in, screenshot


def test_the_officer_opens_the_welcome_from_the_header_and_chooses_channels_on_a_phone(phone):
    log_in(phone, "canbo.xuanai")
    phone.get_by_role("button", name="Danh mục").click()
    link = phone.locator("a.notifications-link")
    expect(link).to_contain_text(re.compile(r"Thông báo\s*[1-9]"))  # the unread count, the welcome among them
    link.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Thông báo")
    expect(phone.locator(".notifications")).to_contain_text("Chào mừng đến với Tỉnh Số")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "notifications-inbox-phone")
    welcome = phone.locator(".notifications li", has_text="Chào mừng đến với Tỉnh Số")
    welcome.get_by_role("button", name="Mở").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Cách tôi nhận thông báo")
    screenshot(phone, "notifications-preferences-phone")


def test_the_district_officer_reads_the_delivery_log_of_the_district(laptop):
    log_in(laptop, "huyen.vanyen")
    laptop.goto("/notifications/log/")
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Nhật ký gửi thông báo")
    expect(laptop.locator("#results")).to_contain_text("Lý Thị Hoa")
    expect(laptop.locator("#results")).not_to_contain_text("Quản trị hệ thống tỉnh")
    screenshot(laptop, "notifications-delivery-log-laptop")
