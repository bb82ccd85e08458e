"""Plans on a phone and a laptop, with the full demo: the province dashboard shows the published
figures; a commune sends its monthly report from a phone, the district approves it, and the
dashboard counts it on the next load; a village team leader reports; a task must be "5 rõ"."""

import re

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
    assert "Huyện Văn Yên" in laptop.get_by_role("heading", level=1).inner_text()
    assert "Xã Xuân Ái" in laptop.locator("main").inner_text()


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
    phone.get_by_role("button", name="Lưu và nộp").click()
    phone.wait_for_load_state()
    assert "Đã nộp báo cáo lên cấp trên" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "plans-report-submitted-phone")


def test_the_district_approves_and_the_dashboard_counts_it_at_once(phone):
    log_in(phone, "huyen.vanyen")
    phone.goto("/plans/inbox/")
    awaiting = phone.locator("section", has=phone.get_by_role("heading", name=re.compile("chờ bạn duyệt")))
    awaiting.get_by_role("link", name=re.compile(r"Xã Xuân Ái")).first.click()
    phone.get_by_role("button", name="Duyệt").click()
    phone.wait_for_load_state()
    assert "Đã duyệt" in phone.locator("main").inner_text()
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
    phone.get_by_role("button", name="Lưu và nộp").click()
    phone.wait_for_load_state()
    text = phone.locator("main").inner_text()
    assert "phải nhỏ hơn hoặc bằng" in text  # 420 smartphone users among 390 adults is refused
    phone.get_by_label("Số người trưởng thành dùng điện thoại thông minh", exact=True).fill("386")
    phone.get_by_role("button", name="Lưu và nộp").click()
    phone.wait_for_load_state()
    assert "Đã nộp báo cáo lên cấp trên" in phone.locator("main").inner_text()


def test_a_task_is_not_published_until_it_is_five_times_clear(phone):
    log_in(phone, "trungtam.cds")
    phone.goto("/plans/tasks/add/")
    plan = "80/KH-UBND — Kế hoạch chuyển đổi số tỉnh Yên Bái năm 2024"
    phone.get_by_label("Kế hoạch", exact=True).select_option(label=plan)
    phone.get_by_role("button", name="Ban hành").click()
    phone.wait_for_load_state()
    text = phone.locator("main").inner_text()
    for clarity in ("Rõ việc", "Rõ người", "Rõ thời gian", "Rõ sản phẩm", "Rõ nguồn lực"):
        assert clarity in text, clarity
    screenshot(phone, "plans-task-five-clarities-phone")
