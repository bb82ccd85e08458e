"""Work's main flows in a browser, with the full demo (Xuân Ái commune): the chairman gives work from a phone,
the officer reports it done with evidence, the chairman accepts it with a quality rating and the officer reads
how her month's score counted it; an officer appeals an approved month and the chairman accepts the appeal,
which reopens the month; the DX centre drills the completion dashboard down to a commune and into its body.

Each test stands alone on the demo as seeded (run them one at a time: `pytest tests/e2e/test_work_flows.py::…`)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from .conftest import log_in, screenshot

OFFICER, CHAIRMAN = "canbo.xuanai", "chutich.xuanai"
OFFICER_NAME = "Lý Thị Hoa"


def switch_to(page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username)


def test_the_chairman_assigns_from_a_phone_and_the_accepted_work_shows_in_the_months_score(phone):
    today = datetime.date.today()
    title = f"Tổng hợp ý kiến cử tri {today:%d%m%H%M%S}"

    log_in(phone, CHAIRMAN)
    phone.goto("/work/new/")
    phone.get_by_label("Công việc").fill(title)
    assignee = phone.get_by_label("Người thực hiện")
    officer = assignee.locator("option", has_text=OFFICER_NAME).first.get_attribute("value")
    assignee.select_option(officer)
    phone.get_by_label("Hạn hoàn thành").fill(today.isoformat())
    phone.get_by_label("Sản phẩm đầu ra").select_option(index=1)
    phone.get_by_label("Số lượng").fill("2")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "work-assign-phone")
    phone.get_by_role("button", name="Lưu").click()
    phone.wait_for_url(re.compile(r"/work/\d+/$"))
    item_url = phone.url
    expect(phone.get_by_role("heading", level=1)).to_contain_text(title, use_inner_text=True)
    expect(phone.locator("main")).to_contain_text(OFFICER_NAME, use_inner_text=True)

    switch_to(phone, OFFICER)
    phone.goto("/work/")
    phone.get_by_role("link", name=re.compile(re.escape(title))).first.click()
    phone.wait_for_url(item_url)
    phone.get_by_label("Tệp minh chứng").set_input_files(
        {"name": "bien-ban-tong-hop.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% bien ban\n%%EOF\n"}
    )
    phone.get_by_role("button", name="Đính kèm").click()
    phone.get_by_text("Đã lưu.").wait_for()
    expect(phone.locator("main")).to_contain_text("bien-ban-tong-hop", use_inner_text=True)
    phone.get_by_role("button", name="Báo cáo hoàn thành").click()
    phone.get_by_text("Đã báo cáo hoàn thành").first.wait_for()

    switch_to(phone, CHAIRMAN)
    phone.goto(item_url)
    phone.get_by_label("Chất lượng").select_option("excellent")
    phone.get_by_role("button", name="Nghiệm thu").click()
    phone.get_by_text("Đã nghiệm thu").first.wait_for()
    screenshot(phone, "work-item-accepted-phone")

    # The month is rescored after the acceptance commits: the officer's page explains the item's points.
    switch_to(phone, OFFICER)
    phone.goto("/work/evaluations/")
    phone.locator(f'table a[href$="/{today:%Y%m}/"]').first.click()
    line = phone.locator("li", has_text=title)
    for part in ("sản phẩm chuẩn", "đúng hạn", "chất lượng xuất sắc"):
        expect(line).to_contain_text(part, use_inner_text=True)
    phone.get_by_text("A1. Số lượng sản phẩm quy đổi").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "work-month-explains-the-item-phone")


def test_an_officer_appeals_an_approved_month_and_the_chairman_accepts_it(phone):
    today = datetime.date.today()
    if today.month < 3:
        pytest.skip("The demo approves this year's past months; the first one already has the demo's appeal.")
    month = today.replace(day=1) - datetime.timedelta(days=1)  # last month: approved, no appeal yet
    code = f"{month:%Y%m}"
    reason = "Hai báo cáo chuyên đề nộp đúng hạn nhưng bị ghi nhận trễ; đề nghị xem xét lại."

    log_in(phone, OFFICER)
    phone.goto("/work/evaluations/")
    with phone.expect_navigation():  # the month's address is read next
        phone.locator(f'table a[href$="/{code}/"]').first.click()
    month_url = phone.url
    expect(phone.locator("main")).to_contain_text("Đã phê duyệt (khóa)", use_inner_text=True)
    phone.get_by_role("link", name="Kiến nghị, đánh giá lại").click()
    expect(phone.get_by_label("Kỳ đánh giá kiến nghị")).to_have_value(code)
    phone.get_by_label("Lý do kiến nghị").fill(reason)
    phone.get_by_role("button", name="Lưu").click()
    phone.wait_for_url(re.compile(r"/work/appeals/\d+/$"))
    appeal_url = phone.url
    expect(phone.locator("main")).to_contain_text("Chờ giải quyết", use_inner_text=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "work-appeal-filed-phone")

    switch_to(phone, CHAIRMAN)
    phone.goto("/work/evaluations/")
    phone.get_by_role("link", name=f"{OFFICER_NAME} — {code}").click()
    phone.wait_for_url(appeal_url)
    expect(phone.locator("main")).to_contain_text(reason, use_inner_text=True)
    phone.get_by_label("Trả lời").fill("Đã đối chiếu sổ văn bản đến: nộp đúng hạn. Chấm lại tiêu chí A3.")
    phone.get_by_role("button", name="Chấp nhận và đánh giá lại").click()
    phone.get_by_text("Chấp nhận: đánh giá lại").first.wait_for()
    screenshot(phone, "work-appeal-decided-phone")

    # The month is open again (no longer frozen) and its trail says why.
    switch_to(phone, OFFICER)
    phone.goto(month_url)
    main = phone.locator("main").inner_text()
    assert "Đã phê duyệt (khóa)" not in main and "Đã ghi ý kiến tập thể" in main
    assert "Mở lại" in main and "Chấm lại tiêu chí A3" in main


def test_the_dx_centre_drills_the_completion_dashboard_down_to_a_commune_and_its_body(laptop):
    log_in(laptop, "trungtam.cds")
    laptop.goto("/work/dashboard/")
    laptop.get_by_role("heading", name=re.compile("Tiến độ hoàn thành công việc")).wait_for()
    main = laptop.locator("main").inner_text()
    assert "Ủy ban nhân dân xã Xuân Ái" in main and "Trung tâm Chuyển đổi số tỉnh Yên Bái" in main
    screenshot(laptop, "work-dashboard-laptop")

    laptop.locator("tbody").get_by_role("link", name="Xã Xuân Ái", exact=True).first.click()
    laptop.wait_for_url(re.compile(r"[?&]unit=\d+"))
    main = laptop.locator("main")
    expect(main).to_contain_text("Ủy ban nhân dân xã Xuân Ái", use_inner_text=True)
    expect(main).not_to_contain_text("Trung tâm Chuyển đổi số tỉnh Yên Bái", use_inner_text=True)
    trail = laptop.get_by_role("navigation", name="Đơn vị")
    expect(trail).to_contain_text("Xã Xuân Ái", use_inner_text=True)
    expect(trail).to_contain_text("Tất cả đơn vị của tôi", use_inner_text=True)

    laptop.get_by_role("link", name="Ủy ban nhân dân xã Xuân Ái", exact=True).click()
    laptop.wait_for_url(re.compile(r"/work/dashboard/\d+/"))
    body = laptop.locator("main")
    expect(body).to_contain_text(OFFICER_NAME, use_inner_text=True)
    # The centre's director is not on the commune's staff list: its people's work, not their scores.
    expect(body).to_contain_text("Điểm là riêng tư", use_inner_text=True)
    screenshot(laptop, "work-dashboard-body-laptop")
