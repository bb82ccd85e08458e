"""Tasks of a plan: the "5 rõ" rule, publishing, progress reports rolled up to parents, overdue and reminders."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.permissions import require
from tinhso.core.text import short_date

from .. import notices
from ..choices import TaskEventKind, TaskStatus
from ..models import Task, TaskEvent, TaskUpdate
from ..models.planning import TASK_FIELDS
from .common import user_or_none as _user


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
        notices.tasks_overdue(late, day)
    return len(late)


def send_due_reminders(day: datetime.date | None = None) -> int:
    """Note a reminder for every open task due in exactly seven days (scheduled daily)."""
    day = day or timezone.localdate()
    due = Task.objects.open().filter(due_date=day + datetime.timedelta(days=7))
    due = due.exclude(events__kind=TaskEventKind.REMINDER, events__day=day)
    events = [TaskEvent(task=task, kind=TaskEventKind.REMINDER, day=day) for task in due]
    TaskEvent.objects.bulk_create(events, ignore_conflicts=True)
    notices.tasks_due_soon([event.task for event in events], day)
    return len(events)


def describe_due(task: Task, day: datetime.date | None = None) -> str:
    day = day or timezone.localdate()
    if task.due_date is None:
        return ""
    late = task.days_late(day)
    if late:
        return _("%(days)d days late (due %(date)s)") % {"days": late, "date": short_date(task.due_date)}
    return _("due %(date)s") % {"date": short_date(task.due_date)}
