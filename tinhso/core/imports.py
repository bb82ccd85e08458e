"""Reading spreadsheets for imports: validate every row first, write nothing if any row is bad."""

import csv
import datetime
import io
import json
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from .text import clean_text, fold


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


class ImportRejected(Exception):
    """Some rows are bad: nothing was written. `errors` lists every bad row with its reason."""

    def __init__(self, errors: list[RowError], *, details: dict | None = None):
        self.errors = errors
        self.details = details or {}  # more for a job's result (e.g. the DHIS2 import summary)
        rows = len({error.row for error in errors})
        super().__init__(
            ngettext(
                "%(count)d row has errors; nothing was imported.",
                "%(count)d rows have errors; nothing was imported.",
                rows,
            )
            % {"count": rows}
        )

    def as_list(self) -> list[dict]:
        return [error.as_dict() for error in self.errors]


class UnreadableFile(ImportRejected):
    def __init__(self, message: str):
        super().__init__([RowError(row=0, column="", message=message)])
        self.args = (message,)


def read_table(uploaded, columns: dict[str, tuple[str, ...]], required: tuple[str, ...] = ()) -> list[dict]:
    """Rows of an .xlsx or .csv file as dicts keyed by canonical column names.

    `columns` maps each canonical name to the header spellings accepted (Vietnamese and
    English, compared without accents). Each row dict carries its spreadsheet row number in "_row".
    """
    raw = uploaded.read()
    name = getattr(uploaded, "name", "") or ""
    table = _xlsx_rows(raw) if name.lower().endswith((".xlsx", ".xlsm")) or raw[:2] == b"PK" else _csv_rows(raw)
    if not table:
        raise UnreadableFile(_("The file is empty."))
    header = [_canonical(cell, columns) for cell in table[0]]
    missing = [name for name in required if name not in header]
    if missing:
        raise UnreadableFile(_("Missing columns: %(columns)s") % {"columns": ", ".join(columns[m][0] for m in missing)})
    rows, errors = [], []
    for number, cells in enumerate(table[1:], start=2):
        if not any(str(cell or "").strip() for cell in cells):
            continue
        row = {key: _clean(cells[index]) if index < len(cells) else "" for index, key in enumerate(header) if key}
        for key, value in row.items():
            try:
                row[key] = clean_text(value) if isinstance(value, str) else value
            except ValidationError as error:
                errors.append(RowError(row=number, column=columns[key][0], message=error.messages[0]))
        row["_row"] = number
        rows.append(row)
    if errors:
        raise ImportRejected(errors)
    return rows


def _canonical(cell, columns: dict[str, tuple[str, ...]]) -> str | None:
    wanted = fold(str(cell or ""))
    for key, spellings in columns.items():
        if wanted in {fold(spelling) for spelling in spellings} | {key}:
            return key
    return None


def _clean(value):
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if value is not None else ""


def _xlsx_rows(raw: bytes) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:
        raise UnreadableFile(_("The file could not be read as an Excel workbook.")) from error
    sheet = workbook.worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _csv_rows(raw: bytes) -> list[list]:
    return csv_rows(raw, sniff=True)


def decode_text(raw: bytes | str) -> str:
    """Text of an uploaded file: UTF-8 (with or without BOM), else the Vietnamese Windows code page."""
    if isinstance(raw, str):
        return raw
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("The file is not UTF-8 text, CSV or Excel."))


def csv_rows(raw: bytes | str, *, sniff: bool = False) -> list[list[str]]:
    """Every row of a CSV file. A lone carriage return ends a line (old spreadsheets write them); anything
    the csv module cannot read (NUL bytes, a field too long) is an UnreadableFile naming the line."""
    text = decode_text(raw)
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    if sniff:
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        return list(reader)
    except csv.Error as error:
        raise UnreadableFile(
            _("The CSV file cannot be read at line %(line)d.") % {"line": reader.line_num + 1}
        ) from error


# Deeper than any document the platform reads; deeper still and json would exhaust Python's stack.
MAX_JSON_DEPTH = 32


def load_json(raw: bytes | str):
    """A JSON document sent by a client, refused (UnreadableFile) when invalid or nested too deep."""
    try:
        document = json.loads(raw)
    except RecursionError as error:
        raise UnreadableFile(_("The JSON document is nested too deeply.")) from error
    except (ValueError, UnicodeDecodeError) as error:
        raise UnreadableFile(_("The body is not valid JSON.")) from error
    if _depth(document) > MAX_JSON_DEPTH:
        raise UnreadableFile(_("The JSON document is nested too deeply."))
    return document


def _depth(document) -> int:
    deepest, pending = 0, [(document, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_JSON_DEPTH:
                pending.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def cell_date(value, default: datetime.date | None = None) -> datetime.date | None:
    """A date from a spreadsheet cell: a real date, or text as 27/3/2024, 2024-03-27 or 27-03-2024.
    An empty cell gives `default`; anything else None (the caller reports the row)."""
    if value in (None, ""):
        return default
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(str(value).strip(), pattern).date()
        except ValueError:
            continue
    return None
