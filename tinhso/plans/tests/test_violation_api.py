"""The approvers' validation-violations list as JSON (GET /api/v1/reports/violations/): the rows of the page
/plans/reports/violations/, in the reader's approval scope, filtered by codes; hostile filters end in 400."""

import pytest

from tinhso.core.testing import api_client
from tinhso.plans.testing import report

from .conftest import A, C, D, L, P, V, X

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/violations/"


@pytest.fixture
def broken(tree, dossiers):
    """Xuân Ái says 150 of its 120 files were filed online in November 2024."""
    return report(dossiers, tree.xuan_ai, "202411", {"HS_TIEPNHAN": 120, "HS_TRUCTUYEN": 150}, status="submitted")


def rows(user, **query):
    response = api_client(user).get(URL, query)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_district_approver_reads_each_violation_with_both_sides(tree, users, dossiers, broken):
    report(dossiers, tree.xuan_ai, "202410", {"HS_TIEPNHAN": 120, "HS_TRUCTUYEN": 100}, status="submitted")
    [row] = rows(users[V])
    assert row["report"] == broken.pk and row["unit"] == {"code": tree.xuan_ai.code, "name": tree.xuan_ai.name}
    assert row["period"] == "202411" and row["period_label"] == "Tháng 11/2024" and row["data_set"] == "XA_THANG"
    assert row["rule"] == "Trực tuyến ≤ tiếp nhận" and row["importance"] == "warning"
    assert float(row["left_value"]) == 150 and float(row["right_value"]) == 120
    assert row["message"].startswith("Hồ sơ trực tuyến không vượt quá hồ sơ tiếp nhận: Hồ sơ trực tuyến (150)")


def test_filters_by_period_data_set_unit_and_importance(tree, users, broken):
    approver = users[V]
    assert len(rows(approver, period="202411", data_set="XA_THANG", unit=tree.xuan_ai.code, importance="warning")) == 1
    for query in ({"period": "202410"}, {"data_set": "KHAC"}, {"unit": tree.khe_dua.code}, {"importance": "blocking"}):
        assert rows(approver, **query) == []


@pytest.mark.parametrize(
    "query",
    [
        {"period": "2024X9"},
        {"period": "9" * 40},
        {"importance": "critical"},
        {"page": "99999999999999999999999"},
        {"page_size": "-1", "page": "0"},
    ],
)
def test_hostile_filters_are_refused_with_a_4xx_never_a_500(users, broken, query):
    response = api_client(users[V]).get(URL, query)
    assert 400 <= response.status_code < 500


# Who reads the violation of a commune's report: its approvers above it (the district, the province's
# administrators and DX centre). The commune officer approves its villages' reports only: an empty list.
# Roles that approve nothing anywhere are refused.
EXPECTED = {A: "listed", X: "listed", V: "listed", C: "empty", D: "refused", L: "refused", P: "refused"}


@pytest.mark.parametrize("role", [*EXPECTED, "citizen", "anonymous"])
def test_who_reads_the_violations_of_a_commune(users, broken, role):
    response = api_client(users.get(role)).get(URL)
    if response.status_code in (401, 403):
        outcome = "refused"
    else:
        assert response.status_code == 200
        listed = any(row["report"] == broken.pk for row in response.json()["results"])
        outcome = "listed" if listed else "empty"
    assert outcome == EXPECTED.get(role, "refused")
