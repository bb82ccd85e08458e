"""Traceability in the browser: a tourist opens a tree's public page on a phone (no login); the commune
officer of Suối Giàng browses the registry and prints labels on a laptop."""

import re

from .conftest import log_in, screenshot


def first_tree_link(page) -> str:
    log_in(page, "canbo.suoigiang")
    page.goto("/trace/?q=SG-0001")
    page.get_by_role("link", name="SG-0001").click()
    page.wait_for_url(re.compile(r"/trace/trees/\d+/$"))
    return page.locator("code").first.inner_text()


def test_a_tourist_opens_a_tree_page_on_a_phone(phone, laptop):
    link = first_tree_link(laptop)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    phone.context.clear_cookies()
    phone.goto(path)
    assert phone.get_by_role("heading", name="SG-0001").is_visible()
    assert phone.get_by_text("Vị trí gần đúng").is_visible()
    assert phone.get_by_text("Thời tiết và khí hậu").is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the public tree page must fit a 360-px phone"
    screenshot(phone, "trace-tree-public-phone")
    phone.get_by_role("link", name="English").click()
    assert phone.get_by_text("Approximate location").is_visible()
    screenshot(phone, "trace-tree-public-phone-en")


def test_the_officer_browses_the_registry_and_the_statistics(laptop):
    log_in(laptop, "canbo.suoigiang")
    laptop.goto("/trace/")
    assert laptop.get_by_role("link", name="SG-0001").is_visible()
    screenshot(laptop, "trace-registry-laptop")
    laptop.get_by_role("link", name="Thống kê").click()
    assert laptop.get_by_text("Số cây theo vườn").is_visible()
    screenshot(laptop, "trace-statistics-laptop")
