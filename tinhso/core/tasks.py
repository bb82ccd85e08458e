import datetime

from django.core.management import call_command
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from . import queue
from .jobs import run_job
from .models.jobs import Job
from .scheduling import claim_slot

HUEY.pre_execute(name="one-run-per-slot")(claim_slot)


@db_task()
def run_job_task(job_id: str) -> None:
    run_job(job_id)


queue.offer("run_job", run_job_task)


@db_periodic_task(crontab(hour="3", minute="10"))
def purge_old_jobs() -> None:
    """Finished jobs and their uploaded files are kept for 90 days."""
    cutoff = timezone.now() - datetime.timedelta(days=90)
    for job in Job.objects.filter(finished_at__lt=cutoff):
        if job.input_file:
            job.input_file.delete(save=False)
        job.delete()


@db_periodic_task(crontab(hour="3", minute="20"))
def clear_expired_sessions() -> None:
    call_command("clearsessions")


@db_task()
def send_deliveries_task(delivery_ids: list[int]) -> None:
    from .notifications.dispatch import send_deliveries

    send_deliveries(delivery_ids)


queue.offer("send_deliveries", send_deliveries_task)


@db_periodic_task(crontab(minute="*"))
def send_due_deliveries_task() -> int:
    """Messages held by quiet hours, retries after a failure, and sends a stopped worker left."""
    from .notifications.dispatch import send_due_deliveries

    return send_due_deliveries()


@HUEY.on_startup(name="worker-heartbeat")
def worker_started() -> None:
    from .health import beat

    beat("worker")


@db_periodic_task(crontab(minute="*"))
def worker_heartbeat() -> None:
    """Runs every minute: proves to /healthz/ that the scheduler enqueues and a worker executes."""
    from .health import beat

    beat("worker")


@db_periodic_task(crontab(hour="3", minute="40"))
def purge_expired_records() -> None:
    """Every kind of record older than its retention period in settings (change log, play log...)."""
    from .retention import purge_all

    purge_all()
