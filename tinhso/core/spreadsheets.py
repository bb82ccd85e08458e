"""The one way the reports lay out an Excel table: heading lines, a bold header, the rows, the column widths."""

from collections.abc import Iterable
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font


def table_sheet(
    sheet,
    title: str,
    *,
    heading: Iterable[list] = (),
    header: list,
    rows: Iterable[list],
    widths: dict[str, float],
    freeze_header: bool = False,
) -> None:
    """Fill an empty sheet. `heading`: the rows above the header ([] is an empty line); `widths`: by column letter.
    `freeze_header` keeps the heading and the header on screen while the rows scroll."""
    sheet.title = title[:31]  # Excel refuses longer sheet names
    for line in heading:
        sheet.append(line)
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    if freeze_header:
        # By its address: asking for the cell itself would create an empty row between the header and the rows.
        sheet.freeze_panes = f"A{sheet.max_row + 1}"
    for row in rows:
        sheet.append(row)
    for column, width in widths.items():
        sheet.column_dimensions[column].width = width


def workbook_bytes(book: Workbook) -> bytes:
    output = BytesIO()
    book.save(output)
    return output.getvalue()
