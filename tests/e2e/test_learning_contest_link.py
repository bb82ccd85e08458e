"""The link an organiser shares (issue 14): someone without an account opens the contest on a phone, reads its
rules, registers from it, comes back to the same contest page and starts the attempt."""

import re

from playwright.sync_api import expect

from .conftest import log_in, screenshot


def test_a_newcomer_opens_a_shared_contest_link_registers_and_starts(phone, laptop):
    log_in(laptop, "admin")  # the organiser's side (a province contest): the link he shares is the contest's page
    laptop.goto("/learning/")
    laptop.locator("section.contest", has_text="Bình dân học vụ số").get_by_role("link").first.click()
    laptop.wait_for_url(re.compile(r"/learning/contests/\d+/$"))
    link = laptop.get_by_label("Liên kết để chia sẻ").input_value()
    assert link == laptop.url
    expect(laptop.locator(".contest-share svg")).to_have_count(1)

    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Bình dân học vụ số")
    expect(phone.locator(".contest-facts")).to_contain_text("Đang mở", use_inner_text=True)
    assert phone.evaluate("document.scripts.length") == 0, "no script on the page a cheap phone opens"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "learning-contest-link-phone")
    phone.get_by_role("link", name="Đăng ký").click()
    phone.wait_for_url(re.compile(r"/accounts/register/\?next=/learning/contests/\d+/$"))
    phone.get_by_label("Họ và tên").fill("Hà Thị Dung")
    phone.get_by_label("Số điện thoại").fill("0869 120 461")
    phone.get_by_label("Xã, phường nơi bạn sống").select_option(label="Xã Xuân Ái")
    phone.get_by_label("Mật khẩu").fill("che-shan-tuyet-suoi-giang")
    phone.get_by_role("button", name="Đăng ký").click()
    # The code page comes first (an SMS sender is configured), offering "later" back to the same contest.
    phone.wait_for_url(re.compile(r"/accounts/phone/verify/\?next=/learning/contests/\d+/$"))
    expect(phone.locator(".messages")).to_contain_text("Hà Thị Dung", use_inner_text=True)
    phone.get_by_role("link", name="Để sau").click()
    # Not wait_for_url(r"/learning/contests/\d+/$"): the code page's own address (?next=…) already matches it.
    expect(phone).to_have_url(link)
    expect(phone.get_by_text("Đã dùng 0 lượt")).to_be_visible()
    phone.get_by_role("button", name="Bắt đầu thi").click()
    phone.wait_for_url(re.compile(r"/learning/attempts/\d+/$"))
    expect(phone.locator(".question:not([data-hidden])")).to_have_count(1)
    screenshot(phone, "learning-contest-link-started-phone")


def test_a_public_contest_page_works_for_a_logged_in_citizen(phone):
    log_in(phone, "congdan")
    phone.goto("/learning/")
    phone.locator("section.contest", has_text="Bình dân học vụ số").get_by_role("link").first.click()
    phone.wait_for_url(re.compile(r"/learning/contests/\d+/$"))
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Bình dân học vụ số")
    expect(phone.get_by_text(re.compile(r"Đã dùng \d lượt; còn \d lượt\."))).to_be_visible()
    assert phone.get_by_role("link", name="Đăng ký").count() == 0, "no registration offered to a logged-in citizen"
    assert phone.locator(".contest-share").count() == 0, "the link to share is the organiser's"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "learning-contest-page-citizen-phone")
    phone.get_by_role("button", name=re.compile("Bắt đầu thi|Tiếp tục làm bài")).or_(
        phone.get_by_role("link", name="Tiếp tục làm bài")
    ).first.click()
    phone.wait_for_url(re.compile(r"/learning/attempts/\d+/$"))
