"""DHIS2 dataValueSets, JSON and CSV, with codes as identifiers (idScheme=CODE): reading and export.

Reading turns a document into rows; the import service (services/importing.py) plans and writes them.
This module may call the services; the services never import it.
"""

import csv
import io
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tinhso.core.imports import UnreadableFile, csv_rows, load_json
from tinhso.units.models import Unit

from . import periods
from .models import DataSet, DataValue
from .services.importing import STRATEGIES, Row, normalise_strategy, plan_import

__all__ = ["STRATEGIES", "Row", "normalise_strategy", "plan_import"]  # kept importable from here for callers

CSV_COLUMNS = [
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


# --- Reading ---------------------------------------------------------------------------------


def read_json(body) -> tuple[list[Row], str]:
    """Rows of a dataValueSet document, and its dataSet code (blank if none)."""
    if isinstance(body, (bytes, str)):
        body = load_json(body or "{}")
    if not isinstance(body, dict) or not isinstance(body.get("dataValues", []), list):
        raise UnreadableFile(_("Send a JSON object with a “dataValues” list."))
    period, org_unit = str(body.get("period") or ""), str(body.get("orgUnit") or "")
    rows = []
    for number, item in enumerate(body.get("dataValues") or [], start=1):
        item = item if isinstance(item, dict) else {}
        rows.append(
            Row(
                number=number,
                data_element=str(item.get("dataElement") or "").strip(),
                period=str(item.get("period") or period).strip(),
                org_unit=str(item.get("orgUnit") or org_unit).strip(),
                value="" if item.get("value") is None else str(item.get("value")),
                comment=str(item.get("comment") or "")[:500],
            )
        )
    return rows, str(body.get("dataSet") or "").strip()


# What the first three columns are called in DHIS2's files, its clients and spreadsheets, once spelt
# alike (_header_word): "dataelement", "Data element", "data_element", "DataElementID", "Phần tử dữ liệu".
HEADER_WORDS = (
    {"dataelement", "de", "dataelementid", "dataelementuid", "dataelementcode", "dataelementname", "phantudulieu",
     "chitieu", "machitieu", "dulieu"},
    {"period", "pe", "periodid", "periodcode", "ky", "kybaocao", "makybaocao"},
    {"orgunit", "ou", "organisationunit", "organizationunit", "orgunitid", "orgunituid", "orgunitcode",
     "organisationunitid", "organizationunitid", "donvi", "madonvi"},
)  # fmt: skip


def _header_word(cell: str) -> str:
    """Lower case, no accents, no spaces or punctuation: 'Data Element ID' and '\ufeffdata_element' read alike."""
    text = unicodedata.normalize("NFKD", cell.replace("đ", "d").replace("Đ", "D")).casefold()
    return "".join(character for character in text if character.isalnum() and not unicodedata.combining(character))


def is_header(cells: list[str]) -> bool:
    """The first row names the columns (DHIS2 skips it by default): any of the first three cells is the name of
    its column in some spelling. No data row does: a period is never 'period', a unit code never 'orgunit'."""
    return any(
        _header_word(cell) in words for cell, words in zip(cells[: len(HEADER_WORDS)], HEADER_WORDS, strict=False)
    )


def read_csv(raw: bytes | str) -> list[Row]:
    """Rows of a DHIS2 data value CSV file (header optional, in any spelling; columns in DHIS2's order)."""
    lines = csv_rows(raw)
    start = 1
    if lines and is_header(lines[0]):
        lines, start = lines[1:], 2
    rows = []
    for offset, cells in enumerate(lines):
        if not any(cell.strip() for cell in cells):
            continue
        cells = [*cells, *[""] * (len(CSV_COLUMNS) - len(cells))]
        rows.append(
            Row(
                number=start + offset,
                data_element=cells[0].strip(),
                period=cells[1].strip(),
                org_unit=cells[2].strip(),
                value=cells[5],
                comment=cells[8][:500],
            )
        )
    return rows


# --- Export ----------------------------------------------------------------------------------


@dataclass
class ExportQuery:
    data_set: DataSet
    periods: list[periods.Period]
    units: list
    children: bool


def export_query(user, params) -> ExportQuery:
    """Read GET parameters as DHIS2 does: dataSet, period (repeated or comma-separated), orgUnit, children."""

    errors: dict[str, list[str]] = {}
    code = (params.get("dataSet") or "").strip()
    data_set = DataSet.objects.restrict(user).filter(code=code).first() if code else None
    if data_set is None:
        errors["dataSet"] = [
            _("Give the code of a data set (dataSet).")
            if not code
            else _("Unknown data set code %(code)s.") % {"code": code}
        ]
    codes = [part for raw in params.getlist("period") for part in raw.split(",") if part.strip()]
    chosen = []
    for each in codes:
        try:
            chosen.append(periods.parse(each))
        except ValidationError as error:
            errors.setdefault("period", []).extend(error.messages)
    if not codes:
        errors["period"] = [_("Give at least one period (period).")]
    unit_code = (params.get("orgUnit") or "").strip()
    units = list(Unit.objects.restrict(user).filter(code=unit_code)) if unit_code else []
    if not units:
        errors["orgUnit"] = [
            _("Give the code of a unit in your scope (orgUnit).")
            if not unit_code
            else _("Unknown unit code %(code)s.") % {"code": unit_code}
        ]
    if errors or data_set is None:
        raise ValidationError(errors)
    return ExportQuery(data_set, chosen, units, str(params.get("children", "")).lower() == "true")


def export_values(user, query: ExportQuery):
    from functools import reduce
    from operator import or_

    from django.db.models import Q

    values = DataValue.objects.restrict(user).filter(
        data_element__in=query.data_set.data_elements.all(), period__in=[each.code for each in query.periods]
    )
    if query.children:
        values = values.filter(reduce(or_, (Q(unit__path__startswith=unit.path) for unit in query.units)))
    else:
        values = values.filter(unit__in=query.units)
    return values.select_related("data_element", "unit", "stored_by").order_by(
        "period", "unit__code", "data_element__code"
    )


def as_dicts(values) -> list[dict]:
    return [
        {
            "dataElement": value.data_element.code,
            "period": value.period,
            "orgUnit": value.unit.code,
            "value": value.value,
            "comment": value.comment,
            "storedBy": value.stored_by.get_username() if value.stored_by else "",
            "lastUpdated": value.updated_at.isoformat(),
            "followup": value.is_outlier,
        }
        for value in values
    ]


def as_csv(values) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in as_dicts(values):
        writer.writerow(
            [
                row["dataElement"],
                row["period"],
                row["orgUnit"],
                "",
                "",
                row["value"],
                row["storedBy"],
                row["lastUpdated"],
                row["comment"],
                str(row["followup"]).lower(),
            ]
        )
    return buffer.getvalue()
