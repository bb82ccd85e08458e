"""A report as an Excel workbook, or as an administrative report laid out per Decree 30/2020/NĐ-CP.

The PDF is an official Vietnamese document whatever the reader's language; the workbook's
headings follow the reader's language.
"""

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from tinhso.core.documents import BLANK_NUMBER, Document, Issuer, Signer, commune_report, render_pdf
from tinhso.core.spreadsheets import table_sheet, workbook_bytes
from tinhso.core.text import short_date

from .reports import ActivityReport, Line

# The number is given when the document is registered: leave room to write it by hand.
TYPE_WORDS = ("Xã ", "Phường ", "Thị trấn ", "Đặc khu ")


def _figures(line: Line) -> list:
    return [
        line.members,
        line.women,
        line.minorities,
        line.activities,
        line.people,
        line.households,
        line.with_evidence,
    ]


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list], intro: list[str]):
    sheet = workbook.create_sheet()
    widths = {get_column_letter(index): 48 if index == 1 else 14 for index in range(1, len(header) + 1)}
    heading = [*([text] for text in intro), []]
    table_sheet(sheet, title, heading=heading, header=header, rows=rows, widths=widths, freeze_header=True)
    return sheet


def _figure_names() -> list[str]:
    return [
        _("Members"),
        _("Women"),
        _("Ethnic minorities"),
        _("Activities"),
        _("People reached"),
        _("Households reached"),
        _("With evidence"),
    ]


def _teams_sheet(workbook: Workbook, report: ActivityReport, intro: list[str]) -> None:
    rows = [[line.label, *_figures(line)] for line in report.teams] + [[_("Total"), *_figures(report.total)]]
    _sheet(workbook, _("Teams"), [_("Team"), *_figure_names()], rows, intro)


def _kinds_sheet(workbook: Workbook, report: ActivityReport, intro: list[str]) -> None:
    header = [_("Kind of activity"), _("Number of activities"), _("People reached"), _("Households reached")]
    rows = [[line.label, line.activities, line.people, line.households] for line in report.kinds]
    _sheet(workbook, _("By activity"), header, rows, intro)


def _activities_sheet(workbook: Workbook, report: ActivityReport, intro: list[str]) -> None:
    header = [_("Date"), _("Activity"), _("Village"), _("People reached"), _("Households reached"), _("What was done")]
    rows = [
        [
            a.date,
            a.activity_type.name,
            a.village.name if a.village else "",
            a.people_reached,
            a.households_reached,
            a.description,
        ]
        for a in report.activities
    ]
    sheet = _sheet(workbook, _("Activities"), header, rows, intro)
    for (cell,) in sheet.iter_rows(min_row=len(intro) + 3, min_col=1, max_col=1):
        cell.number_format = "DD/MM/YYYY"


def to_xlsx(report: ActivityReport) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    intro = [
        _("Field activities of %(subject)s — %(period)s")
        % {"subject": report.subject, "period": report.period.label()},
        _("Made on %(day)s") % {"day": short_date(timezone.localdate())},
    ]
    _teams_sheet(workbook, report, intro)
    _kinds_sheet(workbook, report, intro)
    if report.team is not None:
        _activities_sheet(workbook, report, intro)
    return workbook_bytes(workbook)


def short_place_name(name: str) -> str:
    for word in TYPE_WORDS:
        if name.startswith(word):
            return name[len(word) :]
    return name


def _in_sentence(name: str) -> str:
    """'Xã Xuân Ái' → 'xã Xuân Ái', as a unit's name reads inside a sentence."""
    return name[:1].lower() + name[1:]


def to_document(report: ActivityReport) -> Document:
    commune = report.commune_name or report.place.name
    body = render_to_string("teams/reports/decree30_body.html", {"report": report})
    subject = report.subject if report.team else f"các Tổ chuyển đổi số cộng đồng {_in_sentence(commune)}"
    title = f"Kết quả hoạt động của {subject} {report.period_phrase}"
    if report.team is not None:
        return Document(
            issuer=Issuer(name=report.subject.upper(), parent_name=f"UBND {commune.upper()}"),
            number_symbol=f"{BLANK_NUMBER}/BC-TCĐS",
            place=short_place_name(commune),
            day=timezone.localdate(),
            kind="BÁO CÁO",
            title=title,
            body_html=body,
            recipients=[f"UBND {_in_sentence(commune)} (b/c);", "Lưu: Tổ CĐS."],
            signer=Signer(title="TỔ TRƯỞNG", name=report.leader),
        )
    return commune_report(
        commune=commune,
        place=short_place_name(commune),
        day=timezone.localdate(),
        title=title,
        body_html=body,
        recipients=["Ban Chỉ đạo chuyển đổi số tỉnh (b/c);", "Sở Khoa học và Công nghệ (b/c);", "Lưu: VT."],
    )


def to_pdf(report: ActivityReport) -> bytes:
    with translation.override("vi"):
        return render_pdf(to_document(report))
