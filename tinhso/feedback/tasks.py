"""Scheduled work: photos still waiting for their job are given another one (jobs.retry_unprepared)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .jobs import retry_unprepared


@db_periodic_task(crontab(minute="*/10"))
def retry_photo_jobs() -> int:
    return retry_unprepared()
