"""The one write path of plans, indicators, reports and tasks: pages, API, jobs and the seed call these."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.permissions import require
from tinhso.core.text import short_date
from tinhso.units.models import Unit

from . import display, expressions, periods, rollups, values
from .choices import REPORTED_STATUSES, Comparison, ReportStatus, TaskEventKind, TaskStatus
from .models import DataSet, DataValue, Evidence, Plan, Report, Target, Task, TaskEvent, TaskUpdate
from .models.planning import TASK_FIELDS

HISTORY_PERIODS = 12


# --- Reports -------------------------------------------------------------------------------


def due_date_of(data_set: DataSet, period: periods.Period) -> datetime.date:
    return period.end + datetime.timedelta(days=data_set.due_days)


def check_reporting_unit(data_set: DataSet, unit: Unit, period: periods.Period) -> None:
    if period.kind != data_set.period_type:
        raise ValidationError(
            _("%(data_set)s is reported %(kind)s; %(period)s is not such a period.")
            % {"data_set": data_set.name, "kind": data_set.get_period_type_display().lower(), "period": period.code}
        )
    if unit.level != data_set.unit_level:
        raise ValidationError(
            _("%(unit)s does not report %(data_set)s.") % {"unit": unit.name, "data_set": data_set.name}
        )
    if not unit.is_valid_on(period.end):
        raise ValidationError(
            _("%(unit)s did not exist at the end of %(period)s.") % {"unit": unit.name, "period": period.label()}
        )


@transaction.atomic
def open_report(data_set: DataSet, unit: Unit, period_code: str, *, actor) -> Report:
    """The report of a unit for a period, opened (as a draft, with its due date) if it was not yet."""
    period = periods.parse(period_code)
    check_reporting_unit(data_set, unit, period)
    existing = Report.objects.filter(data_set=data_set, unit=unit, period=period.code).first()
    if existing is not None:
        return existing
    require(actor, "plans.change_report", unit)
    if period.start > timezone.localdate():
        raise ValidationError(_("%(period)s has not begun yet.") % {"period": period.label()})
    report = Report(data_set=data_set, unit=unit, period=period.code, due_date=due_date_of(data_set, period))
    report.full_clean(validate_unique=False, validate_constraints=False)
    report.save()
    return report


def open_due_reports(day: datetime.date | None = None) -> int:
    """Open, for every active data set, the report of each unit for the last period that ended (scheduled daily)."""
    day = day or timezone.localdate()
    opened = 0
    for data_set in DataSet.objects.active():
        period = periods.latest_ended(day, data_set.period_type)
        opened += _open_for_all(data_set, period)
    return opened


@transaction.atomic
def _open_for_all(data_set: DataSet, period: periods.Period) -> int:
    from tinhso.core.changelog import log_bulk_create

    units = Unit.objects.valid_on(period.end).filter(level=data_set.unit_level)
    taken = set(Report.objects.filter(data_set=data_set, period=period.code).values_list("unit_id", flat=True))
    due = due_date_of(data_set, period)
    fresh = [
        Report(data_set=data_set, unit_id=unit_id, period=period.code, due_date=due)
        for unit_id in units.exclude(pk__in=taken).values_list("pk", flat=True)
    ]
    created = Report.objects.bulk_create(fresh, batch_size=500)
    log_bulk_create(Report.objects.filter(pk__in=[report.pk for report in created]).select_related("unit", "data_set"))
    return len(created)


def _locked_message(report: Report) -> str:
    if report.status == ReportStatus.APPROVED:
        return _("This report was approved and is locked; it can be changed only after the unit above returns it.")
    return _("This report was submitted and awaits approval; ask the unit above to return it to change it.")


def require_editable(report: Report) -> None:
    if not report.is_editable:
        raise ValidationError(_locked_message(report))


@dataclass
class SaveResult:
    saved: int = 0
    removed: int = 0
    outliers: list[str] = field(default_factory=list)


@transaction.atomic
def save_report_values(report: Report, entries: dict[str, tuple], *, actor, localized: bool = True) -> SaveResult:
    """Store the values typed for a report: {element code: (raw value, comment)}. Any bad value: nothing saved."""
    report = Report.objects.select_for_update(of=("self",)).select_related("unit", "data_set").get(pk=report.pk)
    require(actor, "plans.change_report", report)
    require_editable(report)
    elements = {element.code: element for element in report.data_set.data_elements.all()}
    parsed, errors = {}, {}
    for code, (raw, comment) in entries.items():
        if code not in elements:
            errors[code] = [_("%(code)s is not part of this report.") % {"code": code}]
            continue
        try:
            parsed[code] = (
                (*values.parse(elements[code], raw, localized=localized), comment) if str(raw).strip() else None
            )
        except ValidationError as error:
            errors[code] = error.messages
    if errors:
        raise ValidationError(errors)
    return _store(report, elements, parsed, actor)


def _store(report: Report, elements: dict, parsed: dict, actor) -> SaveResult:
    result = SaveResult()
    existing = {value.data_element.code: value for value in report.values.select_related("data_element")}
    history = _history(report, [elements[code].pk for code in parsed])
    for code, entry in parsed.items():
        current = existing.get(code)
        if entry is None:
            if current is not None:
                current.delete()
                result.removed += 1
            continue
        text, number, comment = entry
        if current is not None and (current.value, current.comment) == (text, comment or ""):
            continue
        value = current or DataValue(report=report, data_element=elements[code], unit=report.unit, period=report.period)
        value.value, value.number, value.comment, value.stored_by = text, number, comment or "", _user(actor)
        value.is_outlier = values.is_outlier(number, history.get(elements[code].pk, []))
        value.save()
        result.saved += 1
        if value.is_outlier:
            result.outliers.append(elements[code].name)
    return result


def _history(report: Report, element_ids: list[int]) -> dict[int, list[Decimal]]:
    """The unit's approved values of earlier periods, per element (for spotting unusual values)."""
    period = periods.parse(report.period)
    earlier = [periods.previous(period, step).code for step in range(1, HISTORY_PERIODS + 1)]
    found: dict[int, list[Decimal]] = {}
    rows = DataValue.objects.filter(
        unit=report.unit, data_element_id__in=element_ids, period__in=earlier, number__isnull=False
    ).values_list("data_element_id", "number")
    for element_id, number in rows:
        found.setdefault(element_id, []).append(number)
    return found


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def _check_complete(report: Report) -> None:
    present = set(report.values.values_list("data_element_id", flat=True))
    missing = [
        member.data_element.name
        for member in report.data_set.members.select_related("data_element")
        if member.is_required and member.data_element_id not in present
    ]
    if missing:
        raise ValidationError(_("These values are still missing: %(names)s.") % {"names": "; ".join(missing)})


def rule_failures(report: Report) -> list[str]:
    numbers = dict(report.values.values_list("data_element__code", "number"))
    failures = []
    for rule in report.data_set.rules.all():
        left, right = _side(rule.left, numbers), _side(rule.right, numbers)
        if left is None or right is None:
            continue
        if not _holds(left, rule.operator, right):
            failures.append(
                _("%(rule)s: %(left)s is not %(comparison)s %(right)s.")
                % {
                    "rule": rule.name,
                    "left": display.whole(left),
                    "comparison": Comparison(rule.operator).label,
                    "right": display.whole(right),
                }
            )
    return failures


def _side(text: str, numbers: dict) -> Decimal | None:
    node = expressions.parse(text)
    if any(ref.kind == "#" and numbers.get(ref.name) is None for ref in expressions.references(node)):
        return None  # a value the rule needs is empty: the completeness check speaks for it

    def resolve(reference):
        if reference.kind == "C":
            return Decimal(1 if numbers.get(reference.name) is not None else 0)
        return Decimal(numbers.get(reference.name) or 0)

    return expressions.evaluate(node, resolve)


def _holds(left: Decimal, operator: str, right: Decimal) -> bool:
    from .figures import COMPARE

    return COMPARE[operator](left, right)


@transaction.atomic
def submit_report(report: Report, *, actor) -> Report:
    report = Report.objects.select_for_update(of=("self",)).select_related("unit", "data_set").get(pk=report.pk)
    require(actor, "plans.submit_report", report)
    require_editable(report)
    _check_complete(report)
    failures = rule_failures(report)
    if failures:
        raise ValidationError(failures)
    now = timezone.now()
    report.status, report.submitted_at, report.submitted_by = ReportStatus.SUBMITTED, now, _user(actor)
    report.first_submitted_at = report.first_submitted_at or now
    report.save()
    return report


def approver_unit(report: Report) -> Unit:
    """Reports are approved by the unit above; a province's own report by the province."""
    return report.unit.parent or report.unit


def _require_approver(report: Report, actor) -> None:
    require(actor, "plans.approve_report", approver_unit(report))
    if actor is not None and report.submitted_by_id == actor.pk:
        raise PermissionDenied(_("The person who submitted a report cannot approve or return it."))


@transaction.atomic
def approve_report(report: Report, *, actor) -> Report:
    """Approve and lock a submitted report; its values count on dashboards from this moment."""
    report = Report.objects.select_for_update(of=("self",)).select_related("unit__parent", "data_set").get(pk=report.pk)
    _require_approver(report, actor)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be approved."))
    report.status, report.decided_at, report.decided_by = ReportStatus.APPROVED, timezone.now(), _user(actor)
    report.return_reason = ""
    report.save()
    report.values.update(is_approved=True)
    rollups.apply(report)
    return report


@transaction.atomic
def return_report(report: Report, *, actor, reason: str) -> Report:
    """Send a submitted or approved report back for correction, with the reason; it is unlocked."""
    report = Report.objects.select_for_update(of=("self",)).select_related("unit__parent", "data_set").get(pk=report.pk)
    _require_approver(report, actor)
    if report.status not in REPORTED_STATUSES:
        raise ValidationError(_("Only a submitted or approved report can be returned."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say what needs correcting.")]})
    if report.status == ReportStatus.APPROVED:
        rollups.remove(report)
        report.values.update(is_approved=False)
    report.status, report.decided_at, report.decided_by = ReportStatus.RETURNED, timezone.now(), _user(actor)
    report.return_reason = reason.strip()
    report.save()
    return report


# --- Evidence --------------------------------------------------------------------------------

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


@transaction.atomic
def add_evidence(
    *, actor, file, title: str, data_value=None, task_update=None, document_number="", document_date=None
) -> Evidence:
    owner = data_value.unit if data_value is not None else task_update.task.unit
    evidence = Evidence(
        unit=owner,
        data_value=data_value,
        task_update=task_update,
        file=file,
        title=(title or getattr(file, "name", "")).strip()[:255],
        document_number=document_number.strip(),
        document_date=document_date,
        uploaded_by=_user(actor),
    )
    require(actor, "plans.add_evidence", evidence)
    if data_value is not None:
        require_editable(data_value.report)
    if getattr(file, "size", 0) > MAX_EVIDENCE_BYTES:
        raise ValidationError({"file": [_("A file may be at most 20 MB.")]})
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def delete_evidence(evidence: Evidence, *, actor) -> None:
    require(actor, "plans.delete_evidence", evidence)
    if evidence.data_value is not None:
        require_editable(evidence.data_value.report)
    evidence.file.delete(save=False)
    evidence.delete()


# --- Plans and targets -----------------------------------------------------------------------


@transaction.atomic
def save_plan(plan: Plan, *, actor) -> Plan:
    require(actor, "plans.change_plan" if plan.pk else "plans.add_plan", plan)
    plan.full_clean()
    if plan.end_date < plan.start_date:
        raise ValidationError({"end_date": [_("The end date must not be before the start date.")]})
    plan.save()
    return plan


@transaction.atomic
def save_target(target: Target, *, actor) -> Target:
    require(actor, "plans.change_target" if target.pk else "plans.add_target", target)
    periods.parse(target.period)
    target.full_clean()
    target.save()
    return target


# --- Tasks -----------------------------------------------------------------------------------


def missing_clarities(task: Task) -> dict[str, list[str]]:
    """The "5 rõ" a task lacks, each named in the user's language: {field: [message]}."""
    missing: dict[str, list[str]] = {}

    def lack(field_name: str, message: str) -> None:
        missing.setdefault(field_name, []).append(message)

    if not task.title.strip():
        lack("title", _("Clear task (rõ việc): say what is to be done."))
    if task.owner_organisation_id is None:
        lack("owner_organisation", _("Clear owner (rõ người): choose the lead organisation."))
    if not task.responsible_person.strip():
        lack("responsible_person", _("Clear owner (rõ người): name the person responsible."))
    if task.start_date is None:
        lack("start_date", _("Clear time (rõ thời gian): give the start date."))
    if task.due_date is None:
        lack("due_date", _("Clear time (rõ thời gian): give the due date."))
    elif task.start_date and task.start_date > task.due_date:
        lack("due_date", _("Clear time (rõ thời gian): the due date is before the start date."))
    if not task.expected_output.strip():
        lack("expected_output", _("Clear output (rõ sản phẩm): describe the expected output."))
    if task.budget_vnd is None:
        lack("budget_vnd", _("Clear resources (rõ nguồn lực): give the budget in VND (0 if none is needed)."))
    if not task.budget_source:
        lack("budget_source", _("Clear resources (rõ nguồn lực): choose the source of the budget."))
    if not task.staffing.strip():
        lack("staffing", _("Clear resources (rõ nguồn lực): say who will do the work."))
    return missing


def _check_five_clarities(task: Task) -> None:
    missing = missing_clarities(task)
    if missing:
        summary = _("The task is not yet “5 rõ”; missing: %(fields)s.") % {
            "fields": "; ".join(message for messages in missing.values() for message in messages)
        }
        raise ValidationError({**missing, "non_field_errors": [summary]})


def _place_task(task: Task) -> None:
    """A task belongs to its lead organisation's unit, which must lie within the plan's unit."""
    plan_unit = task.plan.unit
    task.unit = task.owner_organisation.unit if task.owner_organisation is not None else plan_unit
    if not task.unit.path.startswith(plan_unit.path):
        raise ValidationError(
            {"owner_organisation": [_("The lead organisation must belong to %(unit)s.") % {"unit": plan_unit.name}]}
        )
    if task.parent is not None and task.parent.plan_id != task.plan_id:
        raise ValidationError({"parent": [_("A sub-task must belong to the same plan.")]})


def _validate_task(task: Task) -> None:
    _place_task(task)
    task.full_clean(exclude=["unit"], validate_constraints=False)
    if task.status != TaskStatus.DRAFT:
        _check_five_clarities(task)


@transaction.atomic
def create_task(*, actor, data: dict, indicators=(), publish: bool = True) -> Task:
    """Create a task; published at once unless `publish` is False (a draft may lack clarities)."""
    task = Task(**{name: value for name, value in data.items() if name in TASK_FIELDS})
    task.status = TaskStatus.IN_PROGRESS if publish else TaskStatus.DRAFT
    _validate_task(task)
    require(actor, "plans.add_task", task.plan)
    require(actor, "plans.add_task", task)
    if publish:
        require(actor, "plans.publish_task", task)
        task.published_at = timezone.now()
    task.save()
    task.indicators.set(indicators)
    return task


@transaction.atomic
def update_task(task: Task, *, actor, changes: dict, indicators=None) -> Task:
    require(actor, "plans.change_task", task)
    unknown = set(changes) - set(TASK_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in changes.items():
        setattr(task, name, value)
    _validate_task(task)
    require(actor, "plans.change_task", task)
    task.is_overdue = task.days_late() > 0
    task.save()
    if indicators is not None:
        task.indicators.set(indicators)
    return task


@transaction.atomic
def publish_task(task: Task, *, actor) -> Task:
    require(actor, "plans.publish_task", task)
    if task.status != TaskStatus.DRAFT:
        raise ValidationError(_("Only a draft task can be published."))
    task.status, task.published_at = TaskStatus.IN_PROGRESS, timezone.now()
    _validate_task(task)
    task.is_overdue = task.days_late() > 0
    task.save()
    return task


def _require_reporter(task: Task, actor) -> None:
    """Progress is reported by whoever may change the task, the lead organisation's staff or the person responsible."""
    require(actor, "plans.add_taskupdate", task)
    if actor is None or actor.has_perm("plans.change_task", task):
        return
    if task.owner_organisation_id and actor.organisation_id == task.owner_organisation_id:
        return
    if task.responsible_user_id == actor.pk:
        return
    raise PermissionDenied(_("Only the lead organisation or the person responsible reports progress on this task."))


@transaction.atomic
def post_task_update(task: Task, *, actor, progress: int, note: str, status: str | None = None) -> TaskUpdate:
    task = Task.objects.select_for_update(of=("self",)).select_related("unit").get(pk=task.pk)
    _require_reporter(task, actor)
    if task.status == TaskStatus.DRAFT:
        raise ValidationError(_("Publish the task before reporting progress on it."))
    status = status or (TaskStatus.COMPLETED if progress == 100 else TaskStatus.IN_PROGRESS)
    if status == TaskStatus.COMPLETED:
        progress = 100
    update = TaskUpdate(task=task, progress=progress, status=status, note=note.strip(), reported_by=_user(actor))
    update.full_clean()
    update.save()
    _apply_progress(task, progress, status)
    return update


def _apply_progress(task: Task, progress: int, status: str) -> None:
    task.progress, task.status = progress, status
    task.completed_on = timezone.localdate() if status == TaskStatus.COMPLETED else None
    task.is_overdue = task.days_late() > 0
    task.save()
    if task.parent_id:
        _roll_up(Task.objects.select_for_update(of=("self",)).get(pk=task.parent_id))


def _roll_up(parent: Task) -> None:
    """A parent's progress is the mean of its sub-tasks'; it is completed when they all are."""
    children = list(parent.subtasks.exclude(status=TaskStatus.CANCELLED).values_list("progress", "status"))
    if not children:
        return
    progress = round(sum(each for each, _status in children) / len(children))
    done = all(status == TaskStatus.COMPLETED for _progress, status in children)
    status = TaskStatus.COMPLETED if done else (parent.status if parent.status != TaskStatus.COMPLETED else "")
    _apply_progress(parent, progress, status or TaskStatus.IN_PROGRESS)


def flag_overdue_tasks(day: datetime.date | None = None) -> int:
    """Mark tasks past their due date (scheduled daily) and note the day each became overdue."""
    day = day or timezone.localdate()
    late = list(Task.objects.overdue(day).filter(is_overdue=False))
    with transaction.atomic():
        Task.objects.filter(pk__in=[task.pk for task in late]).update(is_overdue=True)
        Task.objects.exclude(pk__in=Task.objects.overdue(day).values("pk")).filter(is_overdue=True).update(
            is_overdue=False
        )
        TaskEvent.objects.bulk_create(
            [TaskEvent(task=task, kind=TaskEventKind.OVERDUE, day=day) for task in late], ignore_conflicts=True
        )
    return len(late)


def send_due_reminders(day: datetime.date | None = None) -> int:
    """Note a reminder for every open task due in exactly seven days (scheduled daily)."""
    day = day or timezone.localdate()
    due = Task.objects.open().filter(due_date=day + datetime.timedelta(days=7))
    due = due.exclude(events__kind=TaskEventKind.REMINDER, events__day=day)
    events = [TaskEvent(task=task, kind=TaskEventKind.REMINDER, day=day) for task in due]
    TaskEvent.objects.bulk_create(events, ignore_conflicts=True)
    return len(events)


def describe_due(task: Task, day: datetime.date | None = None) -> str:
    day = day or timezone.localdate()
    if task.due_date is None:
        return ""
    late = task.days_late(day)
    if late:
        return _("%(days)d days late (due %(date)s)") % {"days": late, "date": short_date(task.due_date)}
    return _("due %(date)s") % {"date": short_date(task.due_date)}


# --- Exchange with DHIS2 ---------------------------------------------------------------------


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
    """Import DHIS2 data values (see exchange.py): nothing is written on a dry run, or on any conflict when atomic."""
    from . import exchange

    require(actor, "plans.add_datavalue")
    strategy = exchange.normalise_strategy(strategy)
    with transaction.atomic():
        plan = exchange.plan_import(rows, actor=actor, strategy=strategy, data_set_code=data_set)
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
    from tinhso.core.changelog import log_bulk_create, log_bulk_update

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
    from tinhso.core.changelog import log_bulk_create

    from .exchange import new_report

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


# --- Scoring ---------------------------------------------------------------------------------


def score_subjects(criteria_set, period: str, *, actor) -> list:
    """Score every commune, district or department a plans criteria set covers, for `period`."""
    from tinhso.scoring import services as scoring

    from . import ranking

    if criteria_set.subject_kind not in ranking.SUBJECT_KINDS:
        raise ValidationError(_("This criteria set does not score plans subjects."))
    periods.parse(period)
    subjects = ranking.subjects_for(criteria_set, period)
    return scoring.evaluate(criteria_set, period, subjects, ranking.provide_inputs, actor=actor)
