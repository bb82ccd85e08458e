"""My work (Việc của tôi) on a 360 px phone: the commune officer reads her work, reports progress and submits; the
chairman accepts it; the officer reads her month's score and its explanation."""

import re

from .conftest import log_in, screenshot


def test_the_officer_works_through_her_inbox_on_a_phone(phone):
    log_in(phone, "canbo.xuanai")
    phone.goto("/work/")
    phone.get_by_role("heading", name="Việc của tôi").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "work-inbox-phone")

    phone.locator(".work-cards li a").first.click()
    phone.wait_for_url(re.compile(r"/work/\d+/$"))
    item_url = phone.url
    phone.get_by_label("Tiến độ (%)").fill("60")
    phone.get_by_role("button", name="Báo cáo tiến độ").click()
    phone.get_by_text("Đã lưu.").wait_for()
    phone.get_by_role("button", name="Báo cáo hoàn thành").click()
    phone.get_by_text("Đã báo cáo hoàn thành").first.wait_for()
    screenshot(phone, "work-item-submitted-phone")

    phone.context.clear_cookies()
    log_in(phone, "chutich.xuanai")
    phone.goto(item_url)
    phone.get_by_label("Chất lượng").select_option("excellent")
    phone.get_by_role("button", name="Nghiệm thu").click()
    phone.get_by_text("Đã nghiệm thu").first.wait_for()


def test_the_officer_reads_how_her_month_was_scored(phone):
    log_in(phone, "canbo.xuanai")
    phone.goto("/work/evaluations/")
    phone.get_by_role("heading", name=re.compile("Đánh giá, xếp loại")).wait_for()
    phone.locator("table a").first.click()
    phone.get_by_text("A1. Số lượng sản phẩm quy đổi").wait_for()
    phone.get_by_text("sản phẩm chuẩn").first.wait_for()
    screenshot(phone, "work-score-explanation-phone")
