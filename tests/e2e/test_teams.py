"""Community DX teams in the browser: a village team leader records a field activity on a cheap
phone over a network that drops, the province reads coverage and rankings, and the commune
verifies a village team's score."""

import gzip
import re
import urllib.request
import uuid

from playwright.sync_api import expect

from tinhso.teams.demo.activities import _illustration

from .conftest import log_in, screenshot

# A small PNG, enough to stand for a photo taken on the phone.
PHOTO = _illustration(40, 30)


def open_activity_form(phone):
    log_in(phone, "totruong.xuanai")
    phone.get_by_role("button", name="Danh mục").click()
    phone.get_by_role("link", name="Ghi hoạt động").first.click()
    phone.wait_for_url(re.compile(r"/teams/\d+/activities/new/"))
    return int(re.search(r"/teams/(\d+)/", phone.url).group(1))


def fill_activity(phone, token: str, people: str = "7"):
    phone.get_by_label("Hoạt động").select_option(label="Hướng dẫn nộp hồ sơ dịch vụ công trực tuyến")
    phone.get_by_label("Người dân được hỗ trợ").fill(people)
    phone.get_by_label("Hộ gia đình được hỗ trợ").fill("4")
    phone.get_by_label("Nội dung đã làm").fill(f"Hướng dẫn đăng ký khai sinh trực tuyến cho 4 hộ — {token}")
    phone.get_by_label("Ảnh hoặc tệp minh chứng").set_input_files(
        [{"name": "anh-hoat-dong.png", "mimeType": "image/png", "buffer": PHOTO}]
    )
    phone.get_by_text("anh-hoat-dong").wait_for()


def activities_with(phone, team_id: int, token: str) -> int:
    response = phone.request.get(f"/api/v1/teams/activities/?team={team_id}&page_size=200")
    return sum(token in row["description"] for row in response.json()["results"])


def test_a_leader_records_an_activity_on_a_phone_and_a_dropped_connection_loses_nothing(phone):
    team_id = open_activity_form(phone)
    token = uuid.uuid4().hex[:8]
    fill_activity(phone, token)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "teams-activity-form-phone")

    phone.context.set_offline(True)
    phone.get_by_role("button", name="Gửi").click()
    phone.get_by_text("Chưa gửi được vì mất kết nối").wait_for()
    assert any(key.startswith("tinhso:draft:") for key in phone.evaluate("Object.keys(localStorage)"))

    phone.context.set_offline(False)  # the browser says "online": the draft goes by itself
    phone.wait_for_url(re.compile(r"/teams/activities/\d+/\?saved=1"))
    expect(phone.locator("main")).to_contain_text("Đã ghi hoạt động", use_inner_text=True)
    expect(phone.locator("img[alt^='Ảnh']")).to_have_count(1)
    assert activities_with(phone, team_id, token) == 1


def test_an_answer_lost_on_the_way_back_does_not_make_a_second_activity(phone):
    team_id = open_activity_form(phone)
    token = uuid.uuid4().hex[:8]
    fill_activity(phone, token)
    delivered = []

    def lose_the_answer(route):
        if not delivered:
            delivered.append(route.fetch())  # the server records it...
            route.abort("connectionreset")  # ...but the phone never hears back
        else:
            route.continue_()

    phone.route("**/api/v1/teams/activities/", lose_the_answer)
    phone.get_by_role("button", name="Gửi").click()
    phone.get_by_text("Chưa gửi được vì mất kết nối").wait_for()
    assert delivered and delivered[0].status == 201
    phone.get_by_role("button", name="Gửi").click()  # the member tries again
    phone.wait_for_url(re.compile(r"/teams/activities/\d+/\?saved=1"))
    assert activities_with(phone, team_id, token) == 1


def test_a_draft_survives_closing_the_page(phone):
    open_activity_form(phone)
    phone.get_by_label("Người dân được hỗ trợ").fill("31")
    phone.get_by_label("Nội dung đã làm").fill("Tuyên truyền tại nhà văn hóa thôn")
    phone.reload()
    phone.get_by_text("Đã khôi phục bản nháp chưa gửi").wait_for()
    expect(phone.get_by_label("Người dân được hỗ trợ")).to_have_value("31")
    expect(phone.get_by_label("Nội dung đã làm")).to_have_value("Tuyên truyền tại nhà văn hóa thôn")


def test_the_activity_form_is_light_for_3g(phone, live_url):
    team_id = open_activity_form(phone)
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in phone.context.cookies())
    sizes = []
    for path in (f"/teams/{team_id}/activities/new/", "/static/core/offline-form.js", "/static/teams/teams.css"):
        request = urllib.request.Request(f"{live_url}{path}", headers={"Cookie": cookies, "Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            body = response.read()
            sizes.append(len(body) if response.headers.get("Content-Encoding") == "gzip" else len(gzip.compress(body)))
    assert sum(sizes) < 30_000, sizes


def test_the_province_sees_full_coverage_before_and_after_the_reform(laptop):
    log_in(laptop, "admin")
    laptop.goto("/teams/?as_of=2024-06-30")
    headline = laptop.locator(".headline").inner_text()
    assert "173/173" in headline and "1.356/1.356" in headline
    members = int(re.search(r"([\d.]+)\s*thành viên", headline).group(1).replace(".", ""))
    assert members >= 10_850
    laptop.goto("/teams/")
    assert "99/99" in laptop.locator(".headline").inner_text()
    with laptop.expect_navigation():
        laptop.get_by_role("link", name="Xã Xuân Ái").click()
    expect(laptop.locator("table.coverage")).to_contain_text(re.compile("Thôn|Bản"))
    screenshot(laptop, "teams-coverage-laptop")


def test_rankings_within_the_former_districts_and_the_province(laptop, phone):
    log_in(laptop, "admin")
    laptop.goto("/teams/rankings/?level=village&group=district&as_of=2025-06-30")
    table = laptop.locator("table.rankings").inner_text()
    assert "Huyện Lục Yên" in table and "1/" in table  # districts come in name order
    laptop.goto("/teams/rankings/?level=village&group=province")
    assert laptop.locator("table.rankings tbody tr").count() == 50
    screenshot(laptop, "teams-rankings-laptop")
    log_in(phone, "canbo.xuanai")
    phone.goto("/teams/rankings/?level=village&group=commune&within=04441&as_of=2025-06-30")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "teams-rankings-phone")


def test_the_commune_verifies_a_village_team_with_its_record(phone):
    log_in(phone, "canbo.xuanai")
    phone.goto("/teams/rankings/?level=village&group=commune&status=draft&as_of=2025-06-30")
    phone.locator("table.rankings tbody a").first.click()
    phone.locator("summary", has_text="Chấm điểm").first.click()
    form = phone.locator("details[open] form")
    form.locator("input[name=points]").fill("8")
    form.locator("input[name=evidence_note]").fill("Biên bản họp đánh giá số 05/BB-UBND ngày 20/11/2026")
    # Each button posts and comes back to this page: wait for the answer, or the next click lands on the page
    # being left (and cancels the points just sent), and the text read is the old page's.
    with phone.expect_navigation():
        form.get_by_role("button", name="Lưu").click()
    with phone.expect_navigation():
        phone.get_by_role("button", name="Thẩm định").click()
    expect(phone.locator("main")).to_contain_text("Đã thẩm định")
