"""Monthly and quarterly reports per team and per commune, in Excel and as a Decree-30 PDF."""

import datetime
import io

from openpyxl import load_workbook

from tinhso.accounts.testing import make_user
from tinhso.core.periods import parse_period
from tinhso.core.testing import web_client
from tinhso.teams.models import Team
from tinhso.teams.report_files import to_document
from tinhso.teams.reports import commune_report, team_report
from tinhso.units.snapshot import snapshot_on

from .conftest import record


def busy_quarter(world):
    record(world.khe_dua, datetime.date(2026, 7, 3), key="a", people_reached=20, households_reached=9)
    record(
        world.khe_dua,
        datetime.date(2026, 8, 3),
        key="b",
        people_reached=5,
        households_reached=2,
        activity_type=world.door,
    )
    record(world.dong_tam, datetime.date(2026, 9, 3), key="c", people_reached=7, households_reached=3)
    record(world.khe_dua, datetime.date(2026, 10, 3), key="d")  # next quarter


def test_a_team_report_sums_the_quarter_by_kind_of_activity(world):
    busy_quarter(world)
    report = team_report(world.khe_dua, parse_period("2026Q3"), snapshot_on(datetime.date(2026, 9, 30)))
    assert (report.total.activities, report.total.people, report.total.households) == (2, 25, 11)
    assert [(line.label, line.activities) for line in report.kinds] == [
        ("Hướng dẫn kích hoạt VNeID mức 2", 1),
        ("Tuyên truyền đến từng hộ", 1),
    ]
    assert report.leader == "Giàng A Páo" and report.period_phrase == "quý III năm 2026"


def test_a_commune_report_covers_every_team_standing_in_the_commune(world):
    busy_quarter(world)
    structure = snapshot_on(datetime.date(2026, 9, 30))
    report = commune_report(structure.by_code("04441"), parse_period("2026Q3"), structure, Team.objects.all())
    assert [line.label for line in report.teams][0] == "Tổ Chuyển đổi số cộng đồng xã Xuân Ái"
    assert len(report.teams) == 4 and report.total.activities == 3


def test_the_pdf_is_a_decree_30_report(world):
    busy_quarter(world)
    report = team_report(world.khe_dua, parse_period("2026Q3"), snapshot_on(datetime.date(2026, 9, 30)))
    document = to_document(report)
    assert document.kind == "BÁO CÁO"
    assert document.issuer.parent_name == "UBND XÃ XUÂN ÁI"
    assert document.title.endswith("quý III năm 2026")
    assert document.signer.name == "Giàng A Páo"


def test_reports_download_as_excel_and_pdf(world):
    busy_quarter(world)
    client = web_client(make_user("commune_officer", world.tree.xuan_ai))
    excel = client.get("/teams/reports/", {"team": world.khe_dua.pk, "period": "2026Q3", "format": "xlsx"})
    assert excel.status_code == 200
    sheet = load_workbook(io.BytesIO(excel.content))["Các tổ"]
    assert any(row[0] == "Tổng cộng" and row[4] == 2 for row in sheet.iter_rows(values_only=True))
    pdf = client.get("/teams/reports/", {"team": world.khe_dua.pk, "period": "2026Q3", "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_commune_officer_cannot_report_on_another_commune(world):
    client = web_client(make_user("commune_officer", world.tree.khanh_hoa))
    response = client.get("/teams/reports/", {"commune": "04441", "period": "2026Q3"})
    assert response.status_code == 200
    assert "04441" not in [choice for choice, _label in response.context["form"].fields["commune"].choices]
    other = client.get("/teams/reports/", {"team": world.khe_dua.pk, "period": "2026Q3", "format": "pdf"})
    assert other.status_code == 404
