"""Smart radio in the browser: a commune officer composes on a phone, sends, cancels; the province follows
the speaker clusters on a laptop."""

import datetime
import re

from playwright.sync_api import expect

from .conftest import log_in, screenshot


def open_composer(page):
    log_in(page, "canbo.xuanai")
    page.goto("/radio/bulletins/new/")
    page.get_by_label("Tiêu đề").fill("Thông báo tiêm phòng gia súc")


def tick_first_village(page):
    page.locator("[data-targets] input[type=checkbox]").first.check()


def test_the_composer_works_on_a_phone(phone):
    open_composer(phone)
    phone.locator("#id_text").fill("UBND xã thông báo: ngày 27/3/2026 tiêm phòng cho gia súc.")
    phone.locator("#reading").get_by_text("ủy ban nhân dân").wait_for()
    phone.get_by_role("button", name="Nghe thử").click()
    phone.locator("audio[data-preview-audio]:not([hidden])").wait_for()  # the synthesised preview
    tick_first_village(phone)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the composer must fit a 360-px phone without sideways scrolling"
    screenshot(phone, "radio-composer-phone")
    phone.get_by_role("button", name="Gửi", exact=True).click()
    phone.wait_for_url(re.compile(r"/radio/bulletins/\d+/$"))
    expect(phone.get_by_text("Đã phát bản tin.")).to_be_visible()
    expect(phone.locator("#deliveries tbody tr").first).to_be_attached()  # at least one delivery


def test_a_relay_is_broadcast_and_cancelled(laptop):
    open_composer(laptop)
    laptop.get_by_role("radio", name="Tiếp sóng").check()
    laptop.get_by_label("Địa chỉ luồng tiếp sóng").fill("http://radio.example.vn/vov1")
    ends = (datetime.datetime.now() + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    laptop.get_by_label("Hết hạn lúc").fill(ends)
    tick_first_village(laptop)
    laptop.get_by_role("button", name="Lưu nháp").click()
    laptop.wait_for_url(re.compile(r"/radio/bulletins/\d+/$"))
    laptop.on("dialog", lambda dialog: dialog.accept())
    laptop.get_by_role("button", name="Phát", exact=True).click()
    laptop.get_by_text(re.compile(r"Đã gửi tới \d+ cụm loa")).wait_for()
    expect(laptop.locator("#deliveries tbody tr").first).to_be_attached()  # at least one delivery
    with laptop.expect_navigation():  # the whole answer, not only its message: all its rows are read next
        laptop.get_by_role("button", name="Hủy bản tin").click()
    laptop.get_by_text(re.compile(r"Đã hủy trên \d+ cụm loa")).wait_for()
    states = laptop.locator("#deliveries tbody tr td:nth-child(3)").all_inner_texts()
    assert states and set(states) == {"Đã hủy"}


def test_the_province_follows_its_speaker_clusters(laptop):
    log_in(laptop, "admin")
    laptop.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Truyền thanh").click()
    laptop.locator(".radio-nav").get_by_role("link", name="Cụm loa").click()
    laptop.wait_for_url("**/radio/clusters/")
    rows = laptop.locator("table tbody tr")
    expect(rows.nth(4)).to_be_attached()  # at least five clusters
    badges = set(laptop.locator("table tbody .badge").all_inner_texts())
    assert "Mất kết nối" in badges  # a demo cluster that never connected
    assert badges & {"Trực tuyến", "Im lặng"}  # the others: online, or silent once their keepalive ran out
    laptop.get_by_label("Trạng thái").select_option("offline")
    laptop.wait_for_url(re.compile(r"status=offline"))
    expect(laptop.locator("table tbody tr").first).to_be_attached()  # at least one offline cluster
    screenshot(laptop, "radio-clusters-laptop")
