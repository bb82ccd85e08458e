"""A course on a phone: a citizen reads the basic digital-skills course lesson by lesson, then takes its final
quiz; the course page shows the progress."""

import re

from playwright.sync_api import expect

from .conftest import log_in, screenshot


def test_a_citizen_follows_the_basic_course_on_a_phone(phone):
    log_in(phone, "congdan")
    phone.goto("/learning/courses/")
    phone.get_by_role("heading", name="Mức năng lực của bạn ở từng miền").wait_for()
    assert phone.get_by_role("button", name=re.compile("Làm bài kiểm tra đầu vào")).count() == 1
    screenshot(phone, "learning-courses-phone")
    phone.locator("#learn-next").get_by_role("link", name="Kỹ năng số cơ bản cho mọi người dân").click()
    phone.wait_for_url(re.compile(r"/learning/courses/\d+/$"))
    expect(phone.locator("#final-quiz")).to_contain_text("Đọc hết các bài trước", use_inner_text=True)
    phone.get_by_role("link", name="Tài khoản định danh điện tử VNeID").click()
    for _lesson in range(3):
        phone.locator("article.lesson").wait_for()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        with phone.expect_navigation():
            phone.get_by_role("button", name="Đã học, sang bài tiếp").click()
    screenshot(phone, "learning-lesson-phone")
    phone.get_by_role("button", name="Xong").click()
    phone.wait_for_url(re.compile(r"/learning/courses/\d+/$"))
    expect(phone.locator(".lessons .badge.ok")).to_have_count(4)
    phone.get_by_role("button", name="Làm bài kiểm tra cuối khóa").click()
    phone.wait_for_url(re.compile(r"/learning/attempts/\d+/$"))
    expect(phone.locator(".question:not([data-hidden])"), "one question per screen on a phone").to_have_count(1)
    assert "fraction" not in phone.content()
    phone.on("dialog", lambda dialog: dialog.accept())
    phone.get_by_role("button", name="Nộp bài").click()
    phone.locator(".result").wait_for(timeout=60_000)
    phone.get_by_role("link", name="Về danh sách khóa học").click()
    phone.wait_for_url(re.compile(r"/learning/courses/$"))
