"""Background jobs with progress a user can watch (imports, reports, bulk work).

A module registers a handler with `@job_handler("units.import_villages")` and starts work with
`start_job(...)`; the job runs on the Huey worker (SQLite queue by default, Redis in
production) after the surrounding transaction commits.
"""

import logging
import time
from collections.abc import Callable

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import queue
from .context import acting_as, current_context
from .imports import ImportRejected
from .models.jobs import Job, JobStatus

logger = logging.getLogger(__name__)
HANDLERS: dict[str, Callable] = {}


def job_handler(kind: str):
    def register(function):
        HANDLERS[kind] = function
        return function

    return register


class Progress:
    """Called by handlers as work advances.

    Progress goes to the cache, not the database: a handler's writes are one transaction,
    and its progress must be visible to the page that watches it before that commits.
    """

    def __init__(self, job: Job):
        self.job, self._last_write = job, 0.0
        self.done, self.total, self.message = 0, job.progress_total, ""

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        self.done, self.total = done, self.total if total is None else total
        self.message = message[:300] or self.message
        now = time.monotonic()
        if now - self._last_write < 0.5 and done < (self.total or 0):
            return
        self._last_write = now
        cache.set(progress_key(self.job.pk), (self.done, self.total, self.message), 6 * 3600)


def progress_key(job_id) -> str:
    return f"job-progress:{job_id}"


def live_progress(job: Job) -> tuple[int, int, str]:
    """(done, total, message) of a job, as fresh as the worker has reported it."""
    if job.status == JobStatus.RUNNING:
        reported = cache.get(progress_key(job.pk))
        if reported:
            return reported
    return job.progress_done, job.progress_total, job.message


def start_job(*, kind: str, title: str, actor, unit=None, parameters: dict | None = None, input_file=None) -> Job:
    if kind not in HANDLERS:
        raise ValueError(f"No handler for job kind {kind!r}")
    job = Job.objects.create(
        kind=kind,
        title=title[:200],
        created_by=actor if getattr(actor, "pk", None) else None,
        unit=unit,
        parameters={"language": translation.get_language() or "vi", **(parameters or {})},
        request_id=current_context().request_id,
    )
    if input_file is not None:
        job.input_file.save(getattr(input_file, "name", "input"), input_file, save=True)
    transaction.on_commit(lambda: queue.enqueue("run_job", str(job.pk)))
    return job


def run_job(job_id: str) -> Job:
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return job
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    progress = Progress(job)
    try:
        language = job.parameters.get("language", "vi")
        with (
            acting_as(job.created_by, request_id=job.request_id, source="job"),
            translation.override(language),
        ):
            result = HANDLERS[job.kind](job, progress) or {}
        status, message = JobStatus.SUCCEEDED, result.pop("message", _("Done."))
    except ImportRejected as error:
        result, status, message = {**error.details, "errors": error.as_list()}, JobStatus.FAILED, str(error)
    except (ValidationError, PermissionDenied) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        result, status = (
            {"errors": [{"row": 0, "column": "", "message": m} for m in messages]},
            JobStatus.FAILED,
        )
        message = _("Stopped: nothing was written.")
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        result, status = {}, JobStatus.FAILED
        message = _("An unexpected error stopped the job; nothing was written. The administrators were notified.")
    Job.objects.filter(pk=job.pk).update(
        status=status,
        message=str(message)[:300],
        result=result,
        finished_at=timezone.now(),
        progress_done=progress.done,
        progress_total=progress.total,
    )
    cache.delete(progress_key(job.pk))
    job.refresh_from_db()
    if status == JobStatus.FAILED:
        tell_about_failure(job, unexpected=not result)
    return job


def tell_about_failure(job: Job, *, unexpected: bool) -> None:
    """The person who started the job is told it failed. On an unexpected error the ADMINS get one mail, the
    traceback that logger.exception() above sends through the `tinhso.core.jobs` mail_admins handler; they
    are not notified a second time here."""
    from django.urls import reverse

    from .notifications import notify

    if not job.created_by_id:
        return
    with translation.override(job.parameters.get("language", "vi")):
        notify(
            job.created_by,
            kind="core.job_failed",
            subject=_("Background job failed: %(title)s") % {"title": job.title},
            body=job.message,
            url=reverse("core:job_detail", args=[job.pk]),
            related=job,
            dedupe_key=f"job-{job.pk}",
        )
