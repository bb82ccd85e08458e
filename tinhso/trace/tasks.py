"""Scheduled work: the day's scan counters go from the cache to the database every ten minutes."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .public import flush_scans


@db_periodic_task(crontab(minute="*/10"))
def store_scan_counts() -> None:
    flush_scans()
