"""The main lists on a 360-px phone: no sideways scrolling, neither of the page nor inside a table; each row
is a card whose key columns (status, period, due date) come right after its title."""

import pytest

from .conftest import log_in, screenshot

LISTS = [
    "/plans/reports/",
    "/plans/tasks/",
    "/radio/",
    "/radio/clusters/",
    "/teams/activities/",
    "/teams/members/",
    "/units/",
    "/changes/",
]


def sideways(page) -> list[str]:
    return page.evaluate(
        """() => {
          const found = [];
          if (document.documentElement.scrollWidth > window.innerWidth) found.push("page");
          document.querySelectorAll(".table-container, table.table").forEach((box) => {
            if (box.scrollWidth > box.clientWidth + 1) found.push(box.className);
          });
          return found;
        }"""
    )


@pytest.mark.parametrize("url", LISTS)
def test_a_main_list_fits_a_360_px_phone_without_sideways_scrolling(phone, url):
    log_in(phone, "canbo.xuanai")
    response = phone.goto(url)
    assert response.status == 200, url
    assert phone.locator("table.table tbody tr").count() > 0, f"{url} shows no rows to judge"
    assert sideways(phone) == [], url
    name = url.strip("/").replace("/", "-") or "home"
    screenshot(phone, f"list-{name}-phone")


def test_on_a_phone_a_report_row_shows_its_status_and_period_first(phone):
    log_in(phone, "canbo.xuanai")
    phone.goto("/plans/reports/")
    first_row = phone.locator("table.table tbody tr").first
    labels = first_row.evaluate(
        """(row) => [...row.querySelectorAll("td")]
             .map((cell) => [cell.dataset.column, cell.getBoundingClientRect().top])
             .sort((a, b) => a[1] - b[1]).map((item) => item[0])"""
    )
    assert labels.index("status") <= 2 and labels.index("period") <= 2, labels
