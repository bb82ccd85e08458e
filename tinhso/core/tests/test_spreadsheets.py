"""The reports' Excel tables, read back as a reader's spreadsheet program would."""

import io

from openpyxl import Workbook, load_workbook

from tinhso.core.spreadsheets import table_sheet, workbook_bytes


def a_table(**options) -> bytes:
    book = Workbook()
    table_sheet(
        book.active,
        "Kết quả hoạt động của các tổ công nghệ số cộng đồng",
        heading=[["Xã Khánh Hòa", "Tháng 10/2026"], []],
        header=["Tổ", "Thành viên", "Hoạt động"],
        rows=([name, members, activities] for name, members, activities in [("Khe Dứa", 12, 3), ("Bản Mạ", 9, 0)]),
        widths={"A": 40, "C": 14},
        **options,
    )
    return workbook_bytes(book)


def read_back(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def test_the_sheet_reads_back_with_its_heading_bold_header_rows_and_widths():
    sheet = read_back(a_table())

    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Xã Khánh Hòa", "Tháng 10/2026", None],
        [None, None, None],
        ["Tổ", "Thành viên", "Hoạt động"],
        ["Khe Dứa", 12, 3],
        ["Bản Mạ", 9, 0],
    ]
    assert [cell.font.b for cell in sheet[3]] == [True, True, True]
    assert not any(cell.font.b for cell in sheet[4])
    assert (sheet.column_dimensions["A"].width, sheet.column_dimensions["C"].width) == (40, 14)
    assert sheet.freeze_panes is None


def test_a_long_title_is_cut_to_what_excel_accepts():
    assert read_back(a_table()).title == "Kết quả hoạt động của các tổ cô"


def test_a_frozen_header_stays_on_screen_without_an_empty_row_below_it():
    sheet = read_back(a_table(freeze_header=True))

    assert sheet.freeze_panes == "A4"
    assert sheet["A4"].value == "Khe Dứa"
