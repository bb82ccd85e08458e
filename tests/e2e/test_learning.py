"""Contests on a phone: a citizen takes this year's contest (autosave, resume after a refresh, submit), and
reads last year's leaderboard (13.498 participants) by commune."""

import re

from playwright.sync_api import expect

from .conftest import log_in, screenshot


def test_a_citizen_takes_the_contest_on_a_phone(phone):
    log_in(phone, "congdan")
    phone.goto("/learning/")
    phone.get_by_role("heading", name=re.compile("Bình dân học vụ số")).wait_for()
    screenshot(phone, "learning-contests-phone")
    contest = phone.locator("section.contest", has_text="Bình dân học vụ số")
    contest.get_by_role("button", name="Bắt đầu thi").click()
    phone.wait_for_url(re.compile(r"/learning/attempts/\d+/$"))
    first = phone.locator(".question:not([data-hidden])")
    expect(first, "one question per screen on a phone").to_have_count(1)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    answer_first_question(first)
    phone.locator("[data-save-status]").filter(has_text="✓").wait_for()
    screenshot(phone, "learning-attempt-phone")
    url = phone.url
    phone.reload()  # a refresh (or a lost connection) resumes the same paper with the saved answer
    assert phone.url == url
    assert phone.evaluate(SAVED_ANSWER_SHOWN), "the saved answer is back after the refresh"
    phone.on("dialog", lambda dialog: dialog.accept())
    with phone.expect_navigation(timeout=60_000) as submitted:  # graded; the machine may be busy
        phone.get_by_role("button", name="Nộp bài").click()
    assert submitted.value.ok, f"submitting answered {submitted.value.status}: {phone.inner_text('body')[:300]}"
    phone.locator(".result .figure").wait_for()
    expect(phone.locator(".messages")).to_have_text("Đã nộp bài.", use_inner_text=True)
    screenshot(phone, "learning-result-phone")


SAVED_ANSWER_SHOWN = """() => {
  const q = document.querySelector('.question');
  return !!(q.querySelector('input:checked') || [...q.querySelectorAll('select')].some(s => s.value)
            || [...q.querySelectorAll('input[type=text]')].some(i => i.value));
}"""


def answer_first_question(question):
    kind = question.get_attribute("data-kind")
    if kind in ("single", "truefalse", "multiple"):
        question.locator("label.choice").first.click()
    elif kind == "matching":
        for select in question.locator("select").all():
            select.select_option(index=1)
    else:
        question.locator("input[type=text]").fill("1356")
        question.locator("input[type=text]").blur()


def test_last_years_leaderboard_by_commune_on_a_phone(phone):
    log_in(phone, "congdan")
    phone.goto("/learning/")
    phone.locator("section.contest", has_text="năm 2025").get_by_role("link", name="Bảng xếp hạng").click()
    phone.wait_for_url(re.compile(r"/learning/contests/\d+/leaderboard/$"))
    expect(phone.get_by_text("13.498 người dự thi")).to_be_visible()
    expect(phone.locator(".rank-row .rank").first).to_have_text("1", use_inner_text=True)
    phone.get_by_label("Xã").select_option(index=1)
    phone.wait_for_url(re.compile(r"within="))
    expect(phone.locator(".rank-row").first).to_be_attached()  # at least one row
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "learning-leaderboard-phone")


def test_a_commune_officer_opens_why_a_resident_is_a_digital_citizen_on_a_phone(phone):
    log_in(phone, "canbo.xuanai")
    phone.goto("/learning/citizens/")
    phone.get_by_role("heading", name="Người dân đã được đánh giá").wait_for()
    phone.get_by_label("Mức").select_option(label="Tích cực")
    phone.get_by_role("button", name="Xem").click()
    phone.wait_for_url(re.compile(r"tier=active"))
    first = phone.locator("#residents tbody tr").first
    expect(first).to_contain_text("Tích cực", use_inner_text=True)
    screenshot(phone, "learning-citizens-phone")
    first.get_by_role("link").click()
    phone.wait_for_url(re.compile(r"/learning/citizens/\d+/"))
    phone.get_by_role("heading", name="Vì sao: từng tiêu chí").wait_for()
    criteria = phone.locator("#criteria > li")
    expect(criteria.nth(4)).to_be_attached()  # at least five criteria
    expect(criteria.first).to_contain_text("Tài khoản định danh điện tử VNeID", use_inner_text=True)
    expect(criteria.first).to_contain_text("Nguồn dữ liệu", use_inner_text=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "learning-citizen-why-phone")


def test_a_live_round_shows_the_questions_picture_on_the_room_screen_and_the_phone(laptop, phone):
    """The commune officer writes a question with a picture, hosts a one-question round on it; a citizen's phone
    shows the picture only once the host opens the question (loaded, not a broken image), as the room does."""
    from io import BytesIO

    from PIL import Image

    raw = BytesIO()
    Image.new("RGB", (1600, 1200), "teal").save(raw, "JPEG")
    log_in(laptop, "canbo.xuanai")
    laptop.goto("/learning/bank/new/")
    first_unit(laptop)
    laptop.locator("[name=kind]").select_option("single")
    laptop.locator("[name=text]").fill("Biểu tượng trong ảnh là của ứng dụng nào?")
    laptop.locator("[name=answers]").fill("* VNeID\nZalo\nFacebook")
    laptop.locator("[name=topic]").fill("Ảnh trong phòng")
    laptop.locator("[name=image]").set_input_files(
        {"name": "bieu-tuong.jpg", "mimeType": "image/jpeg", "buffer": raw.getvalue()}
    )
    laptop.locator("[name=image_caption]").fill("Biểu tượng VNeID")
    with laptop.expect_navigation():
        laptop.locator("form:has([name=answers]) button[type=submit]").first.click()
    assert "/learning/bank/new/" not in laptop.url, laptop.inner_text("main")[:500]
    laptop.goto("/learning/live/new/")
    first_unit(laptop)
    laptop.locator("[name=title]").fill("Đố vui có ảnh")
    laptop.locator("[name=count]").fill("1")
    laptop.locator("[name=topic]").fill("Ảnh trong phòng")
    with laptop.expect_navigation():
        laptop.locator("form:has([name=count]) button[type=submit]").first.click()
    laptop.wait_for_url(re.compile(r"/learning/live/\d+/host/$"))
    pin = laptop.locator(".pin strong").inner_text().strip()

    log_in(phone, "congdan")
    phone.goto("/learning/live/")
    phone.locator("[name=pin]").fill(pin)
    with phone.expect_navigation():
        phone.locator("[name=pin]").press("Enter")
    phone.locator("#live-play").wait_for()
    assert phone.locator("img.question-image").count() == 0, "no picture before the host opens the question"

    laptop.locator("button[name=next]").click()
    room = laptop.locator("#live-host img.question-image")
    room.wait_for()
    picture = phone.locator("#live-play img.question-image")
    picture.wait_for(timeout=10_000)  # the phone polls every second
    assert picture.get_attribute("alt") == "Biểu tượng VNeID"
    for page in (phone, laptop):
        page.wait_for_function(
            "() => { const i = document.querySelector('img.question-image');"
            " return i && i.complete && i.naturalWidth === 1280; }"
        )
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "learning-live-picture-phone")
    screenshot(laptop, "learning-live-picture-room")


def first_unit(page):
    unit = page.locator("[name=unit]")
    if unit.evaluate("select => select.value") == "":
        unit.select_option(index=1)
