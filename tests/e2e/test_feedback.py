"""Citizen reports on a phone: congdan files a report with a photo from the village picker, then opens its
public page, which shows the report without the citizen's name or phone."""

import io
import re

from playwright.sync_api import expect

from .conftest import log_in, screenshot


def _photo(path) -> str:
    from PIL import Image

    output = io.BytesIO()
    Image.new("RGB", (1600, 1200), (90, 140, 80)).save(output, "JPEG")
    path.write_bytes(output.getvalue())
    return str(path)


def test_a_citizen_files_a_report_and_sees_its_public_page(phone, tmp_path):
    log_in(phone, "congdan")
    phone.goto("/feedback/new/")
    # A landslide asks its own question (the category's Open311 attribute); another category does not.
    question = phone.get_by_label("Có người hoặc nhà bị đe dọa không? *")
    phone.get_by_label("Phản ánh về việc gì?").select_option(label="Sạt lở đất, đá")
    expect(question).to_be_visible()
    phone.get_by_label("Phản ánh về việc gì?").select_option(label="Đường giao thông hư hỏng")
    expect(question).not_to_be_visible()
    phone.get_by_label("Thôn").select_option(index=1)
    phone.get_by_label("Chuyện gì xảy ra?").fill("Cống qua đường bị tắc, nước tràn mặt đường. Gọi 0912 345 678.")
    phone.get_by_label("Ảnh (tối đa 5)").set_input_files(_photo(tmp_path / "cong.jpg"))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "feedback-form-phone")
    phone.get_by_role("button", name="Gửi", exact=True).click()
    phone.wait_for_url(re.compile(r"/feedback/\d+/$"))
    number = re.search(r"/feedback/(\d+)/$", phone.url).group(1)
    assert phone.locator("[data-testid=status]").inner_text().strip() == "Đã tiếp nhận"
    screenshot(phone, "feedback-sent-phone")
    phone.goto(f"/phan-anh/{number}/")
    text = phone.locator("main").inner_text()
    assert "Cống qua đường bị tắc" in text and "[đã ẩn]" in text
    assert "Hà Thị Mai" not in text and "0912 345 678" not in text and "912000008" not in text
    # The worker resizes the photo after the report is saved: until then the page shows a placeholder.
    for _attempt in range(90):
        if phone.locator(".photos img").count() == 1:
            break
        assert phone.locator("[data-testid=photo-pending]").count() == 1
        phone.wait_for_timeout(1000)
        phone.reload()
    assert phone.locator(".photos img").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "feedback-public-phone")
