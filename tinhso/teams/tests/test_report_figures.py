"""The figures of the monthly and quarterly reports, checked against sums worked out by hand, and the
cells and sentences a reader finds in the Excel workbook and the Decree-30 PDF."""

import datetime
import io

import pypdfium2
import pytest
from openpyxl import load_workbook

from tinhso.accounts.testing import make_user
from tinhso.core.periods import parse_period
from tinhso.core.testing import web_client
from tinhso.teams.models import Team
from tinhso.teams.report_files import short_place_name, to_pdf, to_xlsx
from tinhso.teams.reports import commune_report, team_report
from tinhso.units.snapshot import snapshot_on
from tinhso.units.testing import REFORM, make_unit

from .conftest import add_member, make_team, record
from .test_activities import photo

JUNE = datetime.date(2024, 6, 30)


def pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    text = " ".join(page.get_textpage().get_text_range() for page in document)
    return " ".join(text.split())


def sheet_rows(content: bytes, title: str) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content))[title].iter_rows(values_only=True))


def old_xuan_ai_report(world, period="2024Q2"):
    structure = snapshot_on(JUNE)
    return commune_report(structure.by_code("04441"), parse_period(period), structure, Team.objects.all())


def spring_of_2024(world):
    record(world.khe_dua, datetime.date(2024, 4, 2), key="a", people_reached=12, households_reached=6)
    record(world.na_hau, datetime.date(2024, 5, 9), key="b", people_reached=30, households_reached=11)
    record(world.xuan_ai, datetime.date(2024, 6, 30), key="c", people_reached=8, households_reached=0)
    record(world.dong_tam, datetime.date(2024, 5, 1), key="d", people_reached=99)  # Yên Hợp, not Xuân Ái
    record(world.khe_dua, datetime.date(2024, 7, 1), key="e", people_reached=99)  # the next quarter


def test_a_commune_report_sums_its_teams_and_nothing_from_next_door_or_next_quarter(world):
    spring_of_2024(world)
    report = old_xuan_ai_report(world)
    by_team = {line.label: (line.activities, line.people, line.households) for line in report.teams}
    assert by_team == {
        "Tổ Chuyển đổi số cộng đồng xã Xuân Ái": (1, 8, 0),
        "Tổ Chuyển đổi số cộng đồng thôn Khe Dứa": (1, 12, 6),
        "Tổ Chuyển đổi số cộng đồng bản Nà Hẩu": (1, 30, 11),
    }
    assert (report.total.activities, report.total.people, report.total.households) == (3, 50, 17)


def test_a_person_on_the_commune_and_a_village_team_counts_once_in_every_total(world):
    # Giàng A Páo (Mông) sits on Xuân Ái's commune team and leads Khe Dứa's; Lò Thị Ún (Thái), a woman, and
    # Triệu Văn Quẩy (Dao) complete the commune's three people: three members, one woman, three of minorities.
    total = old_xuan_ai_report(world).total
    assert (total.members, total.women, total.minorities) == (3, 1, 3)


def test_a_woman_on_two_teams_is_one_woman_of_the_communes_members(world):
    add_member(world.xuan_ai, "Lò Thị Ún", "0987654321", gender="female", ethnicity="03")
    total = old_xuan_ai_report(world).total
    assert total.women <= total.members and (total.members, total.women) == (3, 1)


def test_members_who_left_before_the_period_ended_are_not_counted(world):
    add_member(world.na_hau, "Hà Văn Tú", joined_on=datetime.date(2023, 1, 1)).__class__.objects.filter(
        person__full_name="Hà Văn Tú"
    ).update(left_on=datetime.date(2024, 6, 29))
    line = next(line for line in old_xuan_ai_report(world).teams if line.team == world.na_hau)
    assert line.members == 1


def test_an_activity_with_evidence_counts_once_however_many_files_it_has(world):
    record(world.khe_dua, datetime.date(2024, 4, 2), key="photo", files=[photo("a.png"), photo("b.png")])
    record(world.khe_dua, datetime.date(2024, 4, 3), key="bare")
    report = team_report(world.khe_dua, parse_period("2024Q2"), snapshot_on(JUNE))
    assert (report.total.activities, report.total.with_evidence) == (2, 1)


@pytest.mark.parametrize(
    "code, phrase",
    [
        ("202403", "tháng 3 năm 2024"),
        ("2024Q4", "quý IV năm 2024"),
        ("2024S2", "6 tháng cuối năm 2024"),
        ("2024", "năm 2024"),
    ],
)
def test_periods_are_named_as_vietnamese_reports_name_them(world, code, phrase):
    assert team_report(world.khe_dua, parse_period(code), snapshot_on(JUNE)).period_phrase == phrase


def test_a_report_of_a_running_period_counts_members_as_of_today(world):
    report = team_report(world.khe_dua, parse_period("2099"), snapshot_on(JUNE))
    assert report.last_day <= datetime.date.today() and report.total.members == 2


def test_the_workbook_has_the_teams_the_kinds_and_the_reports_title(world):
    spring_of_2024(world)
    content = to_xlsx(old_xuan_ai_report(world))
    teams = sheet_rows(content, "Các tổ")
    assert teams[0][0] == "Hoạt động của Xã Xuân Ái — Quý 2/2024"
    assert teams[3][:4] == ("Tổ", "Thành viên", "Nữ", "Dân tộc thiểu số")
    assert teams[4][0] == "Tổ Chuyển đổi số cộng đồng xã Xuân Ái"  # the figures right under their headings
    assert teams[-1] == ("Tổng cộng", 3, 1, 3, 3, 50, 17, 0)
    kinds = sheet_rows(content, "Theo hoạt động")
    assert kinds[3] == ("Loại hoạt động", "Số lượt hoạt động", "Người dân được hỗ trợ", "Hộ gia đình được hỗ trợ")
    assert kinds[4:] == [("Hướng dẫn kích hoạt VNeID mức 2", 3, 50, 17)]
    assert "Hoạt động" not in load_workbook(io.BytesIO(content)).sheetnames  # a commune report lists no activities


def test_a_teams_workbook_lists_its_activities_with_their_dates(world):
    spring_of_2024(world)
    content = to_xlsx(team_report(world.khe_dua, parse_period("2024Q2"), snapshot_on(JUNE)))
    sheet = load_workbook(io.BytesIO(content))["Hoạt động"]
    activities = list(sheet.iter_rows(min_row=5, values_only=True))
    assert [(row[0].date(), row[2], row[3]) for row in activities] == [(datetime.date(2024, 4, 2), "Thôn Khe Dứa", 12)]
    assert sheet.cell(row=5, column=1).number_format == "DD/MM/YYYY"
    assert sheet.freeze_panes == "A5"


def test_the_team_pdf_says_how_many_members_women_and_minorities_in_words(world):
    spring_of_2024(world)
    text = pdf_text(to_pdf(team_report(world.khe_dua, parse_period("2024Q2"), snapshot_on(JUNE))))
    assert "BÁO CÁO" in text and "quý II năm 2024" in text
    assert "Tổ có 2 thành viên, trong đó 1 nữ và 2 người dân tộc thiểu số" in text
    assert "1 lượt hoạt động" in text and "12 lượt người dân và 6 lượt hộ gia đình" in text
    assert "Giàng A Páo" in text and "TỔ TRƯỞNG" in text


def test_the_commune_pdf_is_signed_for_the_peoples_committee_and_counts_people_once(world):
    spring_of_2024(world)
    text = pdf_text(to_pdf(old_xuan_ai_report(world)))
    assert "ỦY BAN NHÂN DÂN XÃ XUÂN ÁI" in text and "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in text
    assert "có 3 Tổ chuyển đổi số cộng đồng hoạt động trong kỳ, với 3 thành viên" in text
    assert "3 lượt hoạt động" in text and "50 lượt người dân" in text


def test_a_quiet_period_says_so_in_the_pdf(world):
    text = pdf_text(to_pdf(team_report(world.khe_dua, parse_period("202302"), snapshot_on(JUNE))))
    assert "Trong kỳ chưa ghi nhận hoạt động nào trên hệ thống." in text


@pytest.mark.parametrize(
    "name, short",
    [("Xã Xuân Ái", "Xuân Ái"), ("Phường Yên Ninh", "Yên Ninh"), ("Đặc khu Lý Sơn", "Lý Sơn"), ("Ba Vì", "Ba Vì")],
)
def test_the_place_line_drops_the_type_word(name, short):
    assert short_place_name(name) == short


def test_a_report_on_a_team_whose_place_did_not_exist_on_the_structure_date_is_not_an_error(world):
    # A village founded by the reform has no unit standing for it in 2024: the report still opens.
    village = make_unit(world.tree.new_xuan_ai, "04441-70", "Làng Mới", "thon", valid_from=REFORM)
    team = make_team(village, founded_on=datetime.date(2025, 8, 1))
    client = web_client(make_user("province_admin", world.tree.lao_cai))
    for file_format in ("", "xlsx", "pdf"):
        response = client.get(
            "/teams/reports/", {"team": team.pk, "period": "2025Q3", "format": file_format, "as_of": "2024-06-01"}
        )
        assert response.status_code == 200, file_format


def test_a_report_without_a_commune_or_a_team_asks_for_one(world):
    client = web_client(make_user("commune_officer", world.tree.xuan_ai))
    page = client.get("/teams/reports/", {"period": "2024Q2", "as_of": "2024-06-01"})
    assert page.status_code == 200 and page.context["report"] is None
    assert "Hãy chọn một xã, hoặc mở báo cáo từ trang của một tổ." in page.content.decode()


def test_an_absurd_team_number_is_not_found_not_a_server_error(world):
    client = web_client(make_user("commune_officer", world.tree.xuan_ai))
    response = client.get("/teams/reports/", {"team": "9" * 25, "period": "2024Q2"})
    assert response.status_code in (400, 404) or response.context["report"] is None
