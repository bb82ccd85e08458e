"""What the plans module tells people, through the platform's one door (tinhso.core.notifications).

Services call these after they change state; the kinds are registered in PlansConfig.ready().
"""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.accounts.models import RoleAssignment
from tinhso.core.notifications import notify, register_kind
from tinhso.core.text import short_date


def register_kinds() -> None:
    register_kind("plans.task_reminder", gettext_lazy("Task due in 7 days"))
    register_kind("plans.task_overdue", gettext_lazy("Task overdue"))
    register_kind("plans.report_returned", gettext_lazy("Report returned for correction"))
    register_kind("plans.report_approved", gettext_lazy("Report approved"))


def people_in_charge(task) -> list:
    """The task's responsible account, or else whoever may change tasks on the task's own unit."""
    if task.responsible_user_id:
        return [task.responsible_user]
    assignments = RoleAssignment.objects.filter(unit_id=task.unit_id, user__is_active=True).select_related("user")
    return [each.user for each in assignments if each.user.has_perm("plans.change_task", task)]


def tasks_due_soon(tasks, day: datetime.date) -> None:
    for task in tasks:
        notify(
            people_in_charge(task),
            kind="plans.task_reminder",
            subject=_("Due on %(date)s: %(task)s") % {"date": short_date(task.due_date), "task": task},
            body=_("This task is due in 7 days. Update its progress or say what holds it up."),
            url=task.get_absolute_url(),
            related=task,
            dedupe_key=f"due-{task.due_date}",
        )


def tasks_overdue(tasks, day: datetime.date) -> None:
    for task in tasks:
        notify(
            people_in_charge(task),
            kind="plans.task_overdue",
            subject=_("Overdue: %(task)s") % {"task": task},
            body=_("This task was due on %(date)s and is not completed.") % {"date": short_date(task.due_date)},
            url=task.get_absolute_url(),
            related=task,
            dedupe_key=f"overdue-{task.due_date}",
        )


def report_decided(report, *, actor) -> None:
    """The person who submitted a report hears that it was approved or returned (with the reason)."""
    if report.submitted_by_id is None:
        return
    returned = report.status == "returned"
    notify(
        report.submitted_by,
        kind="plans.report_returned" if returned else "plans.report_approved",
        subject=(_("Returned for correction: %(report)s") if returned else _("Approved: %(report)s"))
        % {"report": report},
        body=_("Reason: %(reason)s") % {"reason": report.return_reason} if returned else "",
        url=report.get_absolute_url(),
        related=report,
        actor=actor,
        dedupe_key=f"{report.status}-{report.decided_at.isoformat()}",
    )
