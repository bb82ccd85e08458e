"""Reporting: opening reports, typing values, submitting, approving and returning, evidence."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.changelog import log_bulk_create
from tinhso.core.permissions import require
from tinhso.core.text import clean_text
from tinhso.units.models import Unit

from .. import notices, periods, rollups, rules, values
from ..choices import REPORTED_STATUSES, ReportStatus
from ..models import DataSet, DataValue, Evidence, Report
from .common import user_or_none as _user

HISTORY_PERIODS = 12


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
    warnings: list[str] = field(default_factory=list)  # rules of importance "warning" the values break


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
    violations = _violations(report, elements, parsed)
    blocking: dict[str, list[str]] = {}
    for violation in violations:
        if violation.blocking:
            blocking.setdefault(violation.field, []).append(violation.message)
    if blocking:
        raise ValidationError(blocking)
    result = _store(report, elements, parsed, actor)
    result.warnings = [violation.message for violation in violations if not violation.blocking]
    return result


def _violations(report: Report, elements: dict, parsed: dict) -> list:
    """The data set's rules checked on the values the report would hold once `parsed` is stored."""
    numbers = dict(report.values.values_list("data_element__code", "number"))
    for code, entry in parsed.items():
        if entry is None:
            numbers.pop(code, None)
        else:
            numbers[code] = entry[1]
    names = {code: element.name for code, element in elements.items()}
    return rules.check(report.data_set.rules.all(), numbers, report.unit, names)


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


def _check_complete(report: Report) -> None:
    present = set(report.values.values_list("data_element_id", flat=True))
    missing = [
        member.data_element.name
        for member in report.data_set.members.select_related("data_element")
        if member.is_required and member.data_element_id not in present
    ]
    if missing:
        raise ValidationError(_("These values are still missing: %(names)s.") % {"names": "; ".join(missing)})


def report_violations(report: Report) -> list:
    """The data set's rules checked on the values a report holds (blocking ones and warnings)."""
    values = report.values.values_list("data_element__code", "data_element__name", "number")
    numbers = {code: number for code, _name, number in values}
    names = dict(report.data_set.data_elements.values_list("code", "name"))
    return rules.check(report.data_set.rules.all(), numbers, report.unit, names)


def rule_failures(report: Report) -> list[str]:
    """What the report's page lists under "checks": every rule its values break, blocking or not."""
    return [violation.message for violation in report_violations(report)]


@transaction.atomic
def submit_report(report: Report, *, actor) -> Report:
    report = Report.objects.select_for_update(of=("self",)).select_related("unit", "data_set").get(pk=report.pk)
    require(actor, "plans.submit_report", report)
    require_editable(report)
    _check_complete(report)
    failures = [violation.message for violation in report_violations(report) if violation.blocking]
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
    notices.report_decided(report, actor=actor)
    return report


@transaction.atomic
def return_report(report: Report, *, actor, reason: str) -> Report:
    """Send a submitted or approved report back for correction, with the reason; it is unlocked."""
    report = Report.objects.select_for_update(of=("self",)).select_related("unit__parent", "data_set").get(pk=report.pk)
    _require_approver(report, actor)
    if report.status not in REPORTED_STATUSES:
        raise ValidationError(_("Only a submitted or approved report can be returned."))
    reason = _reason(reason)
    if report.status == ReportStatus.APPROVED:
        rollups.remove(report)
        report.values.update(is_approved=False)
    report.status, report.decided_at, report.decided_by = ReportStatus.RETURNED, timezone.now(), _user(actor)
    report.return_reason = reason
    report.save()
    notices.report_decided(report, actor=actor)
    return report


MAX_REASON = 2000


def _reason(text: str) -> str:
    """A reason for returning a report, as stored: said, not endless, without invisible characters."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"reason": [_("Say what needs correcting.")]})
    if len(text) > MAX_REASON:
        raise ValidationError({"reason": [_("Keep the reason under %(count)d characters.") % {"count": MAX_REASON}]})
    try:
        return clean_text(text, multiline=True)
    except ValidationError as error:
        raise ValidationError({"reason": error.messages}) from error


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
