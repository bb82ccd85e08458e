"""List exports above EXPORT_INLINE_MAX_ROWS run as jobs: progress at /jobs/<id>/, a download for the starter only."""

import csv
import io

import openpyxl
import pytest
from django.test import override_settings

from tinhso.accounts.testing import make_user
from tinhso.core.jobs import run_job
from tinhso.core.models import Job
from tinhso.core.testing import web_client


@pytest.fixture
def officer(tree):
    return make_user("commune_officer", tree.xuan_ai, username="canbo.xuat")


def users_in(tree, count):
    for number in range(count):
        make_user("citizen", tree.khe_dua, username=f"dan{number:03d}", full_name=f"Người dân {number}")


def test_a_small_export_is_answered_at_once(tree, officer):
    response = web_client(officer).get("/units/?export=csv")
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert not Job.objects.exists()


@override_settings(EXPORT_INLINE_MAX_ROWS=3)
def test_a_big_export_becomes_a_job_whose_file_is_the_pages_own(tree, officer, django_capture_on_commit_callbacks):
    users_in(tree, 6)
    client = web_client(officer)
    with override_settings(EXPORT_INLINE_MAX_ROWS=1000):
        inline = client.get("/accounts/users/?export=csv&q=dan").content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.get("/accounts/users/?export=csv&q=dan")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.created_by == officer and job.kind == "core.export" and "nguoi-dung.csv" in job.title
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Đang chờ" in page and "/download/" not in page

    run_job(str(job.pk))
    job.refresh_from_db()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert job.status == "succeeded" and job.progress_done == job.progress_total == 6
    assert f"/jobs/{job.pk}/download/" in page and "Tải về nguoi-dung.csv" in page
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="nguoi-dung.csv"'
    content = b"".join(download.streaming_content).decode()
    assert content == inline
    assert len(list(csv.reader(io.StringIO(content)))) == 7


@override_settings(EXPORT_INLINE_MAX_ROWS=1)
def test_the_worker_keeps_the_starters_scope_filters_and_excel(tree, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = web_client(officer).get("/units/?export=xlsx")
    job = Job.objects.get(pk=response["Location"].split("/")[2])
    assert job.status == "succeeded"
    download = web_client(officer).get(f"/jobs/{job.pk}/download/")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    codes = {row[0].value for row in sheet.iter_rows(min_row=2)}
    with override_settings(EXPORT_INLINE_MAX_ROWS=1000):
        inline = web_client(officer).get("/units/?export=csv").content.decode().splitlines()[1:]
    assert codes == {line.split(",")[0] for line in inline} == {"04441-01", "04441-02"}  # the officer's villages
    assert job.result["rows"] == 2


@override_settings(EXPORT_INLINE_MAX_ROWS=1)
def test_only_the_starter_downloads_the_file(tree, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = web_client(officer).get("/units/?export=csv")
    job_url = response["Location"]
    others = {
        "colleague": make_user("commune_officer", tree.xuan_ai),
        "province_admin": make_user("province_admin", tree.yen_bai),
        "citizen": make_user("citizen", tree.xuan_ai, include_descendants=False),
    }
    wrong = []
    for name, other in others.items():
        for url in (job_url, job_url + "download/"):
            status = web_client(other).get(url).status_code
            if status != 404:
                wrong.append(f"{name} {url}: {status}")
    assert web_client().get(job_url + "download/").status_code in (302, 404)
    assert web_client(officer).get(job_url + "download/").status_code == 200
    assert not wrong, wrong


def test_a_job_without_a_file_has_no_download(tree, officer):
    job = Job.objects.create(kind="core.export", title="x", created_by=officer, status="succeeded", result={})
    assert web_client(officer).get(f"/jobs/{job.pk}/download/").status_code == 404
    forged = Job.objects.create(
        kind="core.export", title="x", created_by=officer, status="succeeded", result={"file": "../config/x.py"}
    )
    assert web_client(officer).get(f"/jobs/{forged.pk}/download/").status_code == 404


@pytest.mark.parametrize("view", ["os.system", "tinhso.core.views.HomeView", "tinhso.nothing.Here"])
def test_a_forged_job_cannot_render_anything_but_a_list(tree, officer, view):
    job = Job.objects.create(
        kind="core.export",
        title="x",
        created_by=officer,
        parameters={"view": view, "format": "csv", "as_of": "2024-01-01", "path": "/"},
    )
    run_job(str(job.pk))
    job.refresh_from_db()
    assert job.status == "failed" and "file" not in job.result


@override_settings(EXPORT_INLINE_MAX_ROWS=2)
def test_hostile_export_parameters_end_in_4xx_or_the_list(tree, officer):
    client = web_client(officer)
    for query in ("export=pdf", "export=" + "x" * 3000, "export=csv&page=999999999999999999999", "export=\u202ecsv"):
        assert client.get(f"/units/?{query}").status_code < 500
    assert not Job.objects.filter(status="failed").exists()


@override_settings(EXPORT_INLINE_MAX_ROWS=1)
def test_clicking_twice_while_it_runs_gives_the_same_job(tree, officer, django_capture_on_commit_callbacks):
    client = web_client(officer)
    with django_capture_on_commit_callbacks(execute=False):
        first = client.get("/units/?export=csv")["Location"]
        again = client.get("/units/?export=csv")["Location"]
        other = client.get("/units/?export=xlsx")["Location"]
    assert first == again != other and Job.objects.count() == 2
