"""Họp, sinh hoạt on a 360 px phone: the cell secretary creates next month's meeting from the cell's template,
sends the notice and sees each member's state, shows the check-in QR code and the live quorum."""

import re

from playwright.sync_api import expect

from .conftest import log_in, screenshot


def test_the_secretary_plans_a_meeting_and_sends_the_notice_on_a_phone(phone):
    log_in(phone, "bithu.xuanai")
    phone.goto("/meetings/")
    phone.get_by_role("heading", name="Họp, sinh hoạt").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "meetings-list-phone")

    phone.get_by_role("link", name="Tạo cuộc họp").first.click()
    phone.wait_for_url(re.compile(r"/meetings/new/"))
    expect(phone.get_by_label("Tiêu đề")).to_have_value("Sinh hoạt chi bộ định kỳ")
    expect(phone.get_by_label("Địa điểm")).to_have_value(re.compile(r"^Nhà văn hóa"))
    phone.get_by_label("Tiêu đề").fill("Sinh hoạt chi bộ chuyên đề chuyển đổi số")
    phone.get_by_role("button", name="Tạo cuộc họp").click()
    phone.wait_for_url(re.compile(r"/meetings/\d+/$"))
    phone.get_by_text("Đã tạo cuộc họp").wait_for()

    phone.get_by_role("button", name="Gửi giấy mời").click()
    phone.get_by_text("Đã lưu.").wait_for()
    expect(phone.locator("[data-notice=delivered]").nth(9)).to_be_attached()  # at least ten delivered
    phone.get_by_text("Chưa đủ tỷ lệ tối thiểu").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "meetings-meeting-phone")

    phone.get_by_role("link", name="Điểm danh").first.click()
    phone.locator(".qr svg").wait_for()
    screenshot(phone, "meetings-checkin-phone")
