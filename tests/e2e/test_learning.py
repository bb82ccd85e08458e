"""Contests on a phone: a citizen takes this year's contest (autosave, resume after a refresh, submit), and
reads last year's leaderboard (13.498 participants) by commune."""

import re

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
    assert phone.locator(".question:not([data-hidden])").count() == 1, "one question per screen on a phone"
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
    assert phone.locator(".messages").inner_text().strip() == "Đã nộp bài."
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
    phone.get_by_text("13.498 người dự thi").wait_for()
    first_rank = phone.locator(".rank-row .rank").first.inner_text()
    assert first_rank == "1"
    phone.get_by_label("Xã").select_option(index=1)
    phone.wait_for_url(re.compile(r"within="))
    assert phone.locator(".rank-row").count() >= 1
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
    assert "Tích cực" in first.inner_text()
    screenshot(phone, "learning-citizens-phone")
    first.get_by_role("link").click()
    phone.wait_for_url(re.compile(r"/learning/citizens/\d+/"))
    phone.get_by_role("heading", name="Vì sao: từng tiêu chí").wait_for()
    criteria = phone.locator("#criteria > li")
    assert criteria.count() >= 5
    assert "Tài khoản định danh điện tử VNeID" in criteria.first.inner_text()
    assert "Nguồn dữ liệu" in criteria.first.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "learning-citizen-why-phone")
