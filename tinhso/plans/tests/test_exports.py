"""What people take away: list exports (CSV, Excel) hold exactly the rows the person may see with the filters
applied; the dashboard workbook's sheets hold the figures the page shows, unit by unit; the DHIS2 export
writes DHIS2's columns and periods."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client, web_client
from tinhso.plans import services
from tinhso.plans.models import Target
from tinhso.plans.testing import make_data_set, make_indicator, make_plan, report

from .test_permission_matrix import task_data


@pytest.fixture
def reports(tree):
    data_set = make_data_set("XA_NAM", "year", "commune", [("THON_BANGRONG", "Thôn có băng rộng"), ("THON", "Số thôn")])
    made = {
        "xuan_ai": report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 9, "THON": 10}),
        "yen_hop": report(data_set, tree.yen_hop, "2024", {"THON_BANGRONG": 5, "THON": 10}, status="submitted"),
        "khanh_hoa": report(data_set, tree.khanh_hoa, "2024", {"THON_BANGRONG": 1, "THON": 10}),
        "xuan_ai_2023": report(data_set, tree.xuan_ai, "2023", {"THON_BANGRONG": 8, "THON": 10}, status="draft"),
    }
    return data_set, made


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(response, sheet=0) -> list[tuple]:
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(load_workbook(io.BytesIO(content)).worksheets[sheet].iter_rows(values_only=True))


@pytest.mark.parametrize(
    ("role", "unit", "expected"),
    [
        ("province_admin", "yen_bai", {"Xã Xuân Ái", "Xã Yên Hợp", "Xã Khánh Hòa"}),
        ("district_officer", "van_yen", {"Xã Xuân Ái", "Xã Yên Hợp"}),
        ("commune_officer", "xuan_ai", {"Xã Xuân Ái"}),
    ],
)
def test_the_report_list_exports_only_what_the_person_may_see(tree, reports, role, unit, expected):
    client = web_client(make_user(role, getattr(tree, unit)))
    rows = csv_rows(client.get("/plans/reports/", {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="vi"))
    assert rows[0][:3] == ["Đơn vị", "Bộ biểu mẫu", "Kỳ"]
    assert {row[0] for row in rows[1:]} == expected
    excel = xlsx_rows(client.get("/plans/reports/", {"export": "xlsx"}, HTTP_ACCEPT_LANGUAGE="vi"))
    assert {row[0] for row in excel[1:]} == expected


def test_the_export_follows_the_filters_on_the_page(tree, reports):
    client = web_client(make_user("district_officer", tree.van_yen))
    approved = csv_rows(client.get("/plans/reports/", {"export": "csv", "status": "approved", "period": "2024"}))
    assert [row[0] for row in approved[1:]] == ["Xã Xuân Ái"]
    searched = csv_rows(client.get("/plans/reports/", {"export": "csv", "q": "yen hop"}))
    assert [row[0] for row in searched[1:]] == ["Xã Yên Hợp"]


def test_an_export_format_that_is_not_offered_gives_the_page(tree, reports):
    response = web_client(make_user("district_officer", tree.van_yen)).get("/plans/reports/", {"export": "pdf"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


def test_the_task_list_exports_the_tasks_of_the_persons_units(tree, commune_plan, committee):
    from tinhso.units.models import Organisation

    services.create_task(actor=None, data={**task_data(commune_plan, committee), "title": "Phủ sóng thôn Khe Dứa"})
    other = make_plan(tree.khanh_hoa, number="3/KH-UBND")
    elsewhere = Organisation.objects.create(name="UBND xã Khánh Hòa", kind="peoples_committee", unit=tree.khanh_hoa)
    services.create_task(actor=None, data={**task_data(other, elsewhere), "title": "Wifi chợ Khánh Hòa"})
    officer = web_client(make_user("commune_officer", tree.xuan_ai))
    titles = [row[1] for row in csv_rows(officer.get("/plans/tasks/", {"export": "csv"}))[1:]]
    assert titles == ["Phủ sóng thôn Khe Dứa"]
    admin = web_client(make_user("province_admin", tree.yen_bai))
    assert len(csv_rows(admin.get("/plans/tasks/", {"export": "csv"}))) == 3


def test_the_indicator_list_exports_codes_and_names(tree):
    make_data_set("XA_NAM", "year", "commune", [("THON", "Số thôn")])
    make_indicator("SO_THON", "#{THON}", name="Số thôn của tỉnh")
    rows = csv_rows(
        web_client(make_user("party_cell_secretary", tree.na_hau)).get("/plans/indicators/", {"export": "csv"})
    )
    assert [row[:2] for row in rows[1:]] == [["SO_THON", "Số thôn của tỉnh"]]


@pytest.fixture
def dashboard_plan(tree, reports):
    data_set, _made = reports
    indicator = make_indicator("TL_BANGRONG", "#{THON_BANGRONG}", "#{THON}", name="Tỷ lệ thôn có Internet băng rộng")
    plan = make_plan(tree.yen_bai)
    Target.objects.create(plan=plan, indicator=indicator, unit=tree.yen_bai, period="2024", value=Decimal(50))
    return plan, indicator


def test_the_dashboard_workbook_holds_the_figures_unit_by_unit(tree, dashboard_plan):
    admin = make_user("province_admin", tree.yen_bai)
    response = web_client(admin).get(
        f"/plans/units/{tree.yen_bai.pk}/export.xlsx",
        {"as_of": "2024-12-31", "period": "2024", "indicator": "TL_BANGRONG"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response["Content-Disposition"] == 'attachment; filename="chi-tieu-tinh-yen-bai-2024.xlsx"'
    indicators = xlsx_rows(response)
    # Approved only: Xuân Ái 9/10 and Khánh Hòa 1/10 (Yên Hợp is still waiting): 10/20.
    assert indicators[1] == (
        1,
        "TL_BANGRONG",
        "Tỷ lệ thôn có Internet băng rộng",
        "Nền tảng: nhận thức, thể chế, hạ tầng, nhân lực",
        "Năm 2024",
        10,
        20,
        50,
        "50,0%",
        "≥ 50%",
        "Đạt",
    )
    by_unit = {row[2]: row[3:] for row in xlsx_rows(response, sheet=1)[1:]}
    assert by_unit["Huyện Văn Yên"][:2] == (9, 10)
    assert by_unit["Huyện Lục Yên"][:2] == (1, 10)


def test_the_decree_30_report_is_a_pdf_named_for_the_unit(tree, dashboard_plan):
    officer = make_user("district_officer", tree.van_yen)
    response = web_client(officer).get(
        f"/plans/units/{tree.van_yen.pk}/report.pdf", {"as_of": "2024-12-31", "period": "2024"}
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="chi-tieu-huyen-van-yen-2024.pdf"'


def test_the_dhis2_csv_export_writes_dhis2s_columns(tree, reports):
    client = api_client(make_user("district_officer", tree.van_yen))
    response = client.get(
        "/api/v1/datavaluesets/",
        {"dataSet": "XA_NAM", "period": "2023,2024", "orgUnit": "136", "children": "true", "format": "csv"},
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "dataelement",
        "period",
        "orgunit",
        "catoptcombo",
        "attroptcombo",
        "value",
        "storedby",
        "lastupdated",
        "comment",
        "followup",
    ]
    assert sorted((row[0], row[1], row[2], row[5]) for row in rows[1:]) == [
        ("THON", "2023", "04441", "10"),
        ("THON", "2024", "04426", "10"),
        ("THON", "2024", "04441", "10"),
        ("THON_BANGRONG", "2023", "04441", "8"),
        ("THON_BANGRONG", "2024", "04426", "5"),
        ("THON_BANGRONG", "2024", "04441", "9"),
    ]


def test_the_dhis2_json_export_names_its_period_only_when_there_is_one(tree, reports):
    client = api_client(make_user("district_officer", tree.van_yen))
    one = client.get("/api/v1/datavaluesets/", {"dataSet": "XA_NAM", "period": "2024", "orgUnit": "04441"}).json()
    assert (one["dataSet"], one["orgUnit"], one["period"]) == ("XA_NAM", "04441", "2024")
    assert {row["dataElement"]: row["value"] for row in one["dataValues"]} == {"THON_BANGRONG": "9", "THON": "10"}
    two = client.get(
        "/api/v1/datavaluesets/", {"dataSet": "XA_NAM", "period": ["2023", "2024"], "orgUnit": "04441"}
    ).json()
    assert "period" not in two and len(two["dataValues"]) == 4
