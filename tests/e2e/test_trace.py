"""Traceability in the browser: a tourist opens a tree's public page on a phone (no login); the commune
officer of Suối Giàng browses the registry and prints labels on a laptop."""

import re

from playwright.sync_api import expect

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
    expect(phone.get_by_role("heading", name="SG-0001")).to_be_visible()
    expect(phone.get_by_text("Vị trí gần đúng", exact=True)).to_be_visible()
    expect(phone.get_by_text("Thời tiết và khí hậu")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the public tree page must fit a 360-px phone"
    screenshot(phone, "trace-tree-public-phone")
    phone.get_by_role("link", name="English").click()
    expect(phone.get_by_text("Approximate location", exact=True)).to_be_visible()
    screenshot(phone, "trace-tree-public-phone-en")


def test_the_officer_browses_the_registry_and_the_statistics(laptop):
    log_in(laptop, "canbo.suoigiang")
    laptop.goto("/trace/")
    expect(laptop.get_by_role("link", name="SG-0001")).to_be_visible()
    laptop.get_by_role("link", name="SG-0001").click()
    qr = laptop.get_by_role("img", name="QR SG-0001")
    expect(qr).to_be_visible()
    # The QR is an SVG data URI: without its namespace chromium drew nothing (natural width 0).
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0")
    laptop.goto("/trace/")
    screenshot(laptop, "trace-registry-laptop")
    laptop.get_by_role("link", name="Thống kê").click()
    expect(laptop.get_by_text("Số cây theo vườn")).to_be_visible()
    screenshot(laptop, "trace-statistics-laptop")


def open_field_form(phone) -> str:
    log_in(phone, "canbo.suoigiang")
    phone.goto("/trace/events/add/")
    tree_id = phone.locator("select[name=tree] option", has_text="SG-0002").first.get_attribute("value")
    phone.locator("select[name=tree]").select_option(tree_id)
    phone.locator("select[name=kind]").select_option("harvesting")
    return tree_id


def records_on_tree_page(phone, tree_id: str, token: str) -> int:
    return phone.request.get(f"/trace/trees/{tree_id}/").text().count(token)


def test_a_farmer_records_harvests_without_a_network_and_they_are_sent_when_it_is_back(phone):
    import uuid

    tree_id = open_field_form(phone)
    token = uuid.uuid4().hex[:8]
    phone.context.set_offline(True)
    for kilos in ("2,5", "3"):
        phone.locator("input[name=quantity_kg]").fill(kilos)
        phone.locator("input[name=performed_by]").fill(f"Giàng A Páo {token}")
        phone.get_by_role("button", name="Lưu").click()
    phone.get_by_text("Không có mạng").wait_for()
    expect(phone.locator("[data-outbox-list] li")).to_have_count(2)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "trace-field-form-offline-phone")

    phone.context.set_offline(False)  # the browser says "online": the outbox goes by itself
    phone.get_by_text("Đã gửi hết các bản ghi.").wait_for()
    expect(phone.locator("[data-outbox-list]")).to_be_hidden()
    assert records_on_tree_page(phone, tree_id, token) == 2


def test_a_record_whose_answer_was_lost_is_recorded_once(phone):
    import uuid

    tree_id = open_field_form(phone)
    token = uuid.uuid4().hex[:8]
    delivered = []

    def lose_the_answer(route):
        if route.request.method == "POST" and not delivered:
            delivered.append(route.fetch())  # the server records it...
            route.abort("connectionreset")  # ...but the phone never hears back
        else:
            route.continue_()

    phone.route("**/trace/events/add/", lose_the_answer)
    phone.locator("input[name=quantity_kg]").fill("4")
    phone.locator("input[name=performed_by]").fill(f"Giàng A Páo {token}")
    phone.get_by_role("button", name="Lưu").click()
    phone.get_by_text("Không có mạng").wait_for()
    expect(phone.locator("[data-outbox-list] li")).to_have_count(1)
    phone.get_by_role("button", name="Gửi ngay").click()
    phone.get_by_text("Đã gửi hết các bản ghi.").wait_for()
    assert records_on_tree_page(phone, tree_id, token) == 1


def test_the_farmer_form_opens_with_no_network_at_all_and_its_record_arrives_once(phone):
    import uuid

    tree_id = open_field_form(phone)
    phone.wait_for_function("document.documentElement.dataset.offlineReady === '1'")  # page and files kept
    token = uuid.uuid4().hex[:8]

    phone.context.set_offline(True)
    phone.reload()  # no network at all: the service worker answers with the kept page and its script
    phone.locator("select[name=tree]").select_option(tree_id)
    phone.locator("select[name=kind]").select_option("harvesting")
    phone.locator("input[name=quantity_kg]").fill("1,5")
    phone.locator("input[name=performed_by]").fill(f"Giàng A Páo {token}")
    phone.get_by_role("button", name="Lưu").click()
    phone.get_by_text("Không có mạng").wait_for()
    expect(phone.locator("[data-outbox-list] li")).to_have_count(1)

    phone.context.set_offline(False)
    phone.get_by_text("Đã gửi hết các bản ghi.").wait_for()
    assert records_on_tree_page(phone, tree_id, token) == 1
    # Only the form is controlled: another page of the site is not served by the worker.
    phone.goto("/trace/")
    assert phone.evaluate("navigator.serviceWorker.controller") is None
