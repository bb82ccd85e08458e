"""The dashboard as a spreadsheet, and as a report laid out per Decree 30/2020/NĐ-CP."""

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment

from tinhso.core.documents import Document, Issuer, Signer, render_pdf
from tinhso.core.spreadsheets import table_sheet, workbook_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(dashboard, extension: str) -> str:
    return f"chi-tieu-{slugify(dashboard.unit.name)}-{dashboard.period.code}.{extension}"


def _sheet(workbook: Workbook, title: str, header: list[str], rows: list[list], first: bool = False) -> None:
    sheet = workbook.active if first else workbook.create_sheet()
    widths = dict(zip("ABCDEFGHIJKL", (6, 18, 60, 24, 14, 14, 14, 14, 14, 14, 14, 14), strict=False))
    table_sheet(sheet, title, header=header, rows=rows, widths=widths, freeze_header=True)
    for cell in sheet[1]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _number(value):
    return float(value) if value is not None else None


def indicator_rows(dashboard) -> list[list]:
    rows = []
    lines = dashboard.selected.lines if dashboard.selected else []
    for position, line in enumerate(lines, start=1):
        figure = line.figure
        achieved = {True: _("Achieved"), False: _("Not achieved")}.get(line.achieved, "")
        rows.append(
            [
                position,
                line.indicator.code,
                line.indicator.name,
                line.indicator.get_pillar_display(),
                figure.period.label() if figure.has_data else "",
                _number(figure.numerator),
                _number(figure.denominator),
                _number(figure.shown_value),
                figure.display,
                line.target_display,
                achieved,
            ]
        )
    return rows


def dashboard_workbook(dashboard) -> bytes:
    workbook = Workbook()
    _sheet(
        workbook,
        _("Indicators"),
        [
            _("No."),
            _("Code"),
            _("Indicator"),
            _("Pillar"),
            _("Data of"),
            _("Numerator"),
            _("Denominator"),
            _("Value"),
            _("As published"),
            _("Target"),
            _("Assessment"),
        ],
        indicator_rows(dashboard),
        first=True,
    )
    if dashboard.focus is not None:
        rows = [
            [position, child.code, child.name, _number(f.numerator), _number(f.denominator), f.display]
            for position, (child, f) in enumerate(dashboard.children, start=1)
        ]
        header = [_("No."), _("Code"), _("Unit"), _("Numerator"), _("Denominator"), dashboard.focus.name]
        _sheet(workbook, _("By unit"), header, rows)
    rows = [
        [r.data_set.name, r.period.code, r.expected, r.reported, r.on_time, r.rate_display] for r in dashboard.reporting
    ]
    header = [_("Data set"), _("Period"), _("Expected"), _("Reported"), _("On time"), _("Rate")]
    _sheet(workbook, _("Reporting"), header, rows)
    return workbook_bytes(workbook)


def _unbroken(words: str) -> str:
    """Keep a phrase on one line, so the authority reads “ỦY BAN NHÂN DÂN / TỈNH YÊN BÁI” as Decree 30 writes it."""
    return words.replace(" ", "\u00a0")


def _province(dashboard):
    chain = [*dashboard.ancestors, dashboard.unit]
    return chain[0]


def dashboard_pdf(dashboard) -> bytes:
    """A BÁO CÁO of the unit's People's Committee on the plan's indicators, ready to number and sign."""
    with translation.override("vi"):
        body = render_to_string("plans/documents/indicator_report.html", {"dashboard": dashboard})
        plan = dashboard.selected.plan if dashboard.selected else None
        title = _("Results of the digital transformation indicators, %(period)s") % {
            "period": dashboard.period.label().lower()
        }
        if plan is not None:
            title = _("Results of %(plan)s, %(period)s") % {
                "plan": plan.number,
                "period": dashboard.period.label().lower(),
            }
        document = Document(
            issuer=Issuer(name=f"{_unbroken('Ủy ban nhân dân')} {_unbroken(dashboard.unit.name)}"),
            number_symbol="\u00a0" * 8 + "/BC-UBND",  # the number is written in when the report is issued
            place=_province(dashboard).name.removeprefix("Tỉnh ").removeprefix("Thành phố "),
            day=timezone.localdate(),
            kind=_("REPORT"),
            title=title,
            body_html=body,
            recipients=[
                _("Digital transformation steering committee;"),
                _("Department of Science and Technology;"),
                _("Archive: VT."),
            ],
            signer=Signer(title=_("CHAIRPERSON"), authority=_("ON BEHALF OF THE PEOPLE'S COMMITTEE")),
        )
        return render_pdf(document)
