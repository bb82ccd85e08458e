"""A newcomer logs in on a phone, browses Yên Bái down to a village, and switches language."""

import gzip
import urllib.request

from playwright.sync_api import expect

from .conftest import log_in, screenshot


def test_commune_officer_browses_to_a_village_on_a_phone(phone):
    log_in(phone, "canbo.xuanai")
    phone.get_by_role("button", name="Danh mục").click()
    # Every page has the structure date: fill and apply it on the list, not on the page being left.
    with phone.expect_navigation():
        phone.get_by_role("link", name="Đơn vị hành chính").first.click()
    phone.get_by_label("Cơ cấu hành chính ngày").fill("2025-06-30")
    with phone.expect_navigation():  # back to the same address: only the loaded page tells it was applied
        phone.get_by_role("button", name="Áp dụng").click()
    phone.locator("#results").get_by_role("link", name="Xã Xuân Ái").click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Xã Xuân Ái")
    village = phone.locator("table tbody a").first
    village_name = village.inner_text()
    village.click()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(village_name)
    breadcrumb = phone.get_by_role("navigation", name="Đường dẫn")
    expect(breadcrumb).to_contain_text("Huyện Văn Yên", use_inner_text=True)
    expect(breadcrumb).to_contain_text("Xã Xuân Ái", use_inner_text=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "foundation-village-phone")


def test_province_admin_sees_yen_bai_before_the_reform_and_lao_cai_after(laptop):
    log_in(laptop, "admin")
    laptop.goto("/units/?level=province")
    assert "Tỉnh Lào Cai" in laptop.locator("#results").inner_text()
    laptop.goto("/units/?level=province&as_of=2024-01-01")
    assert "Tỉnh Yên Bái" in laptop.locator("#results").inner_text()
    laptop.goto("/units/?level=village&within=15&as_of=2024-01-01")
    assert "1.356 kết quả" in laptop.locator("#results").inner_text()
    screenshot(laptop, "foundation-village-list-laptop")


def test_language_switches_to_english_and_back(phone):
    log_in(phone, "canbo.xuanai")
    phone.get_by_role("button", name="English").click()
    phone.get_by_role("button", name="Menu").click()
    expect(phone.get_by_role("link", name="Administrative units").first).to_be_visible()
    phone.get_by_role("button", name="Tiếng Việt").click()
    expect(phone.get_by_role("button", name="Danh mục")).to_be_visible()


def test_village_list_page_is_light_for_3g(laptop, live_url):
    log_in(laptop, "admin")
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in laptop.context.cookies())
    request = urllib.request.Request(
        f"{live_url}/units/?level=village&within=15&as_of=2024-01-01",
        headers={"Cookie": cookies, "Accept-Encoding": "gzip"},
    )
    with urllib.request.urlopen(request) as response:
        body = response.read()
        assert response.headers.get("Content-Encoding") == "gzip"
    assert len(body) < 100_000
    assert "Thôn" in gzip.decompress(body).decode() or "Bản" in gzip.decompress(body).decode()
