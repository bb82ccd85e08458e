from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from . import services


@db_periodic_task(crontab(minute="*"))
def close_overdue_attempts():
    """Every minute: attempts past their deadline are closed with what was saved (nobody has to come back)."""
    return services.close_overdue_attempts()
