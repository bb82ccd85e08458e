"""Photos of reports are prepared in the background, off the citizen's request.

Decoding and resizing a phone photo took about half the CPU of a submission. Now the request checks the
file from its header only (`core.images.check_photo`), stores it as sent under a name no view serves (its
EXIF holds the phone's GPS point) and starts a core job after commit. The job makes the copies that are
shown (`core.images.publishable_jpeg`: 1,280 px and 320 px, no EXIF) and deletes the original. It is
idempotent: a photo already prepared, or being prepared by another worker, is skipped. A job that failed
(the worker stopped, the storage did not answer) is started again by `retry_unprepared`, every ten minutes,
up to MAX_ATTEMPTS times (the job and its retry live in feedback/jobs.py). Until a photo is ready the pages show
a placeholder."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from tinhso.core.images import check_photo, publishable_jpeg

from .choices import PhotoStatus
from .models import Photo, Report

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
