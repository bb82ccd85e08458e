"""A person who is not an official registers on a phone from a contest link and lands back on the contests."""

import re

from playwright.sync_api import expect

from .conftest import screenshot


def test_a_citizen_registers_on_a_phone_and_reaches_the_contest(phone):
    phone.goto("/learning/")  # the contest link, not logged in: the login page, which offers registration
    phone.wait_for_url(re.compile(r"/accounts/login/\?next=/learning/"))
    phone.get_by_role("link", name="Đăng ký").click()
    phone.wait_for_url(re.compile(r"/accounts/register/\?next=/learning/"))
    phone.get_by_label("Họ và tên").fill("Lò Văn Páo")
    phone.get_by_label("Số điện thoại").fill("0869 120 457")
    phone.get_by_label("Xã, phường nơi bạn sống").select_option(label="Xã Xuân Ái")
    phone.get_by_label("Mật khẩu").fill("nuong-ray-khe-dua-2026")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "accounts-register-phone")
    phone.get_by_role("button", name="Đăng ký").click()
    phone.wait_for_url(re.compile(r"/accounts/phone/verify/\?next=/learning/$"))  # the SMS code, or "later"
    expect(phone.locator(".messages")).to_contain_text("Lò Văn Páo", use_inner_text=True)
    phone.get_by_role("link", name="Để sau").click()
    phone.wait_for_url("/learning/")  # the whole address: the code page's own (…?next=/learning/) ends the same way
    phone.locator("section.contest").get_by_role("button", name="Bắt đầu thi").first.wait_for()
