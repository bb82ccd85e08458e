"""Schedules of meetings: thin wrappers around the reminders."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .reminders import meeting_reminders


@db_periodic_task(crontab(hour="7", minute="30"))
def remind_meetings():
    return meeting_reminders()
