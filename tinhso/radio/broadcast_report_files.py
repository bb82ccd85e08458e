"""The monthly broadcasting report as an Excel workbook, or as a report laid out per Decree 30/2020/NĐ-CP.

The PDF is an official Vietnamese document whatever the reader's language; the workbook's headings follow
the reader's language.
"""

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from tinhso.core.documents import Document, commune_report, render_pdf
from tinhso.core.files import download_response
from tinhso.core.spreadsheets import table_sheet, workbook_bytes
from tinhso.core.text import short_date

from .broadcast_report import BroadcastReport, Line

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
TYPE_WORDS = {"xa": "xã", "phuong": "phường", "thi_tran": "thị trấn", "dac_khu": "đặc khu"}


def _header() -> list[str]:
    return [
        _("Speaker cluster"),
        _("Unit"),
        _("Emergency"),
        _("Province priority"),
        _("Commune priority"),
        _("Normal"),
        _("Relay"),
        _("Minutes on air"),
        _("Pre-empted"),
        _("Cancelled"),
        _("Failures"),
    ]


def _row(line: Line) -> list:
    return [
        line.label,
        line.unit,
        *line.plays_in_chain_order,
        line.minutes,
        line.preempted,
        line.cancelled,
        line.failures,
    ]


def to_xlsx(report: BroadcastReport) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    header = _header()
    total = [_("Total"), "", *_row(report.total)[2:]]
    table_sheet(
        sheet,
        _("Broadcasting"),
        heading=[
            [_("Broadcasting of %(commune)s — %(period)s") % _subject(report)],
            [_("Made on %(day)s") % {"day": short_date(timezone.localdate())}],
            [],
        ],
        header=header,
        rows=[*(_row(line) for line in report.lines), total],
        widths={get_column_letter(index): 32 if index <= 2 else 14 for index in range(1, len(header) + 1)},
        freeze_header=True,
    )
    for cell in sheet[sheet.max_row]:  # the total, bold like the header
        cell.font = Font(bold=True)
    return workbook_bytes(workbook)


def _subject(report: BroadcastReport) -> dict:
    return {"commune": report.commune.name, "period": report.period.label()}


def commune_title(unit) -> str:
    """'xã Xuân Ái': the unit as it reads inside a sentence of an official document."""
    word = TYPE_WORDS.get(unit.unit_type, "")
    name = unit.name
    if word and not name.lower().startswith(word):
        return f"{word} {name}"
    return name[:1].lower() + name[1:]


def to_document(report: BroadcastReport) -> Document:
    commune = commune_title(report.commune)
    month = report.period.start
    body = render_to_string("radio/report_decree30_body.html", {"report": report, "commune": commune})
    return commune_report(
        commune=commune,
        place=report.commune.name,
        day=timezone.localdate(),
        title=f"Kết quả hoạt động truyền thanh cơ sở tháng {month.month}/{month.year}",
        body_html=body,
        recipients=["Phòng Văn hóa - Xã hội (b/c);", "Trung tâm Chuyển đổi số tỉnh (b/c);", "Lưu: VT."],
    )


def to_pdf(report: BroadcastReport) -> bytes:
    with translation.override("vi"):
        return render_pdf(to_document(report))


def report_file(report: BroadcastReport, file_format: str) -> HttpResponse:
    content = to_xlsx(report) if file_format == "xlsx" else to_pdf(report)
    name = f"bao-cao-truyen-thanh-{report.commune.code}-{report.period.code}.{file_format}"
    return download_response(content, name, CONTENT_TYPES[file_format])
