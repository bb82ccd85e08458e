"""Schedules of the work tracker: thin wrappers around services."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .reminders import due_reminders


@db_periodic_task(crontab(hour="7", minute="0"))
def remind_due_and_overdue():
    return due_reminders()
