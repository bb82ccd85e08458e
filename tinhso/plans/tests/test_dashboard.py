"""The live dashboard: approved values show on the next load, drill-down, exports, and a query
count that does not grow with the number of units or values."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.plans import services
from tinhso.plans.models import Target
from tinhso.plans.testing import make_data_set, make_indicator, make_plan, report
from tinhso.units.testing import make_unit


@pytest.fixture
def plan(tree):
    data_set = make_data_set("XA_NAM", "year", "commune", [("THON_BANGRONG", "Thôn có băng rộng"), ("THON", "Số thôn")])
    indicator = make_indicator("TL_BANGRONG", "#{THON_BANGRONG}", "#{THON}", name="Tỷ lệ thôn có Internet băng rộng")
    plan = make_plan(tree.yen_bai)
    Target.objects.create(plan=plan, indicator=indicator, unit=tree.yen_bai, period="2024", value=Decimal(98))
    return plan, data_set


def dashboard(user, unit, **params):
    params = {"as_of": "2024-12-31", "period": "2024", **params}
    return web_client(user).get(f"/plans/units/{unit.pk}/", params, HTTP_ACCEPT_LANGUAGE="vi")


def test_an_approved_value_counts_on_the_next_page_load(tree, plan):
    _plan, data_set = plan
    admin = make_user("province_admin", tree.yen_bai)
    report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 9, "THON": 10})
    assert "90,0%" in dashboard(admin, tree.yen_bai).content.decode()
    submitted = report(data_set, tree.khanh_hoa, "2024", {"THON_BANGRONG": 10, "THON": 10}, status="submitted")
    assert "90,0%" in dashboard(admin, tree.yen_bai).content.decode()
    services.approve_report(submitted, actor=admin)
    assert "95,0%" in dashboard(admin, tree.yen_bai).content.decode()


def test_the_district_drills_down_to_its_communes(tree, plan):
    _plan, data_set = plan
    report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 9, "THON": 10})
    page = dashboard(make_user("district_officer", tree.van_yen), tree.van_yen).content.decode()
    assert f"/plans/units/{tree.xuan_ai.pk}/" in page and "Xã Yên Hợp" in page
    assert "Xã Khánh Hòa" not in page


def test_the_dashboard_costs_the_same_queries_for_3_or_30_communes(tree, plan, django_assert_max_num_queries):
    _plan, data_set = plan
    client = web_client(make_user("province_admin", tree.yen_bai))
    params = {"as_of": "2024-12-31", "period": "2024"}
    report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 9, "THON": 10})
    client.get(f"/plans/units/{tree.yen_bai.pk}/", params)  # the tree of the day is built once, then kept
    with django_assert_max_num_queries(20) as small:
        client.get(f"/plans/units/{tree.yen_bai.pk}/", params)
        first = len(small.captured_queries)
    for number in range(27):
        commune = make_unit(tree.luc_yen, f"09{number:03d}", f"Xã số {number}", "xa", valid_to=tree.yen_bai.valid_to)
        report(data_set, commune, "2024", {"THON_BANGRONG": 5, "THON": 6})
    client.get(f"/plans/units/{tree.yen_bai.pk}/", params)
    with django_assert_max_num_queries(first):
        response = client.get(f"/plans/units/{tree.yen_bai.pk}/", params)
    assert response.status_code == 200


def test_the_dashboard_exports_to_excel_and_to_a_decree_30_report(tree, plan):
    _plan, data_set = plan
    admin = make_user("province_admin", tree.yen_bai)
    report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 9, "THON": 10})
    params = {"as_of": "2024-12-31", "period": "2024"}
    workbook = web_client(admin).get(f"/plans/units/{tree.yen_bai.pk}/export.xlsx", params)
    sheet = load_workbook(io.BytesIO(workbook.content)).worksheets[0]
    assert [cell.value for cell in sheet[2]][1:3] == ["TL_BANGRONG", "Tỷ lệ thôn có Internet băng rộng"]
    assert sheet.cell(row=2, column=9).value == "90,0%"
    pdf = web_client(admin).get(f"/plans/units/{tree.yen_bai.pk}/report.pdf", params)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_after_the_reform_a_yen_bai_plan_is_assessed_on_yen_bai(tree, plan):
    _plan, data_set = plan
    report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 9, "THON": 10})
    admin = make_user("province_admin", tree.lao_cai)
    page = web_client(admin).get("/plans/", {"as_of": "2025-09-01"}, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Tỉnh Yên Bái" in page and "80/KH-UBND" in page and "90,0%" in page
    assert "31/12/2024" in page


def test_a_commune_officer_follows_the_provinces_plan_for_the_commune(tree, plan):
    the_plan, data_set = plan
    report(data_set, tree.xuan_ai, "2024", {"THON_BANGRONG": 7, "THON": 10})
    officer = make_user("commune_officer", tree.xuan_ai)
    page = dashboard(officer, tree.xuan_ai).content.decode()
    assert "70,0%" in page and "80/KH-UBND" in page
    assert web_client(officer).get(the_plan.get_absolute_url()).status_code == 200
    assert dashboard(officer, tree.khanh_hoa).status_code == 404


def test_a_year_without_data_says_so(tree, plan):
    page = dashboard(make_user("province_admin", tree.yen_bai), tree.yen_bai, period="2019").content.decode()
    assert "Chưa có số liệu" in page


@pytest.mark.parametrize("page", ["/plans/reports/", "/plans/tasks/", "/plans/inbox/"])
def test_list_pages_cost_the_same_queries_for_few_or_many_rows(tree, plan, page, django_assert_max_num_queries):
    the_plan, data_set = plan
    client = web_client(make_user("province_admin", tree.yen_bai))
    department = tree.yen_bai.organisations.create(name="Sở Khoa học và Công nghệ", kind="department")
    for year in range(2020, 2022):
        report(data_set, tree.xuan_ai, str(year), {"THON_BANGRONG": 1, "THON": 2})
        add_task(the_plan, department, year)
    client.get(page)
    with django_assert_max_num_queries(20) as few:
        client.get(page)
        first = len(few.captured_queries)
    for year in range(2022, 2025):
        report(data_set, tree.khanh_hoa, str(year), {"THON_BANGRONG": 1, "THON": 2}, status="submitted")
        add_task(the_plan, department, year)
    with django_assert_max_num_queries(first):
        assert client.get(page).status_code == 200


def add_task(plan, department, year):
    return services.create_task(
        actor=None,
        data={
            "plan": plan,
            "title": f"Nhiệm vụ năm {year}",
            "owner_organisation": department,
            "responsible_person": "Bà Hà",
            "start_date": datetime.date(year, 1, 1),
            "due_date": datetime.date(year, 12, 31),
            "expected_output": "Báo cáo",
            "budget_vnd": 0,
            "budget_source": "recurrent",
            "staffing": "2 cán bộ",
        },
    )
