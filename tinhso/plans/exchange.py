"""DHIS2 dataValueSets, JSON and CSV, with codes as identifiers (idScheme=CODE).

An import is planned in full before anything is written: every row is checked (element, period,
unit, scope, value, report lock) and turned into an operation or a conflict naming its row. With
atomic (the default) one conflict means nothing is written; otherwise the valid rows are written
and the rest listed, as DHIS2 does. Unchanged values are ignored, so importing the same file twice
changes nothing.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tinhso.accounts.scope import user_scope
from tinhso.core.imports import UnreadableFile, csv_rows, load_json
from tinhso.units.models import Unit

from . import periods, values
from .choices import EDITABLE_REPORT_STATUSES
from .models import DataElement, DataSet, DataValue, Report
from .services import due_date_of

STRATEGIES = ("CREATE", "UPDATE", "CREATE_AND_UPDATE", "DELETE")
ALIASES = {"NEW_AND_UPDATES": "CREATE_AND_UPDATE", "NEW": "CREATE", "UPDATES": "UPDATE"}
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


@dataclass(frozen=True)
class Row:
    number: int  # position in dataValues (from 1) or line of the CSV file
    data_element: str
    period: str
    org_unit: str
    value: str
    comment: str = ""


@dataclass(frozen=True)
class Conflict:
    row: int
    object: str
    property: str
    message: str

    def as_dict(self) -> dict:
        return {
            "object": self.object,
            "property": self.property,
            "value": self.message,
            "row": self.row,
            "indexes": [self.row - 1] if self.row else [],
        }


@dataclass
class Operation:
    action: str  # "create", "update", "delete"
    row: Row
    element: DataElement
    data_set: DataSet
    unit: Unit
    period: periods.Period
    text: str = ""
    number: object = None
    existing: DataValue | None = None


class Refused(Exception):
    """A row that cannot be imported, and why."""

    def __init__(self, conflict: "Conflict"):
        super().__init__(conflict.message)
        self.conflict = conflict


@dataclass
class ImportPlan:
    operations: list[Operation] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    ignored: int = 0


def normalise_strategy(raw: str | None) -> str:
    strategy = (raw or "CREATE_AND_UPDATE").strip().upper()
    strategy = ALIASES.get(strategy, strategy)
    if strategy not in STRATEGIES:
        raise ValidationError(
            {"importStrategy": [_("Unknown import strategy; use one of %(names)s.") % {"names": ", ".join(STRATEGIES)}]}
        )
    return strategy


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


def read_csv(raw: bytes | str) -> list[Row]:
    """Rows of a DHIS2 data value CSV file (header optional; columns in DHIS2's order)."""
    lines = csv_rows(raw)
    start = 1
    if lines and lines[0] and lines[0][0].strip().lower().replace("_", "") in ("dataelement", "de"):
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


# --- Planning --------------------------------------------------------------------------------


class Planner:
    def __init__(self, rows: list[Row], *, actor, strategy: str, data_set_code: str = ""):
        self.rows, self.actor, self.strategy = rows, actor, strategy
        self.result = ImportPlan()
        self.scope = user_scope(actor, "plans.change_datavalue") if actor is not None else None
        self.elements = {e.code: e for e in DataElement.objects.filter(code__in={r.data_element for r in rows})}
        self.data_set = self._data_set(data_set_code)
        self.sets_of = self._sets_of()
        self.units_by_code = self._units({row.org_unit for row in rows})
        self.seen: dict[tuple, int] = {}

    def _data_set(self, code: str) -> DataSet | None:
        if not code:
            return None
        found = DataSet.objects.filter(code=code).first()
        if found is None:
            self.conflict(0, code, "dataSet", _("Unknown data set code %(code)s.") % {"code": code})
        return found

    def _sets_of(self) -> dict[int, list[DataSet]]:
        sets: dict[int, list[DataSet]] = {}
        for data_set in DataSet.objects.filter(data_elements__in=self.elements.values()).distinct():
            for element_id in data_set.members.values_list("data_element_id", flat=True):
                sets.setdefault(element_id, []).append(data_set)
        return sets

    def _units(self, codes: set[str]) -> dict[str, list]:
        from tinhso.units.models import Unit

        found: dict[str, list] = {}
        for unit in Unit.objects.filter(code__in=codes).order_by("valid_from"):
            found.setdefault(unit.code, []).append(unit)
        return found

    def conflict(self, row: int, obj: str, prop: str, message: str) -> None:
        self.result.conflicts.append(Conflict(row=row, object=obj, property=prop, message=message))

    def plan(self) -> ImportPlan:
        checked = []
        for row in self.rows:
            try:
                checked.append(self._check(row))
            except Refused as refused:
                self.result.conflicts.append(refused.conflict)
        reports, existing = self._load(checked)
        for row, element, data_set, unit, period, parsed in checked:
            self._decide(row, element, data_set, unit, period, parsed, reports, existing)
        return self.result

    def _check(self, row: Row):
        element = self.elements.get(row.data_element)
        if element is None:
            raise refuse(row.number, row.data_element, "dataElement", self._unknown_element(row))
        try:
            period = periods.parse(row.period)
        except ValidationError as error:
            raise refuse(row.number, row.period, "period", error.messages[0]) from error
        unit = self._unit(row, period)
        data_set = self._set_for(row, element, unit, period)
        parsed = self._value(row, element)
        key = (element.pk, unit.pk, period.code)
        if key in self.seen:
            message = _("Same element, unit and period as row %(row)d.") % {"row": self.seen[key]}
            raise refuse(row.number, row.data_element, "dataElement", message)
        self.seen[key] = row.number
        return row, element, data_set, unit, period, parsed

    def _unknown_element(self, row: Row) -> str:
        if not row.data_element:
            return _("The data element code is missing.")
        return _("Unknown data element code %(code)s.") % {"code": row.data_element}

    def _unit(self, row: Row, period: periods.Period):
        versions = self.units_by_code.get(row.org_unit, [])
        unit = next((each for each in versions if each.is_valid_on(period.end)), None)
        if unit is None:
            message = (
                _("Unit %(code)s did not exist at the end of %(period)s.")
                if versions
                else _("Unknown unit code %(code)s.")
            ) % {"code": row.org_unit, "period": period.label()}
            raise refuse(row.number, row.org_unit, "orgUnit", message)
        if self.scope is not None and not self.scope.covers(unit.path):
            message = _("%(unit)s is outside the units you may report for.") % {"unit": unit.name}
            raise refuse(row.number, row.org_unit, "orgUnit", message)
        return unit

    def _set_for(self, row: Row, element: DataElement, unit, period: periods.Period) -> DataSet:
        candidates = self.sets_of.get(element.pk, [])
        if self.data_set is not None:
            candidates = [each for each in candidates if each.pk == self.data_set.pk]
        fitting = [each for each in candidates if each.unit_level == unit.level and each.period_type == period.kind]
        if fitting:
            return fitting[0]
        message = _("%(element)s is not reported by %(unit)s for a period like %(period)s.") % {
            "element": element.code,
            "unit": unit.name,
            "period": period.code,
        }
        raise refuse(row.number, row.data_element, "dataElement", message)

    def _value(self, row: Row, element: DataElement):
        if self.strategy == "DELETE" or not row.value.strip():
            return ("", None)
        try:
            return values.parse(element, row.value, localized=False)
        except ValidationError as error:
            raise refuse(row.number, row.value, "value", error.messages[0]) from error

    def _load(self, checked) -> tuple[dict, dict]:
        if not checked:
            return {}, {}
        unit_ids = {item[3].pk for item in checked}
        codes = {item[4].code for item in checked}
        reports = {
            (report.data_set_id, report.unit_id, report.period): report
            for report in Report.objects.filter(unit_id__in=unit_ids, period__in=codes)
        }
        existing = {
            (value.data_element_id, value.unit_id, value.period): value
            for value in DataValue.objects.filter(unit_id__in=unit_ids, period__in=codes).select_related("report")
        }
        return reports, existing

    def _decide(self, row, element, data_set, unit, period, parsed, reports, existing) -> None:
        current = existing.get((element.pk, unit.pk, period.code))
        report = current.report if current else reports.get((data_set.pk, unit.pk, period.code))
        action = self._action(current, parsed, row)
        if action is None:
            self.result.ignored += 1
            return
        if report is not None and report.status not in EDITABLE_REPORT_STATUSES:
            message = _("The report of %(unit)s for %(period)s is %(status)s and locked.") % {
                "unit": unit.name,
                "period": period.label(),
                "status": report.get_status_display().lower(),
            }
            self.conflict(row.number, row.org_unit, "orgUnit", message)
            return
        text, number = parsed
        self.result.operations.append(Operation(action, row, element, data_set, unit, period, text, number, current))

    def _action(self, current: DataValue | None, parsed, row: Row) -> str | None:
        text, _number = parsed
        if self.strategy == "DELETE" or (not text and self.strategy != "CREATE"):
            return "delete" if current is not None else None
        if not text:
            return None
        if current is None:
            return "create" if self.strategy in ("CREATE", "CREATE_AND_UPDATE") else None
        if self.strategy == "CREATE" or (current.value, current.comment) == (text, row.comment):
            return None
        return "update"


def refuse(row: int, obj: str, prop: str, message: str) -> Refused:
    return Refused(Conflict(row=row, object=obj, property=prop, message=message))


def plan_import(rows: list[Row], *, actor, strategy: str, data_set_code: str = "") -> ImportPlan:
    return Planner(rows, actor=actor, strategy=strategy, data_set_code=data_set_code).plan()


def new_report(operation: Operation) -> Report:
    return Report(
        data_set=operation.data_set,
        unit=operation.unit,
        period=operation.period.code,
        due_date=due_date_of(operation.data_set, operation.period),
    )


# --- Export ----------------------------------------------------------------------------------


@dataclass
class ExportQuery:
    data_set: DataSet
    periods: list[periods.Period]
    units: list
    children: bool


def export_query(user, params) -> ExportQuery:
    """Read GET parameters as DHIS2 does: dataSet, period (repeated or comma-separated), orgUnit, children."""
    from tinhso.units.models import Unit

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
