"""Every role × the rest of plans' API: definitions, report decisions, task progress, data value export and
indicator values. A refused write changes nothing (rows, values, roll-ups and the change log)."""

import itertools

import pytest
from django.test import TestCase

from tinhso.core.testing import (
    READ,
    ApiMatrix,
    api_client,
    assert_statuses,
    database_state,
    expected_statuses,
    statuses,
)
from tinhso.plans import services
from tinhso.plans.choices import ReportStatus, ValueType
from tinhso.plans.models import DataElement, DataSet, DataValue, Indicator, Report, RollupValue, Task, TaskUpdate
from tinhso.plans.testing import make_data_set, make_indicator, report

from .conftest import A, C, D, L, P, V, X
from .test_permission_matrix import task_data

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)
DEFINITION_READERS = (A, X, D, V, C, L, P)


def months():
    return (f"{year}{month:02d}" for year in range(2020, 2025) for month in range(1, 13))


@pytest.mark.parametrize(
    ("url", "model", "make"),
    [
        (
            "/api/v1/dataelements/",
            DataElement,
            lambda n: DataElement.objects.create(code=f"DE_{n}", name=f"Chỉ số {n}"),
        ),
        ("/api/v1/datasets/", DataSet, lambda n: make_data_set(f"DS_{n}", "year", "commune", [(f"E_{n}", "Số")])),
        ("/api/v1/indicators/", Indicator, lambda n: make_indicator(f"CT_{n}", "#{THON}")),
    ],
)
def test_definitions_are_read_by_every_role_that_reads_plans_and_by_no_citizen(users, url, model, make):
    DataElement.objects.get_or_create(code="THON", defaults={"name": "Số thôn"})
    matrix = ApiMatrix(url, model, make=lambda: make(next(_numbers)), lookup=lambda obj: obj.code, key="code")
    matrix.check(users, {role: set(READ) for role in DEFINITION_READERS})


@pytest.mark.parametrize("url", ["/api/v1/dataelements/", "/api/v1/datasets/", "/api/v1/indicators/"])
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_definitions_cannot_be_written_through_the_api_even_by_the_province(users, url, method):
    element = DataElement.objects.create(code="THON", name="Số thôn")
    target = url if method == "post" else f"{url}THON/"
    before = database_state(DataElement)
    response = getattr(api_client(users[A]), method)(target, {"code": "MOI", "name": "Mới"}, format="json")
    assert response.status_code in (403, 404, 405)
    assert database_state(DataElement) == before
    element.refresh_from_db()
    assert element.name == "Số thôn"


def decide(user, report_obj, decision):
    client = api_client(user)
    data = {"reason": "Số hộ chưa khớp"} if decision == "return" else {}
    return client.post(f"/api/v1/reports/{report_obj.pk}/{decision}/", data, format="json")


def report_state(report_obj):
    report_obj.refresh_from_db()
    values = sorted(
        DataValue.objects.filter(report=report_obj).values_list("data_element__code", "value", "is_approved")
    )
    return report_obj.status, values, sorted(RollupValue.objects.values_list("unit_id", "period", "total"))


# Who may submit a draft, approve a submitted report, return an approved one — for a village and a commune.
DECISIONS = {
    ("village", "submit"): {A, X, V, C, L},
    ("village", "approve"): {A, X, V, C},
    ("village", "return"): {A, X, V, C},
    ("commune", "submit"): {A, X, V, C},
    ("commune", "approve"): {A, X, V},
    ("commune", "return"): {A, X, V},
}
STARTING_STATUS = {"submit": ReportStatus.DRAFT, "approve": ReportStatus.SUBMITTED, "return": ReportStatus.APPROVED}
AFTER = {"submit": ReportStatus.SUBMITTED, "approve": ReportStatus.APPROVED, "return": ReportStatus.RETURNED}


@pytest.mark.parametrize(("level", "decision"), list(DECISIONS))
def test_who_may_submit_approve_and_return_a_report(tree, users, level, decision):
    unit = tree.khe_dua if level == "village" else tree.xuan_ai
    data_set = make_data_set("BM", "month", level, [("HO", "Số hộ")])
    periods = months()
    wrong = []
    for role, user in users.items():
        opened = report(data_set, unit, next(periods), {"HO": 120}, status=STARTING_STATUS[decision])
        before = report_state(opened)
        response = decide(user, opened, decision)
        allowed = role in DECISIONS[(level, decision)]
        if allowed and (response.status_code != 200 or response.json()["status"] != AFTER[decision]):
            wrong.append(f"{role}: allowed expected, got {response.status_code}")
        if not allowed:
            if response.status_code not in (403, 404):
                wrong.append(f"{role}: refused expected, got {response.status_code}")
            if report_state(opened) != before:
                wrong.append(f"{role}: refused but the report changed")
    assert not wrong, "\n".join(wrong)


def test_a_decision_out_of_order_is_a_400_and_changes_nothing(tree, users):
    data_set = make_data_set("BM", "month", "village", [("HO", "Số hộ")])
    draft = report(data_set, tree.khe_dua, "202401", {"HO": 1}, status="draft")
    approved = report(data_set, tree.khe_dua, "202402", {"HO": 2}, status="approved")
    before = report_state(draft), report_state(approved)
    officer = users[C]
    assert decide(officer, draft, "approve").status_code == 400
    assert decide(officer, draft, "return").status_code == 400
    assert decide(officer, approved, "approve").status_code == 400
    assert decide(users[L], approved, "submit").status_code == 400
    assert (report_state(draft), report_state(approved)) == before


def test_a_return_without_a_reason_is_a_400_naming_the_field(tree, users):
    data_set = make_data_set("BM", "month", "village", [("HO", "Số hộ")])
    approved = report(data_set, tree.khe_dua, "202401", {"HO": 1}, status="approved")
    before = report_state(approved)
    for reason in ("", "   ", None):
        body = {} if reason is None else {"reason": reason}
        response = api_client(users[C]).post(f"/api/v1/reports/{approved.pk}/return/", body, format="json")
        assert response.status_code == 400 and "reason" in response.json()
    assert report_state(approved) == before


@pytest.mark.parametrize("role", [A, X, D, V, C, L, P, "citizen"])
def test_progress_on_a_commune_task_is_reported_by_those_who_run_it(tree, users, commune_plan, committee, role):
    task = services.create_task(actor=None, data=task_data(commune_plan, committee))
    response = api_client(users[role]).post(
        f"/api/v1/tasks/{task.pk}/progress/", {"progress": 40, "note": "Đã khảo sát 5 thôn"}, format="json"
    )
    allowed = role in (A, X, V, C)
    assert (response.status_code == 200) == allowed, response.status_code
    task.refresh_from_db()
    if allowed:
        assert task.progress == 40 and response.json()["progress"] == 40
    else:
        assert response.status_code in (403, 404)
        assert task.progress == 0 and not TaskUpdate.objects.exists()


def test_department_staff_report_progress_on_their_own_departments_task(tree, users, commune_plan):
    from tinhso.units.models import Organisation

    department = Organisation.objects.create(name="Sở Thông tin và Truyền thông", kind="department", unit=tree.yen_bai)
    own = services.create_task(
        actor=None,
        data={**task_data(commune_plan, None), "plan": _province_plan(tree), "owner_organisation": department},
    )
    staff = users[D]
    staff.organisation = department
    staff.save()
    response = api_client(staff).post(
        f"/api/v1/tasks/{own.pk}/progress/", {"progress": 100, "note": "Xong"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "completed"
    assert Task.objects.get(pk=own.pk).completed_on is not None


def _province_plan(tree):
    from tinhso.plans.testing import make_plan

    return make_plan(tree.yen_bai, number="80/KH-UBND")


EXPORTERS = {A, X, D, V}  # the district's values: the commune officer's scope stops at the commune


@pytest.mark.parametrize("children", ["false", "true"])
def test_who_exports_a_communes_values_and_what_they_get(tree, users, children):
    data_set = make_data_set("XA_NAM", "year", "commune", [("THON", "Số thôn"), ("CO_5G", "5G", ValueType.BOOLEAN)])
    report(data_set, tree.xuan_ai, "2024", {"THON": 10, "CO_5G": "true"})
    report(data_set, tree.yen_hop, "2024", {"THON": 8, "CO_5G": "false"})
    for role, user in users.items():
        response = api_client(user).get(
            "/api/v1/datavaluesets/", {"dataSet": "XA_NAM", "period": "2024", "orgUnit": "136", "children": children}
        )
        if role not in EXPORTERS:
            assert response.status_code in (400, 403, 404), role
            continue
        assert response.status_code == 200, (role, response.json())
        rows = {(row["orgUnit"], row["dataElement"]): row["value"] for row in response.json()["dataValues"]}
        expected = {
            ("04441", "THON"): "10",
            ("04441", "CO_5G"): "true",
            ("04426", "THON"): "8",
            ("04426", "CO_5G"): "false",
        }
        assert rows == (expected if children == "true" else {}), role


def test_a_commune_officer_exports_only_the_values_of_the_commune(tree, users):
    data_set = make_data_set("XA_NAM", "year", "commune", [("THON", "Số thôn")])
    report(data_set, tree.xuan_ai, "2024", {"THON": 10})
    report(data_set, tree.yen_hop, "2024", {"THON": 8})
    response = api_client(users[C]).get(
        "/api/v1/datavaluesets/", {"dataSet": "XA_NAM", "period": "2024", "orgUnit": "04441", "children": "true"}
    )
    assert [row["orgUnit"] for row in response.json()["dataValues"]] == ["04441"]
    outside = api_client(users[C]).get(
        "/api/v1/datavaluesets/", {"dataSet": "XA_NAM", "period": "2024", "orgUnit": "04426"}
    )
    assert outside.status_code == 400 and "04426" in outside.json()["orgUnit"][0]


@pytest.mark.parametrize(
    ("unit", "readers"),
    [("15", {A, X, D}), ("136", {A, X, D, V}), ("04441", {A, X, D, V, C}), ("04300", {A, X, D})],
)
def test_who_reads_an_indicators_value_for_a_unit(tree, users, unit, readers):
    data_set = make_data_set("XA_NAM", "year", "commune", [("THON", "Số thôn")])
    make_indicator("SO_THON", "#{THON}")
    report(data_set, tree.xuan_ai, "2024", {"THON": 10})
    query = {"unit": unit, "period": "2024", "as_of": "2024-12-31"}
    got = statuses(users, "/api/v1/indicators/SO_THON/values/", query, client=api_client)
    assert_statuses(got, expected_statuses(users, readers, refused={403, 404}))


@pytest.mark.parametrize("role", [A, X, V, C])
def test_an_import_by_someone_in_scope_is_accepted_and_out_of_scope_rows_are_conflicts(tree, users, role):
    make_data_set("XA_NAM", "year", "commune", [("THON", "Số thôn")])
    payload = {
        "dataValues": [
            {"dataElement": "THON", "period": "2024", "orgUnit": "04441", "value": "10"},
            {"dataElement": "THON", "period": "2024", "orgUnit": "04300", "value": "7"},
        ]
    }
    client = api_client(users[role])
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/api/v1/datavaluesets/", payload, format="json")
    assert response.status_code == 202
    job = client.get(response["Location"]).json()
    if role in (A, X):
        assert job["status"] == "succeeded"
        assert DataValue.objects.count() == 2
    else:  # Khánh Hòa lies outside the district and the commune: with atomic, nothing is written
        assert job["status"] == "failed"
        assert [conflict["row"] for conflict in job["result"]["summary"]["conflicts"]] == [2]
        assert not DataValue.objects.exists() and not Report.objects.exists()
