"""Photos are stored as sent and prepared by a background job: a placeholder until then, copies without the
GPS point after, the original gone; the job may run twice, and a job that failed is started again."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tinhso.core.models.jobs import Job, JobStatus
from tinhso.core.testing import web_client
from tinhso.feedback import jobs, photos
from tinhso.feedback.choices import PhotoStatus
from tinhso.feedback.models import Photo

from .conftest import file_report, photo_file

pytestmark = pytest.mark.django_db


def pages(world, report) -> tuple[str, str]:
    office = web_client(world.officer).get(f"/feedback/{report.pk}/").content.decode()
    public = web_client().get(f"/phan-anh/{report.pk}/").content.decode()
    return office, public


def test_until_the_job_has_run_pages_show_a_placeholder_and_no_photo_is_served(world):
    report = file_report(world, photos=[photo_file()])  # no commit in a test: the job has not run
    photo = Photo.objects.get(report=report)
    assert photo.status == PhotoStatus.PENDING and photo.original and not photo.image
    assert Job.objects.get(kind=photos.JOB_KIND).parameters["report"] == report.pk
    for page in pages(world, report):
        assert 'data-testid="photo-pending"' in page and "?size=small" not in page
    assert web_client().get(f"/phan-anh/anh/{photo.pk}/").status_code == 404
    assert web_client(world.citizen).get(f"/feedback/photos/{photo.pk}/").status_code == 404


def test_the_job_makes_a_large_and_a_small_copy_and_deletes_the_original(world, django_capture_on_commit_callbacks):
    report = file_report(world, photos=[photo_file()])
    original = Photo.objects.get(report=report).original.name
    with django_capture_on_commit_callbacks(execute=True):  # the original is deleted once the copies are saved
        assert photos.prepare_photos(report.pk) == 1
    photo = Photo.objects.get(report=report)
    assert photo.status == PhotoStatus.READY and not photo.original and not default_storage.exists(original)
    for page in pages(world, report):
        assert f"/{photo.pk}/?size=small" in page and "photo-pending" not in page
    large = web_client().get(f"/phan-anh/anh/{photo.pk}/")
    small = web_client().get(f"/phan-anh/anh/{photo.pk}/?size=small")
    assert large.status_code == small.status_code == 200
    assert len(b"".join(small.streaming_content)) < len(b"".join(large.streaming_content))


def test_running_the_job_twice_changes_nothing_the_second_time(world):
    report = file_report(world, photos=[photo_file(), photo_file("b.jpg")])
    assert photos.prepare_photos(report.pk) == 2
    names = sorted(Photo.objects.values_list("image", "thumbnail"))
    assert photos.prepare_photos(report.pk) == 0
    assert sorted(Photo.objects.values_list("image", "thumbnail")) == names
    assert set(Photo.objects.values_list("attempts", flat=True)) == {1}


def test_a_file_whose_pixels_cannot_be_read_is_marked_unreadable_and_kept_off_the_public_page(world):
    from tinhso.core.documents import weasyprint_html

    weasyprint_html()  # the worker may have made a PDF before: a cut photo is still refused
    whole = photo_file().read()
    cut = SimpleUploadedFile("cut.jpg", whole[: len(whole) // 3], content_type="image/jpeg")
    report = file_report(world, photos=[cut])  # the header is a JPEG's: accepted on the request
    assert photos.prepare_photos(report.pk) == 0
    photo = Photo.objects.get(report=report)
    assert photo.status == PhotoStatus.UNREADABLE and not photo.original
    office, public = pages(world, report)
    assert 'data-testid="photo-unreadable"' in office and "photo-" not in public


def stale(report, minutes=11):
    Photo.objects.filter(report=report).update(updated_at=timezone.now() - datetime.timedelta(minutes=minutes))


def test_a_job_that_failed_is_started_again_and_then_prepares_the_photo(world, django_capture_on_commit_callbacks):
    report = file_report(world, photos=[photo_file()])
    Job.objects.update(status=JobStatus.FAILED)  # the worker stopped, or the storage did not answer
    stale(report)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.retry_unprepared() == 1
    assert Photo.objects.get(report=report).status == PhotoStatus.READY
    assert Job.objects.filter(kind=photos.JOB_KIND, status=JobStatus.SUCCEEDED).count() == 1


def test_no_second_job_while_the_first_still_waits_nor_once_the_attempts_are_used_up(world):
    report = file_report(world, photos=[photo_file()])
    stale(report)
    assert jobs.retry_unprepared() == 0  # its job is still queued behind others
    Job.objects.update(status=JobStatus.FAILED)
    Photo.objects.update(attempts=photos.MAX_ATTEMPTS)
    stale(report)
    assert jobs.retry_unprepared() == 0


def test_a_photo_job_is_not_retried_too_early(world):
    report = file_report(world, photos=[photo_file()])
    Job.objects.update(status=JobStatus.FAILED)
    stale(report, minutes=2)
    assert jobs.retry_unprepared() == 0


def test_a_photo_that_fails_its_five_tries_is_reported_once_to_the_office(world, django_capture_on_commit_callbacks):
    """A photo whose file the storage lost fails on every try: after the fifth the office and the reporter
    see "Ảnh không xử lý được" instead of the placeholder, and the office gets one message, not five."""
    from tinhso.core.jobs import run_job
    from tinhso.core.models import Message

    report = file_report(world, photos=[photo_file()])
    photo = Photo.objects.get(report=report)
    default_storage.delete(photo.original.name)  # the disk lost it: opening it fails on every try
    run_job(Job.objects.get(kind=photos.JOB_KIND).pk)  # the first try, as the worker runs it
    for _attempt in range(photos.MAX_ATTEMPTS - 1):
        stale(report)
        with django_capture_on_commit_callbacks(execute=True):
            assert jobs.retry_unprepared() == 1
    photo.refresh_from_db()
    assert photo.attempts == photos.MAX_ATTEMPTS and photo.status == PhotoStatus.FAILED
    assert Job.objects.filter(kind=photos.JOB_KIND, status=JobStatus.FAILED).count() == photos.MAX_ATTEMPTS
    told = Message.objects.filter(kind="feedback.photo_failed")
    assert [message.recipient for message in told] == [world.officer]
    assert f"#{report.pk}" in told.get().subject and told.get().url == f"/feedback/{report.pk}/"
    assert not Message.objects.filter(kind="feedback.photo_failed", recipient=world.citizen).exists()
    for person in (world.officer, world.citizen):
        page = web_client(person).get(f"/feedback/{report.pk}/").content.decode()
        assert "Ảnh không xử lý được" in page and "photo-pending" not in page
    assert "photo-" not in web_client().get(f"/phan-anh/{report.pk}/").content.decode()
    assert web_client(world.citizen).get("/api/v1/feedback/?mine=true").json()  # the API counts it
    stale(report)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.retry_unprepared() == 0
    assert told.count() == 1


def test_a_worker_killed_on_the_last_try_leaves_the_photo_to_the_ten_minute_sweep(world):
    from tinhso.core.models import Message

    report = file_report(world, photos=[photo_file()])
    Job.objects.update(status=JobStatus.FAILED)
    Photo.objects.update(attempts=photos.MAX_ATTEMPTS)  # the fifth try died with its worker, without a word
    stale(report)
    assert jobs.retry_unprepared() == 0
    assert Photo.objects.get().status == PhotoStatus.FAILED
    assert Message.objects.filter(kind="feedback.photo_failed").count() == 1
