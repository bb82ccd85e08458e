import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from huey import RedisHuey, SqliteHuey

from tinhso.accounts.testing import make_user
from tinhso.core.jobs import job_handler, run_job, start_job
from tinhso.core.models import Job
from tinhso.core.testing import api_client, web_client


@job_handler("tests.count_to")
def count_to(job, progress):
    total = job.parameters["total"]
    for number in range(1, total + 1):
        progress(number, total, f"{number}/{total}")
    return {"counted": total, "message": "Đã đếm xong."}


@job_handler("tests.explode")
def explode(job, progress):
    raise RuntimeError("boom")


def new_job(user, kind="tests.count_to", **parameters):
    return start_job(kind=kind, title="Đếm", actor=user, parameters=parameters or {"total": 3})


def test_a_job_runs_after_commit_and_reports_its_result(tree, django_capture_on_commit_callbacks):
    user = make_user("commune_officer", tree.xuan_ai)
    with django_capture_on_commit_callbacks(execute=True):
        job = new_job(user, total=250)
    job.refresh_from_db()
    assert (job.status, job.progress_done, job.progress_total, job.result["counted"]) == ("succeeded", 250, 250, 250)
    assert job.message == "Đã đếm xong."


def test_an_unexpected_failure_is_reported_without_details(tree, django_capture_on_commit_callbacks):
    user = make_user("commune_officer", tree.xuan_ai)
    with django_capture_on_commit_callbacks(execute=True):
        job = new_job(user, kind="tests.explode")
    job.refresh_from_db()
    assert job.status == "failed" and "boom" not in job.message


def test_the_job_page_shows_progress_to_its_owner_only(tree):
    owner = make_user("commune_officer", tree.xuan_ai)
    job = new_job(owner)
    assert "Đang chờ" in web_client(owner).get(f"/jobs/{job.pk}/").content.decode()
    assert web_client(make_user("commune_officer", tree.yen_hop)).get(f"/jobs/{job.pk}/").status_code == 404


def run_on_queue(huey, job_id: str) -> None:
    """Send the job through a real queue and let a real consumer execute it."""
    task = huey.task()(run_job)
    task(job_id)
    consumer = huey.create_consumer(workers=1, worker_type="thread", periodic=False, check_worker_health=False)
    consumer.start()
    deadline = time.monotonic() + 20
    while Job.objects.get(pk=job_id).status in ("queued", "running") and time.monotonic() < deadline:
        time.sleep(0.1)
    consumer.stop(graceful=True)


@pytest.mark.django_db(transaction=True)
def test_jobs_run_on_the_embedded_sqlite_queue(tree, tmp_path):
    job = new_job(make_user("commune_officer", tree.xuan_ai))
    run_on_queue(SqliteHuey("tinhso-test", filename=str(tmp_path / "jobs.sqlite3")), str(job.pk))
    assert Job.objects.get(pk=job.pk).status == "succeeded"


@pytest.mark.django_db(transaction=True)
def test_jobs_run_on_redis(tree, redis_url):
    job = new_job(make_user("commune_officer", tree.xuan_ai))
    huey = RedisHuey(f"tinhso-test-{job.pk}", url=redis_url)
    try:
        run_on_queue(huey, str(job.pk))
    finally:
        huey.flush()
    assert Job.objects.get(pk=job.pk).status == "succeeded"


def test_an_uploaded_file_travels_with_its_job(tree):
    user = make_user("commune_officer", tree.xuan_ai)
    job = start_job(
        kind="tests.count_to",
        title="Tệp",
        actor=user,
        parameters={"total": 1},
        input_file=SimpleUploadedFile("thon.csv", b"a,b\n"),
    )
    assert job.input_file.read() == b"a,b\n"


def test_a_failed_job_is_notified_to_its_creator_and_an_unexpected_one_mails_the_admins_once(
    tree, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tinhso.core.models import Message

    settings.ADMINS = [("Trực kỹ thuật", "kythuat@tinhso.gov.vn")]
    creator = make_user("commune_officer", tree.xuan_ai)
    admin = make_user(email="kythuat@tinhso.gov.vn", is_superuser=True)  # an operator who also has an account
    with django_capture_on_commit_callbacks(execute=True):
        job = new_job(creator, kind="tests.explode")
    [told_creator] = Message.objects.filter(recipient=creator)
    assert told_creator.kind == "core.job_failed" and told_creator.url == f"/jobs/{job.pk}/"
    assert "Đếm" in told_creator.subject and told_creator.related == job
    assert not Message.objects.filter(recipient=admin).exists()  # no second notice on top of the traceback mail
    to_admin = [message for message in mail.outbox if "kythuat@tinhso.gov.vn" in message.to]
    assert len(to_admin) == 1 and "RuntimeError" in to_admin[0].body


def test_a_job_that_succeeds_tells_nobody(tree, django_capture_on_commit_callbacks):
    from tinhso.core.models import Message

    with django_capture_on_commit_callbacks(execute=True):
        new_job(make_user("commune_officer", tree.xuan_ai))
    assert not Message.objects.exists()


def test_the_api_shows_a_job_to_its_creator_and_to_people_with_its_unit_in_scope(tree):
    creator = make_user("province_admin", tree.yen_bai)
    job = start_job(kind="tests.count_to", title="Đếm", actor=creator, unit=tree.xuan_ai, parameters={"total": 1})
    url = f"/api/v1/jobs/{job.pk}/"
    assert api_client(creator).get(url).json()["status"] == "queued"
    assert api_client(make_user("commune_officer", tree.xuan_ai)).get(url).status_code == 200
    assert api_client(make_user("commune_officer", tree.khanh_hoa)).get(url).status_code == 404


def test_a_job_without_a_unit_is_its_creators_alone(tree):
    job = start_job(kind="tests.count_to", title="Đếm", actor=make_user("commune_officer", tree.xuan_ai))
    colleague = api_client(make_user("commune_officer", tree.xuan_ai))
    assert colleague.get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    assert colleague.get("/api/v1/jobs/").json()["count"] == 0
