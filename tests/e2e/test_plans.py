"""Plans on a phone and a laptop, with the full demo: the province dashboard shows the published
figures; a commune sends its monthly report from a phone, the district approves it, and the
dashboard counts it on the next load; a village team leader reports; a task must be "5 rõ"."""

import re

from playwright.sync_api import expect

from .conftest import log_in, screenshot

PUBLISHED = ["16/22", "72%", "98,8%", "4/9", "99%", "160/173 xã đã báo cáo, 92,5%; 151 đúng hạn"]


def test_the_province_dashboard_shows_the_published_figures_on_a_phone(phone):
    log_in(phone, "admin")
    phone.goto("/plans/")
    text = phone.locator("main").inner_text()
    for figure in PUBLISHED:
        assert figure in text, figure
    assert "Tỉnh Yên Bái" in phone.get_by_role("heading", level=1).inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "plans-dashboard-phone")


def test_the_dashboard_on_a_laptop_drills_down_to_a_district(laptop):
    log_in(laptop, "admin")
    laptop.goto("/plans/")
    screenshot(laptop, "plans-dashboard-laptop")
    laptop.get_by_role("link", name="Huyện Văn Yên").first.click()
    laptop.wait_for_url(re.compile(r"/plans/units/\d+/"))
    expect(laptop.get_by_role("heading", level=1)).to_contain_text("Huyện Văn Yên", use_inner_text=True)
    expect(laptop.locator("main")).to_contain_text("Xã Xuân Ái", use_inner_text=True)


def test_a_commune_sends_its_monthly_report_from_a_phone(phone):
    log_in(phone, "canbo.xuanai")
    phone.goto("/plans/inbox/")
    phone.get_by_role("link", name=re.compile(r"Báo cáo chuyển đổi số cấp xã.*Xã Xuân Ái")).first.click()
    values = {
        "Số hồ sơ thủ tục hành chính tiếp nhận": "1.210",
        "Số hồ sơ nộp trực tuyến": "780",
        "Số hồ sơ xử lý trực tuyến toàn trình": "560",
        "Tổng số văn bản đi": "240",
        "Số văn bản đi được ký số, gửi trên môi trường mạng": "236",
        "Số buổi hoạt động của các Tổ CĐS cộng đồng": "12",
        "Số lượt người dân được hướng dẫn sử dụng dịch vụ số": "96",
    }
    for label, value in values.items():
        phone.get_by_label(label, exact=True).fill(value)
    # wait_for_load_state() alone returns at once: the form's page has already loaded.
    with phone.expect_navigation():
        phone.get_by_role("button", name="Lưu và nộp").click()
    expect(phone.locator("main")).to_contain_text("Đã nộp báo cáo lên cấp trên", use_inner_text=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "plans-report-submitted-phone")


def test_the_district_approves_and_the_dashboard_counts_it_at_once(phone):
    log_in(phone, "huyen.vanyen")
    phone.goto("/plans/inbox/")
    awaiting = phone.locator("section", has=phone.get_by_role("heading", name=re.compile("chờ bạn duyệt")))
    awaiting.get_by_role("link", name=re.compile(r"Xã Xuân Ái")).first.click()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Duyệt").click()
    expect(phone.locator("main")).to_contain_text("Đã duyệt", use_inner_text=True)
    log_in(phone, "admin")
    phone.goto("/plans/")
    assert "161/173 xã đã báo cáo" in phone.locator("main").inner_text()


def test_a_village_team_leader_reports_the_year_from_a_phone(phone):
    log_in(phone, "totruong.xuanai")
    phone.goto("/plans/inbox/")
    phone.get_by_role("link", name=re.compile(r"Báo cáo hạ tầng")).first.click()
    phone.get_by_label("Thôn có Internet băng rộng cố định", exact=True).select_option("true")
    phone.get_by_label("Thôn có sóng di động 4G", exact=True).select_option("true")
    phone.get_by_label("Thôn có sóng di động 5G", exact=True).select_option("false")
    for label, value in (
        ("Số người trưởng thành", "390"),
        ("Số người trưởng thành dùng điện thoại thông minh", "420"),
        ("Số hộ gia đình", "131"),
        ("Số hộ có thuê bao Internet cáp quang", "92"),
        ("Số thành viên Tổ CĐS cộng đồng", "9"),
    ):
        phone.get_by_label(label, exact=True).fill(value)
    with phone.expect_navigation():
        phone.get_by_role("button", name="Lưu và nộp").click()
    # 420 smartphone users among 390 adults is refused
    expect(phone.locator("main")).to_contain_text("phải nhỏ hơn hoặc bằng", use_inner_text=True)
    phone.get_by_label("Số người trưởng thành dùng điện thoại thông minh", exact=True).fill("386")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Lưu và nộp").click()
    expect(phone.locator("main")).to_contain_text("Đã nộp báo cáo lên cấp trên", use_inner_text=True)


def test_a_task_is_not_published_until_it_is_five_times_clear(phone):
    log_in(phone, "trungtam.cds")
    phone.goto("/plans/tasks/add/")
    plan = "80/KH-UBND — Kế hoạch chuyển đổi số tỉnh Yên Bái năm 2024"
    phone.get_by_label("Kế hoạch", exact=True).select_option(label=plan)
    with phone.expect_navigation():  # the form's page may name the five clarities too: read the answer
        phone.get_by_role("button", name="Ban hành").click()
    for clarity in ("Rõ việc", "Rõ người", "Rõ thời gian", "Rõ sản phẩm", "Rõ nguồn lực"):
        expect(phone.locator("main"), clarity).to_contain_text(clarity, use_inner_text=True)
    screenshot(phone, "plans-task-five-clarities-phone")
