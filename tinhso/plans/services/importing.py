"""Importing DHIS2 data values (idScheme=CODE): every row is checked before anything is written.

An import is planned in full first: every row is checked (element, period, unit, scope, value, report
lock) and turned into an operation or a conflict naming its row. With atomic (the default) one conflict
means nothing is written; otherwise the valid rows are written and the rest listed, as DHIS2 does.
Unchanged values are ignored, so importing the same file twice changes nothing. Reading and writing
the DHIS2 formats is exchange.py's (which calls this module; this module never imports it).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.access import unit_scope
from tinhso.core.changelog import log_bulk_create, log_bulk_update
from tinhso.core.jobs import start_job
from tinhso.core.models import Job
from tinhso.core.permissions import require
from tinhso.units.models import Unit

from .. import periods, rules, values
from ..choices import EDITABLE_REPORT_STATUSES
from ..models import DataElement, DataSet, DataValue, Report
from .common import user_or_none as _user
from .reporting import due_date_of

STRATEGIES = ("CREATE", "UPDATE", "CREATE_AND_UPDATE", "DELETE")
ALIASES = {"NEW_AND_UPDATES": "CREATE_AND_UPDATE", "NEW": "CREATE", "UPDATES": "UPDATE"}


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


# --- Planning --------------------------------------------------------------------------------


class Planner:
    def __init__(self, rows: list[Row], *, actor, strategy: str, data_set_code: str = ""):
        self.rows, self.actor, self.strategy = rows, actor, strategy
        self.result = ImportPlan()
        self.scope = unit_scope(actor, "plans.change_datavalue") if actor is not None else None
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
        self._check_rules(existing)
        return self.result

    def _check_rules(self, existing: dict) -> None:
        """Each report the import writes to is checked against its data set's blocking rules, on the values
        it would hold afterwards; a report that breaks one is a conflict on its rows and keeps its values."""
        groups: dict[tuple, list[Operation]] = {}
        for operation in self.result.operations:
            groups.setdefault((operation.data_set, operation.unit, operation.period.code), []).append(operation)
        refused: set[int] = set()
        for (data_set, unit, period), operations in groups.items():
            data_set_rules = [rule for rule in data_set.rules.all() if rule.is_blocking]
            if not data_set_rules:
                continue
            elements = dict(data_set.data_elements.values_list("pk", "code"))
            names = dict(data_set.data_elements.values_list("code", "name"))
            numbers = {
                code: existing[(pk, unit.pk, period)].number
                for pk, code in elements.items()
                if (pk, unit.pk, period) in existing
            }
            for operation in operations:
                if operation.action == "delete":
                    numbers.pop(operation.element.code, None)
                else:
                    numbers[operation.element.code] = operation.number
            violations = rules.check(data_set_rules, numbers, unit, names)
            for violation in violations:
                row = next((op.row for op in operations if op.element.code == violation.field), operations[0].row)
                self.conflict(
                    row.number, violation.field if violation.field in names else unit.code, "value", violation.message
                )
            if violations:
                refused.update(id(operation) for operation in operations)
        if refused:
            conflicted = {conflict.row for conflict in self.result.conflicts}
            dropped = [op for op in self.result.operations if id(op) in refused]
            self.result.ignored += sum(1 for op in dropped if op.row.number not in conflicted)
            self.result.operations = [op for op in self.result.operations if id(op) not in refused]

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


@dataclass
class ImportSummary:
    status: str
    strategy: str
    dry_run: bool
    atomic: bool
    counts: dict = field(default_factory=dict)
    conflicts: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "responseType": "ImportSummary",
            "status": self.status,
            "description": self.description,
            "importOptions": {"dryRun": self.dry_run, "importStrategy": self.strategy, "atomic": self.atomic},
            "importCount": self.counts,
            "conflicts": [conflict.as_dict() for conflict in self.conflicts],
        }

    @property
    def description(self) -> str:
        if self.status == "ERROR":
            return _("Nothing was imported: fix the conflicts listed and send the file again.")
        if self.dry_run:
            return _("Dry run: nothing was written; the counts say what an import would do.")
        if self.status == "WARNING":
            return _("The valid values were imported; the conflicts listed were not.")
        return _("Import completed.")


def import_data_values(
    rows: list, *, actor, strategy: str = "CREATE_AND_UPDATE", dry_run: bool = False, atomic: bool = True, data_set=""
) -> ImportSummary:
    """Import DHIS2 data values (planned above): nothing is written on a dry run, or on any conflict when atomic."""
    require(actor, "plans.add_datavalue")
    strategy = normalise_strategy(strategy)
    with transaction.atomic():
        plan = plan_import(rows, actor=actor, strategy=strategy, data_set_code=data_set)
        summary = ImportSummary("SUCCESS", strategy, dry_run, atomic)
        if plan.conflicts and atomic:
            summary.status, summary.conflicts = "ERROR", plan.conflicts
            summary.counts = {"imported": 0, "updated": 0, "ignored": len(rows), "deleted": 0}
            return summary
        actions = [operation.action for operation in plan.operations]
        summary.counts = {
            "imported": actions.count("create"),
            "updated": actions.count("update"),
            "ignored": plan.ignored + len({conflict.row for conflict in plan.conflicts}),
            "deleted": actions.count("delete"),
        }
        summary.conflicts = plan.conflicts
        summary.status = "WARNING" if plan.conflicts else "SUCCESS"
        if not dry_run:
            _write_import(plan.operations, actor)
    return summary


def _write_import(operations: list, actor) -> None:
    now, user = timezone.now(), _user(actor)
    reports = _reports_for([op for op in operations if op.action == "create"])
    created = [
        DataValue(
            report=reports[(op.data_set.pk, op.unit.pk, op.period.code)],
            data_element=op.element,
            unit=op.unit,
            period=op.period.code,
            value=op.text,
            number=op.number,
            comment=op.row.comment,
            stored_by=user,
        )
        for op in operations
        if op.action == "create"
    ]
    log_bulk_create(DataValue.objects.bulk_create(created, batch_size=1000))
    changed = []
    for op in (op for op in operations if op.action == "update"):
        before = op.existing.change_log_snapshot()
        op.existing.value, op.existing.number, op.existing.comment = op.text, op.number, op.row.comment
        op.existing.stored_by, op.existing.updated_at = user, now
        changed.append((before, op.existing))
    fields = ["value", "number", "comment", "stored_by", "updated_at"]
    DataValue.objects.bulk_update([value for _before, value in changed], fields, batch_size=1000)
    log_bulk_update(changed)
    _delete_logged([op.existing for op in operations if op.action == "delete"])


def _reports_for(operations: list) -> dict:
    wanted = {(op.data_set.pk, op.unit.pk, op.period.code): op for op in operations}
    found = {
        (report.data_set_id, report.unit_id, report.period): report
        for report in Report.objects.filter(
            unit_id__in={key[1] for key in wanted}, period__in={key[2] for key in wanted}
        )
    }
    fresh = [new_report(op) for key, op in wanted.items() if key not in found]
    created = Report.objects.bulk_create(fresh, batch_size=500)
    log_bulk_create(created)
    found.update({(report.data_set_id, report.unit_id, report.period): report for report in created})
    return found


def _delete_logged(doomed: list) -> None:
    """Queryset deletes send post_delete per object, so the change log records each value."""
    if doomed:
        DataValue.objects.filter(pk__in=[value.pk for value in doomed]).delete()


def start_data_value_import(
    file, *, actor, strategy: str = "CREATE_AND_UPDATE", dry_run: bool = False, atomic: bool = True
) -> Job:
    """Import a DHIS2 data value file (JSON or CSV) in the background; the page and the API both start it here.

    The permission and the strategy are checked at once (a refusal is immediate); the rows are read,
    checked and written by the job (plans/jobs.py), which calls import_data_values.
    """
    require(actor, "plans.add_datavalue")
    strategy = normalise_strategy(strategy)
    return start_job(
        kind="plans.import_data_values",
        title=_("Import data values: %(file)s") % {"file": file.name},
        actor=actor,
        parameters={"strategy": strategy, "dry_run": dry_run, "atomic": atomic},
        input_file=file,
    )
