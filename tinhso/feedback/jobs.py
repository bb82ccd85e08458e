"""The background work of citizen reports: the job that prepares a report's photos (`photos.py` does the work;
`services.start_preparing` queues it) and its retry."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.jobs import job_handler
from tinhso.core.models.jobs import Job, JobStatus

from . import services
from .choices import PhotoStatus
from .models import Photo, Report
from .photos import JOB_KIND, MAX_ATTEMPTS, RETRY_AFTER, RETRY_BATCH, prepare_photos

logger = logging.getLogger(__name__)


@job_handler(JOB_KIND)
def prepare_photos_job(job, progress) -> dict:
    report_id = job.parameters["report"]
    try:
        ready = prepare_photos(report_id)
    finally:  # the last attempt failed too: the photo is given up and the office told, then the job fails
        _give_up([report_id])
    return {"ready": ready, "message": _("%(count)s photos prepared.") % {"count": ready}}


def _give_up(report_ids) -> int:
    given_up = 0
    for report in Report.objects.filter(pk__in=list(report_ids)).select_related("routed_to"):
        given_up += services.give_up_photos(report)
    return given_up


def retry_unprepared(now=None) -> int:
    """Start the job again for reports whose photos are still pending RETRY_AFTER after the last attempt
    and whose job is no longer queued or running; the number of jobs started."""
    now = now or timezone.now()
    in_flight = set(
        Job.objects.filter(
            kind=JOB_KIND, status__in=(JobStatus.QUEUED, JobStatus.RUNNING), created_at__gte=now - 6 * RETRY_AFTER
        ).values_list("parameters__report", flat=True)
    )
    stale = (
        Photo.objects.filter(status=PhotoStatus.PENDING, attempts__lt=MAX_ATTEMPTS, updated_at__lt=now - RETRY_AFTER)
        .values_list("report_id", flat=True)
        .distinct()
        .order_by("report_id")[:RETRY_BATCH]
    )
    # A job that stopped without a word (the worker was killed) on the last attempt: given up here.
    spent = Photo.objects.filter(
        status=PhotoStatus.PENDING, attempts__gte=MAX_ATTEMPTS, updated_at__lt=now - RETRY_AFTER
    ).values_list("report_id", flat=True)
    _give_up({pk for pk in spent[:RETRY_BATCH] if pk not in in_flight})
    reports = Report.objects.filter(pk__in=[pk for pk in stale if pk not in in_flight]).select_related("unit")
    started = 0
    for report in reports:
        with transaction.atomic():
            services.start_preparing(report)
        started += 1
    if started:
        logger.warning("Started the photo job again for %s citizen reports", started)
    return started
