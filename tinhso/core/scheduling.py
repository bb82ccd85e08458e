"""One run of each scheduled task per slot, however many schedulers run.

Every huey consumer started without --no-periodic enqueues the scheduled tasks, so a second worker started
the simple way would run the nightly purge twice. The deployment files start one scheduler and workers with
--no-periodic; this hook makes a mistake there harmless: before a periodic task runs, it claims the task's
slot (the latest minute its crontab matches) in the shared cache, and a second copy of the same slot is
cancelled.
"""

import datetime

from django.conf import settings
from django.core.cache import cache
from huey.api import PeriodicTask
from huey.exceptions import CancelExecution

WEEK_IN_MINUTES = 7 * 24 * 60


def slot_of(task: PeriodicTask, now: datetime.datetime) -> datetime.datetime:
    """The latest minute, at or before `now`, at which the task's crontab fires (searched back a week)."""
    minute = now.replace(second=0, microsecond=0)
    for _step in range(WEEK_IN_MINUTES):
        if task.validate_datetime(minute):
            return minute
        minute -= datetime.timedelta(minutes=1)
    return now.replace(second=0, microsecond=0)


def _now() -> datetime.datetime:
    """Naive, in the clock huey's crontabs read (UTC with utc=True, as configured)."""
    if settings.HUEY.get("utc", True):
        return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
    return datetime.datetime.now()


def claim_slot(task) -> None:
    """The pre-execute hook: cancel a periodic task whose slot another copy already ran."""
    if not isinstance(task, PeriodicTask):
        return
    slot = slot_of(task, _now())
    if not cache.add(f"periodic-slot:{task.name}:{slot.isoformat()}", task.id, 8 * 24 * 3600):
        raise CancelExecution(f"{task.name} already ran for {slot.isoformat()}")
