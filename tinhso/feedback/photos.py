"""Photos of reports are prepared in the background, off the citizen's request.

Decoding and resizing a phone photo took about half the CPU of a submission. Now the request checks the
file from its header only (`core.images.check_photo`), stores it as sent under a name no view serves (its
EXIF holds the phone's GPS point) and starts a core job after commit. The job makes the copies that are
shown (`core.images.publishable_jpeg`: 1,280 px and 320 px, no EXIF) and deletes the original. It is
idempotent: a photo already prepared, or being prepared by another worker, is skipped. A job that failed
(the worker stopped, the storage did not answer) is started again by `retry_unprepared`, every ten minutes,
up to MAX_ATTEMPTS times. Until a photo is ready the pages show a placeholder."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.images import check_photo, publishable_jpeg
from tinhso.core.jobs import job_handler, start_job
from tinhso.core.models.jobs import Job, JobStatus

from .choices import PhotoStatus
from .models import Photo, Report

logger = logging.getLogger(__name__)
JOB_KIND = "feedback.prepare_photos"
MAX_BYTES = 10 * 1024 * 1024  # a phone photo is 2–6 MB; more is not a photo of a pothole
LARGE_PIXELS, SMALL_PIXELS = 1280, 320
MAX_ATTEMPTS = 5
RETRY_AFTER = datetime.timedelta(minutes=10)  # a job still queued after this long is behind, or lost
RETRY_BATCH = 500


def checked(upload):
    """The upload if it looks like a photo within the limits (header only); ValidationError otherwise."""
    if isinstance(upload, bytes | bytearray):
        upload = ContentFile(bytes(upload), name="photo")
    try:
        check_photo(upload, max_bytes=MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"photos": error.messages}) from error
    return upload


def store_original(report: Report, upload) -> Photo:
    """A pending photo of `report` holding the upload as sent (inside the filing transaction)."""
    photo = Photo(report=report, status=PhotoStatus.PENDING)
    photo.original.save(f"report-{report.pk}", upload, save=False)
    photo.save()
    return photo


def copy_name(photo: Photo, size: str = "") -> str:
    """The stored name of a ready photo's copy: `size="small"` the 320 px one (photos kept before there was
    one have only the large copy)."""
    return photo.thumbnail.name if size == "small" and photo.thumbnail else photo.image.name


def start_preparing(report: Report) -> Job:
    """Queue the job that prepares the report's pending photos (runs after the surrounding commit)."""
    return start_job(
        kind=JOB_KIND,
        title=_("Photos of citizen report #%(number)s") % {"number": report.pk},
        actor=None,  # the worker acts for the platform; the change log keeps the filing request's id
        unit=report.unit,
        parameters={"report": report.pk},
    )


@job_handler(JOB_KIND)
def prepare_photos_job(job, progress) -> dict:
    ready = prepare_photos(job.parameters["report"])
    return {"ready": ready, "message": _("%(count)s photos prepared.") % {"count": ready}}


def prepare_photos(report_id: int) -> int:
    """Prepare every pending photo of the report; the number made ready. Safe to run twice."""
    pending = Photo.objects.filter(report_id=report_id, status=PhotoStatus.PENDING).values_list("pk", flat=True)
    return sum(prepare_photo(pk) for pk in list(pending))


def prepare_photo(photo_id: int) -> bool:
    photo = Photo.objects.filter(pk=photo_id, status=PhotoStatus.PENDING).first()
    if photo is None or not photo.original:
        return False
    photo.attempts += 1
    photo.save(update_fields=["attempts", "updated_at"])
    try:
        with photo.original.open("rb") as source:
            large = publishable_jpeg(source, max_pixels=LARGE_PIXELS, max_bytes=MAX_BYTES)
        small = publishable_jpeg(large, max_pixels=SMALL_PIXELS, quality=75)
    except ValidationError:  # the header looked like a photo, the pixels do not: shown as unreadable
        return _finish(photo_id, PhotoStatus.UNREADABLE)
    return _finish(photo_id, PhotoStatus.READY, large, small)


@transaction.atomic
def _finish(photo_id: int, status: str, large: bytes = b"", small: bytes = b"") -> bool:
    # skip_locked: another worker holding the row is finishing the same photo; no one waits for it.
    photo = Photo.objects.select_for_update(skip_locked=True).filter(pk=photo_id, status=PhotoStatus.PENDING).first()
    if photo is None:
        return False
    original = photo.original.name
    if large:
        photo.image.save(f"report-{photo.report_id}.jpg", ContentFile(large), save=False)
        photo.thumbnail.save(f"report-{photo.report_id}-small.jpg", ContentFile(small), save=False)
    photo.status, photo.original = status, ""
    photo.save()
    storage = photo.original.storage
    transaction.on_commit(lambda: storage.delete(original))
    return status == PhotoStatus.READY


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
    reports = Report.objects.filter(pk__in=[pk for pk in stale if pk not in in_flight]).select_related("unit")
    started = 0
    for report in reports:
        with transaction.atomic():
            start_preparing(report)
        started += 1
    if started:
        logger.warning("Started the photo job again for %s citizen reports", started)
    return started
