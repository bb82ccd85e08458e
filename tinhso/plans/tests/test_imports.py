"""DHIS2 imports are all or nothing: every row is checked before anything is written, a conflict names its
row, a file that cannot be read is refused at once, and the page and the API start the same job."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import translation

from tinhso.accounts.testing import make_user
from tinhso.core.models import Job, ObjectChange
from tinhso.core.testing import api_client, web_client
from tinhso.plans import services
from tinhso.plans.choices import ReportStatus, ValueType
from tinhso.plans.exchange import Row
from tinhso.plans.models import DataValue, Report
from tinhso.plans.testing import make_data_set, report

URL = "/api/v1/datavaluesets/"


@pytest.fixture
def yearly(tree):
    data_set = make_data_set(
        "XA_NAM",
        "year",
        "commune",
        [("THON", "Số thôn"), ("THON_BANGRONG", "Thôn có băng rộng"), ("CO_5G", "Có sóng 5G", ValueType.BOOLEAN)],
    )
    data_set.data_elements.filter(code="THON").update(min_value=1, max_value=200)
    return data_set


@pytest.fixture
def district(tree):
    return make_user("district_officer", tree.van_yen)


def rows(*specs) -> list[Row]:
    return [
        Row(number=number, data_element=element, period=period, org_unit=unit, value=value)
        for number, (element, period, unit, value) in enumerate(specs, start=1)
    ]


def state() -> tuple:
    values = sorted(DataValue.objects.values_list("data_element__code", "unit__code", "period", "value"))
    return values, Report.objects.count(), ObjectChange.objects.count()


GOOD_ROWS = (
    ("THON", "2024", "04441", "10"),
    ("THON_BANGRONG", "2024", "04441", "9"),
    ("CO_5G", "2024", "04426", "true"),
)

# Each bad row, put last after good rows, must stop the whole (atomic) import; the conflict names row 4.
BAD_ROWS = {
    "unknown element": (("KHONG_CO", "2024", "04441", "1"), "dataElement", "KHONG_CO"),
    "missing element": (("", "2024", "04441", "1"), "dataElement", "Thiếu mã"),
    "wrong period": (("THON", "2024-13", "04441", "1"), "period", "2024-13"),
    "monthly period for a yearly set": (("THON", "202401", "04441", "1"), "dataElement", "202401"),
    "unknown unit": (("THON", "2024", "99999", "1"), "orgUnit", "99999"),
    "unit that did not exist then": (("THON", "2019", "04441", "1"), "orgUnit", "2019"),
    "unit outside the district": (("THON", "2024", "04300", "1"), "orgUnit", "Khánh Hòa"),
    "village for a commune set": (("THON", "2024", "04441-01", "1"), "dataElement", "Khe Dứa"),
    "not a number": (("THON", "2024", "04426", "mười"), "value", "mười"),
    "below the range": (("THON", "2024", "04426", "0"), "value", "nhỏ nhất"),
    "above the range": (("THON", "2024", "04426", "201"), "value", "lớn nhất"),
    "not yes or no": (("CO_5G", "2024", "04441", "maybe"), "value", "maybe"),
    "same value twice": (("THON", "2024", "04441", "11"), "dataElement", "dòng 1"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_one_bad_row_and_an_atomic_import_writes_nothing(tree, yearly, district, case):
    bad, prop, named = BAD_ROWS[case]
    before = state()
    with translation.override("vi"):
        summary = services.import_data_values(rows(*GOOD_ROWS, bad), actor=district)
    assert summary.status == "ERROR"
    assert [(conflict.row, conflict.property) for conflict in summary.conflicts] == [(4, prop)]
    assert named in summary.conflicts[0].message
    assert summary.counts == {"imported": 0, "updated": 0, "ignored": 4, "deleted": 0}
    assert state() == before


@pytest.mark.parametrize("case", ["unknown element", "unit outside the district", "not a number"])
def test_without_atomic_the_good_rows_are_written_and_the_bad_one_listed(tree, yearly, district, case):
    bad, prop, _named = BAD_ROWS[case]
    summary = services.import_data_values(rows(*GOOD_ROWS, bad), actor=district, atomic=False)
    assert summary.status == "WARNING"
    assert summary.counts == {"imported": 3, "updated": 0, "ignored": 1, "deleted": 0}
    assert [(conflict.row, conflict.property) for conflict in summary.conflicts] == [(4, prop)]
    assert DataValue.objects.count() == 3


def test_every_conflicting_row_is_listed_at_once(tree, yearly, district):
    bad = [spec for spec, _prop, _named in BAD_ROWS.values() if spec[0] != "THON" or spec[3] != "11"]
    summary = services.import_data_values(rows(*bad), actor=district)
    assert sorted(conflict.row for conflict in summary.conflicts) == list(range(1, len(bad) + 1))
    assert not DataValue.objects.exists() and not Report.objects.exists()


def test_a_dry_run_plans_everything_and_writes_nothing(tree, yearly, district):
    before = state()
    summary = services.import_data_values(rows(*GOOD_ROWS), actor=district, dry_run=True)
    assert (summary.status, summary.counts["imported"]) == ("SUCCESS", 3)
    assert state() == before


def test_a_value_in_a_submitted_report_is_a_conflict_and_the_report_keeps_its_values(tree, yearly, district):
    report(yearly, tree.xuan_ai, "2024", {"THON": 10, "THON_BANGRONG": 9, "CO_5G": "true"}, status="submitted")
    before = state()
    summary = services.import_data_values(rows(("THON", "2024", "04441", "12")), actor=district)
    assert summary.status == "ERROR" and "khóa" in summary.conflicts[0].message
    assert state() == before


def test_an_unchanged_value_is_ignored_and_logs_nothing(tree, yearly, district):
    services.import_data_values(rows(*GOOD_ROWS), actor=district)
    before = state()
    summary = services.import_data_values(rows(*GOOD_ROWS), actor=district)
    assert summary.counts == {"imported": 0, "updated": 0, "ignored": 3, "deleted": 0}
    assert state() == before


def test_the_new_reports_are_drafts_of_the_unit_and_period_with_their_due_date(tree, yearly, district):
    services.import_data_values(rows(*GOOD_ROWS), actor=district)
    opened = {(each.unit.code, each.period, each.status) for each in Report.objects.select_related("unit")}
    assert opened == {("04441", "2024", ReportStatus.DRAFT), ("04426", "2024", ReportStatus.DRAFT)}
    assert {each.due_date.isoformat() for each in Report.objects.all()} == {"2025-01-10"}


def test_an_import_by_someone_without_reporting_rights_is_refused_before_any_job(tree, yearly):
    from django.core.exceptions import PermissionDenied

    reader = make_user("department_staff", tree.yen_bai)
    with pytest.raises(PermissionDenied):
        services.import_data_values(rows(*GOOD_ROWS), actor=reader)
    response = api_client(reader).post(URL, {"dataValues": []}, format="json")
    assert response.status_code == 403 and not Job.objects.exists()


# --- Files as they arrive --------------------------------------------------------------------


def run(client, body, content_type, params=""):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"{URL}{params}", body, content_type=content_type, HTTP_ACCEPT_LANGUAGE="vi")
    return response


CSV_GOOD = "dataelement,period,orgunit,catoptcombo,attroptcombo,value\nTHON,2024,04441,,,10\nCO_5G,2024,04426,,,true\n"


@pytest.mark.parametrize(
    "body",
    [
        CSV_GOOD.encode(),
        CSV_GOOD.replace("\n", "\r\n").encode(),
        CSV_GOOD.replace("\n", "\r").encode(),  # old spreadsheets end lines with a lone carriage return
        b"\xef\xbb\xbf" + CSV_GOOD.encode(),  # a byte-order mark
        CSV_GOOD.split("\n", 1)[1].encode(),  # no header
        CSV_GOOD.replace("\n", "\n\n").encode(),  # blank lines
    ],
    ids=["lf", "crlf", "cr", "bom", "no-header", "blank-lines"],
)
def test_csv_files_as_spreadsheets_write_them_are_imported(tree, yearly, district, body):
    client = api_client(district)
    response = run(client, body, "text/csv")
    assert response.status_code == 202, response.content
    assert client.get(response["Location"]).json()["status"] == "succeeded"
    assert sorted(DataValue.objects.values_list("data_element__code", "value")) == [("CO_5G", "true"), ("THON", "10")]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"dataValues": [', "application/json"),
        (b"[" * 5000 + b"]" * 5000, "application/json"),
        (b'{"dataValues": {"THON": 1}}', "application/json"),
        (b'"just a string"', "application/json"),
        (b'[{"dataElement": "THON"}]', "application/json"),
    ],
    ids=["cut-json", "deep-json", "values-not-a-list", "a-json-string", "a-json-list"],
)
def test_a_body_that_cannot_be_read_is_a_400_at_once_and_starts_no_job(tree, yearly, district, body, content_type):
    response = run(api_client(district), body, content_type)
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")
    assert not Job.objects.exists() and not DataValue.objects.exists()


def test_a_failed_import_job_lists_the_conflicts_in_vietnamese_and_writes_nothing(tree, yearly, district):
    client = api_client(district)
    body = CSV_GOOD + "THON,2024,04300,,,9\n"
    response = run(client, body.encode(), "text/csv")
    job = client.get(response["Location"]).json()
    assert job["status"] == "failed"
    [conflict] = job["result"]["summary"]["conflicts"]
    assert conflict["row"] == 4 and "Khánh Hòa" in conflict["value"]
    assert not DataValue.objects.exists() and not Report.objects.exists()


def test_the_import_page_starts_the_same_job_and_leads_to_it(tree, yearly, district):
    upload = SimpleUploadedFile("so-lieu.csv", CSV_GOOD.encode(), content_type="text/csv")
    client = web_client(district)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            "/plans/import/", {"file": upload, "import_strategy": "CREATE_AND_UPDATE", "atomic": "on"}
        )
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "succeeded" and job.kind == "plans.import_data_values"
    assert DataValue.objects.count() == 2


def test_a_dry_run_from_the_page_writes_nothing(tree, yearly, district):
    upload = SimpleUploadedFile("so-lieu.csv", CSV_GOOD.encode(), content_type="text/csv")
    with TestCase.captureOnCommitCallbacks(execute=True):
        web_client(district).post(
            "/plans/import/",
            {"file": upload, "import_strategy": "CREATE_AND_UPDATE", "dry_run": "on", "atomic": "on"},
        )
    assert Job.objects.get().status == "succeeded"
    assert not DataValue.objects.exists() and not Report.objects.exists()


def test_an_unknown_strategy_on_the_page_is_refused_on_the_form(tree, yearly, district):
    upload = SimpleUploadedFile("so-lieu.csv", CSV_GOOD.encode(), content_type="text/csv")
    response = web_client(district).post("/plans/import/", {"file": upload, "import_strategy": "DROP_ALL"})
    assert response.status_code == 200 and not Job.objects.exists()
