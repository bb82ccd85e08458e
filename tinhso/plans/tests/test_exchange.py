"""DHIS2 dataValueSets: import with dryRun, importStrategy and atomic, an import summary with every
conflict and its row; importing the same file twice changes nothing; export by data set, period, unit.

An import is a background job (docs/architecture.md, "Background work"): the API answers 202 with the
job's address, and the job's result holds the DHIS2 import summary. These tests follow the job to its end.
"""

from dataclasses import dataclass

import pytest
from django.test import TestCase

from tinhso.accounts.testing import make_user
from tinhso.core.models import Job, ObjectChange
from tinhso.core.testing import api_client
from tinhso.plans.choices import ReportStatus, ValueType
from tinhso.plans.models import DataValue, Report
from tinhso.plans.testing import make_data_set, report

URL = "/api/v1/datavaluesets/"


@pytest.fixture
def yearly(tree):
    return make_data_set(
        "XA_NAM",
        "year",
        "commune",
        [("THON_BANGRONG", "Thôn có băng rộng"), ("THON", "Số thôn"), ("CO_5G", "Có sóng 5G", ValueType.BOOLEAN)],
    )


@pytest.fixture
def client(tree):
    return api_client(make_user("district_officer", tree.van_yen))


def body(*values, **top):
    return {
        "dataSet": "XA_NAM",
        "dataValues": [
            {"dataElement": element, "period": period, "orgUnit": unit, "value": value}
            for element, period, unit, value in values
        ],
        **top,
    }


GOOD = body(
    ("THON_BANGRONG", "2024", "04441", "9"), ("THON", "2024", "04441", "10"), ("CO_5G", "2024", "04426", "true")
)


@dataclass
class Followed:
    """An import followed from its 202 to the end of its job."""

    job: dict

    @property
    def status(self) -> str:
        return self.job["status"]

    def json(self) -> dict:
        return self.job["result"]["summary"]


def follow(client, send):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = send()
    if response.status_code != 202:
        return response
    assert response["Location"] == response.json()["url"]
    return Followed(client.get(response["Location"]).json())


def post(client, payload, params="", language="vi"):
    return follow(client, lambda: client.post(f"{URL}{params}", payload, format="json", HTTP_ACCEPT_LANGUAGE=language))


def test_an_import_reports_what_it_did_and_opens_draft_reports(client, yearly, tree):
    response = post(client, GOOD)
    assert response.status == "succeeded", response.job
    summary = response.json()
    assert summary["status"] == "SUCCESS"
    assert summary["importCount"] == {"imported": 3, "updated": 0, "ignored": 0, "deleted": 0}
    assert summary["conflicts"] == []
    assert DataValue.objects.count() == 3
    assert set(Report.objects.values_list("unit__code", "status")) == {("04441", "draft"), ("04426", "draft")}


def test_importing_the_same_file_twice_changes_nothing(client, yearly):
    post(client, GOOD)
    logged = ObjectChange.objects.count()
    again = post(client, GOOD).json()
    assert again["importCount"] == {"imported": 0, "updated": 0, "ignored": 3, "deleted": 0}
    assert ObjectChange.objects.count() == logged


def test_a_dry_run_counts_and_writes_nothing(client, yearly):
    summary = post(client, GOOD, "?dryRun=true").json()
    assert summary["importCount"]["imported"] == 3
    assert summary["importOptions"]["dryRun"] is True
    assert not DataValue.objects.exists() and not Report.objects.exists()


BAD = body(
    ("THON_BANGRONG", "2024", "04441", "9"),
    ("KHONG_CO", "2024", "04441", "1"),
    ("THON", "2024-01", "04441", "10"),
    ("THON", "2024", "99999", "10"),
    ("THON", "2024", "04300", "10"),
    ("THON", "2024", "04426", "mười"),
)


def test_one_conflict_and_an_atomic_import_writes_nothing_listing_every_row(client, yearly):
    response = post(client, BAD)
    assert response.status == "failed"
    summary = response.json()
    assert summary["status"] == "ERROR"
    assert summary["importCount"] == {"imported": 0, "updated": 0, "ignored": 6, "deleted": 0}
    conflicts = {conflict["row"]: conflict for conflict in summary["conflicts"]}
    assert sorted(conflicts) == [2, 3, 4, 5, 6]
    assert conflicts[2]["value"] == "Không có chỉ số dữ liệu mã KHONG_CO."
    assert conflicts[3]["property"] == "period" and "không phải mã kỳ báo cáo" in conflicts[3]["value"]
    assert conflicts[4]["value"] == "Không có đơn vị mã 99999."
    assert conflicts[5]["value"] == "Xã Khánh Hòa nằm ngoài các đơn vị bạn được báo cáo."
    assert conflicts[6]["value"] == "“mười” không phải là số."
    assert not DataValue.objects.exists()


def test_a_non_atomic_import_writes_the_valid_rows_and_lists_the_rest(client, yearly):
    summary = post(client, BAD, "?atomic=false").json()
    assert summary["status"] == "WARNING"
    assert summary["importCount"] == {"imported": 1, "updated": 0, "ignored": 5, "deleted": 0}
    assert list(DataValue.objects.values_list("data_element__code", "value")) == [("THON_BANGRONG", "9")]


def test_locked_reports_are_conflicts(client, yearly, tree):
    report(yearly, tree.xuan_ai, "2024", {"THON_BANGRONG": 5, "THON": 10, "CO_5G": "false"})
    summary = post(client, body(("THON_BANGRONG", "2024", "04441", "9"))).json()
    assert summary["status"] == "ERROR"
    assert "đã duyệt" in summary["conflicts"][0]["value"]
    assert DataValue.objects.get(data_element__code="THON_BANGRONG").value == "5"


def test_strategies_update_create_and_delete(client, yearly):
    post(client, body(("THON", "2024", "04441", "10")))
    update = post(
        client, body(("THON", "2024", "04441", "12"), ("THON", "2024", "04426", "7")), "?importStrategy=UPDATE"
    ).json()
    assert update["importCount"] == {"imported": 0, "updated": 1, "ignored": 1, "deleted": 0}
    create = post(
        client, body(("THON", "2024", "04441", "15"), ("THON", "2024", "04426", "7")), "?importStrategy=CREATE"
    ).json()
    assert create["importCount"] == {"imported": 1, "updated": 0, "ignored": 1, "deleted": 0}
    delete = post(
        client, body(("THON", "2024", "04441", ""), ("THON_BANGRONG", "2024", "04441", "")), "?importStrategy=DELETE"
    ).json()
    assert delete["importCount"] == {"imported": 0, "updated": 0, "ignored": 1, "deleted": 1}
    assert list(DataValue.objects.values_list("unit__code", "value")) == [("04426", "7")]


def test_an_unknown_strategy_is_a_400_in_vietnamese(client, yearly):
    response = post(client, GOOD, "?importStrategy=MERGE")
    assert response.status_code == 400
    assert "chiến lược" in response.json()["importStrategy"][0]


def test_csv_in_dhis2_column_order_is_imported(client, yearly):
    text = "dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup\n"
    text += "THON,2024,04441,,,10,,,Theo báo cáo thôn,false\nTHON_BANGRONG,2024,04441,,,abc,,,,\n"
    response = follow(
        client, lambda: client.post(f"{URL}?atomic=false", text, content_type="text/csv", HTTP_ACCEPT_LANGUAGE="vi")
    )
    summary = response.json()
    assert summary["importCount"]["imported"] == 1
    assert summary["conflicts"][0]["row"] == 3
    assert DataValue.objects.get().comment == "Theo báo cáo thôn"


def test_export_then_import_is_a_round_trip_that_changes_nothing(client, yearly, tree):
    post(client, GOOD)
    exported = client.get(URL, {"dataSet": "XA_NAM", "period": "2024", "orgUnit": "136", "children": "true"})
    assert exported.status_code == 200
    values = exported.json()["dataValues"]
    assert {(v["dataElement"], v["orgUnit"], v["value"]) for v in values} == {
        ("THON_BANGRONG", "04441", "9"),
        ("THON", "04441", "10"),
        ("CO_5G", "04426", "true"),
    }
    again = post(client, exported.json()).json()
    assert again["importCount"] == {"imported": 0, "updated": 0, "ignored": 3, "deleted": 0}


def test_export_as_csv_and_without_children(client, yearly):
    post(client, GOOD)
    only = client.get(URL, {"dataSet": "XA_NAM", "period": "2024", "orgUnit": "136"})
    assert only.json()["dataValues"] == []
    csv_text = client.get(
        URL, {"dataSet": "XA_NAM", "period": "2024", "orgUnit": "04441", "format": "csv"}
    ).content.decode()
    assert csv_text.splitlines()[0].startswith("dataelement,period,orgunit")
    assert len(csv_text.splitlines()) == 3


def test_export_needs_a_data_set_a_period_and_a_unit(client, yearly):
    response = client.get(URL, {"period": "2024-13"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert set(response.json()) == {"dataSet", "period", "orgUnit"}


def test_someone_without_reporting_rights_cannot_import(tree, yearly):
    response = post(api_client(make_user("department_staff", tree.yen_bai)), GOOD)
    assert response.status_code == 403
    assert not DataValue.objects.exists()


def test_approved_values_stay_until_returned(client, yearly, tree):
    approved = report(yearly, tree.xuan_ai, "2024", {"THON_BANGRONG": 5, "THON": 10, "CO_5G": "false"})
    assert approved.status == ReportStatus.APPROVED
    post(client, body(("THON", "2024", "04441", "")), "?importStrategy=DELETE&atomic=false")
    assert DataValue.objects.filter(report=approved).count() == 3


def test_the_import_answers_202_with_the_jobs_address_before_anything_is_written(client, yearly):
    response = client.post(URL, GOOD, format="json")
    assert response.status_code == 202
    assert response.json()["status"] == "queued" and response["Location"].endswith(
        f"/api/v1/jobs/{response.json()['id']}/"
    )
    assert not DataValue.objects.exists()


def test_a_body_that_is_not_a_data_value_set_is_refused_at_once(client, yearly):
    response = client.post(URL, {"dataValues": "mười"}, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert not Job.objects.exists()


def test_someone_else_cannot_read_the_import_job_outside_their_units(client, yearly, tree):
    job_url = client.post(URL, GOOD, format="json")["Location"]
    outsider = api_client(make_user("commune_officer", tree.khanh_hoa))
    assert outsider.get(job_url).status_code == 404


HEADERS = [
    "dataelement,period,orgunit,catoptcombo,attroptcombo,value,storedby,lastupdated,comment,followup",
    "dataElement,period,orgUnit,categoryOptionCombo,attributeOptionCombo,value,storedBy,lastUpdated,comment,followup",
    "Data element,Period,Organisation unit,Category option combo,Attribute option combo,Value,Stored by,"
    "Last updated,Comment,Follow up",
    '"data_element","period","org_unit","coc","aoc","value"',
    "\ufeffDataElementID,PeriodID,OrgUnitID,,,Value",
    "DE,PE,OU,CO,AO,VALUE",
    "Phần tử dữ liệu,Kỳ báo cáo,Đơn vị,,,Giá trị",
    "data element id,period,org unit,,,value",
]


@pytest.mark.parametrize("header", HEADERS)
def test_a_header_row_in_any_spelling_is_recognised_and_not_imported(header):
    from tinhso.plans.exchange import read_csv

    rows = read_csv(f"{header}\r\nTHON,2024,04441,,,10\n")
    assert [(row.number, row.data_element, row.value) for row in rows] == [(2, "THON", "10")]


@pytest.mark.parametrize("first", ["DE_001,2024,04441,,,5", "PERIOD_X,2024,04441,,,5", "THON,2024Q1,04441,,,5"])
def test_a_first_data_row_is_never_taken_for_a_header(first):
    from tinhso.plans.exchange import read_csv

    assert [row.number for row in read_csv(first + "\n")] == [1]


def test_a_dhis2_csv_with_a_spelt_out_header_imports_only_its_data(client, yearly):
    text = "\ufeffData element,Period,Organisation unit,Category option combo,Attribute option combo,Value\n"
    text += "THON,2024,04441,,,10\n"
    response = follow(client, lambda: client.post(URL, text.encode(), content_type="text/csv"))
    summary = response.json()
    assert summary["importCount"]["imported"] == 1 and summary["conflicts"] == []
