"""A citizen registers on a phone, receives the code by SMS (the console sender writes it to the server's log)
and verifies the number; the profile then says so."""

import re

from playwright.sync_api import expect

from .conftest import SERVER_LOG, screenshot

NUMBER = "0987 650 321"


def code_sent_to(e164: str) -> str:
    texts = re.findall(rf"\[sms → {re.escape(e164)}\] .*?(\d{{6}})", SERVER_LOG.read_text(errors="replace"))
    assert texts, "no SMS in the server's log"
    return texts[-1]


def test_a_citizen_registers_and_verifies_the_phone_with_the_sms_code(phone):
    phone.goto("/accounts/register/?next=/learning/")
    phone.get_by_label("Họ và tên").fill("Vàng Thị Dua")
    phone.get_by_label("Số điện thoại").fill(NUMBER)
    phone.get_by_label("Xã, phường nơi bạn sống").select_option(index=1)
    phone.get_by_label("Mật khẩu").fill("mat-khau-cua-dua-2026")
    phone.get_by_role("button", name="Đăng ký").click()
    phone.wait_for_url("**/accounts/phone/verify/?next=/learning/")
    expect(phone.locator(".messages")).to_contain_text("Đã gửi mã qua SMS tới 0987 *** 321")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "accounts-phone-code-phone")
    phone.get_by_label("Mã trong tin nhắn SMS").fill(code_sent_to("+84987650321"))
    phone.get_by_role("button", name="Xác minh số").click()
    phone.wait_for_url("/learning/")  # the whole address: "**/learning/" matches the code page (…?next=/learning/)
    expect(phone.locator(".messages")).to_contain_text("Số điện thoại của bạn đã được xác minh")
    phone.goto("/accounts/profile/")
    expect(phone.locator("main")).to_contain_text("đã xác minh ngày")
