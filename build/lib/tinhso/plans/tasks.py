"""Daily schedule of the plans module: thin wrappers around services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from tinhso.core.context import acting_as

from . import services


@db_periodic_task(crontab(hour="0", minute="30"))
def open_due_reports() -> int:
    """Open the report of every unit for the period that just ended, with its due date."""
    with acting_as(None, source="schedule"):
        return services.open_due_reports()


@db_periodic_task(crontab(hour="6", minute="0"))
def remind_and_flag_tasks() -> tuple[int, int]:
    """Reminders for tasks due in 7 days, and the overdue flag for tasks past their due date."""
    with acting_as(None, source="schedule"):
        return services.send_due_reminders(), services.flag_overdue_tasks()
