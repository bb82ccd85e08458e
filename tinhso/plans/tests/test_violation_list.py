"""The approvers' list of validation-rule violations: the same violations the report's own page and its
submission judge (one function), for the reports in the reader's scope, filterable, exportable to Excel."""

import io

import openpyxl
import pytest
from django.utils import timezone

from tinhso.core.periods import period_of
from tinhso.core.testing import PageMatrix, web_client
from tinhso.plans.testing import report

from .conftest import A, C, D, L, P, V, X

pytestmark = pytest.mark.django_db
URL = "/plans/reports/violations/"


def test_an_approver_sees_each_violation_with_both_sides_and_a_link(tree, users, dossiers):
    broken = report(dossiers, tree.xuan_ai, "202411", {"HS_TIEPNHAN": 120, "HS_TRUCTUYEN": 150}, status="submitted")
    report(dossiers, tree.xuan_ai, "202410", {"HS_TIEPNHAN": 120, "HS_TRUCTUYEN": 100}, status="submitted")
    page = web_client(users[V]).get(URL).content.decode()
    assert "Trực tuyến ≤ tiếp nhận" in page and "150" in page and "Tháng 11/2024" in page
    assert f'href="{broken.get_absolute_url()}"' in page
    assert "Tháng 10/2024" not in page.split("<tbody>")[1]  # the report within the rule is not listed


def test_filters_and_empty_state(tree, users, dossiers):
    report(dossiers, tree.xuan_ai, "202411", {"HS_TIEPNHAN": 120, "HS_TRUCTUYEN": 150}, status="submitted")
    client = web_client(users[V])
    assert "Trực tuyến ≤ tiếp nhận" in client.get(URL, {"period": "202411", "importance": "warning"}).content.decode()
    for query in ({"period": "202410"}, {"importance": "blocking"}):
        page = client.get(URL, query).content.decode()

        assert "Trực tuyến ≤ tiếp nhận" not in page and "Không có báo cáo nào" in page
    # The period is picked from a list in words, not typed as a code.
    month = period_of(timezone.localdate(), "month")
    page = client.get(URL).content.decode()
    assert f'<option value="{month.code}">Tháng {month.start.month}/{month.start.year}</option>' in page
    assert 'name="period" value=' not in page  # no text box for a code
    # A period older than the picker's span, asked in the address, stays chosen rather than refused.
    assert (
        '<option value="202411" selected>Tháng 11/2024</option>'
        in client.get(URL, {"period": "202411"}).content.decode()
    )


def test_a_code_that_is_no_period_is_a_form_error_not_a_500(users, dossiers):
    response = web_client(users[V]).get(URL, {"period": "2024X9", "unit": "99999999999999999999999"})
    assert response.status_code == 200


def test_excel_export_holds_the_rows(tree, users, dossiers):
    report(dossiers, tree.xuan_ai, "202411", {"HS_TIEPNHAN": 120, "HS_TRUCTUYEN": 150}, status="submitted")
    response = web_client(users[V]).get(URL, {"export": "xlsx"})
    sheet = openpyxl.load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    ).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "Trực tuyến ≤ tiếp nhận" in values and "Tháng 11/2024" in values


def test_who_sees_the_violations_of_a_commune(tree, users, dossiers):
    months = iter(f"2024{month:02d}" for month in range(1, 13))
    matrix = PageMatrix(
        URL,
        lambda obj: obj.get_absolute_url(),
        make=lambda: report(
            dossiers, tree.xuan_ai, next(months), {"HS_TIEPNHAN": 1, "HS_TRUCTUYEN": 7}, status="submitted"
        ),
        shows=lambda obj: f'href="{obj.get_absolute_url()}"',
    )
    # "list" = the violation appears on the page; "detail" = the report opens (its own scope).
    expected = {role: {"list", "detail"} for role in (A, X, V)}
    expected[C] = expected[D] = {"detail"}  # they read the report; the district approves it
    matrix.check({role: users[role] for role in (A, X, D, V, C, L, P)}, expected)
