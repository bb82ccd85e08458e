"""Importing members from a spreadsheet through the page: a background job with progress,
every row checked first, nothing written when one row is wrong."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.accounts.testing import make_user
from tinhso.core.models import Job
from tinhso.core.testing import web_client
from tinhso.teams.importers.members import template_workbook
from tinhso.teams.models import Member, Person

HEADER = "Mã đơn vị,Họ và tên,Số điện thoại,Giới tính,Dân tộc,Năm sinh,Chức danh,Ngày tham gia\n"


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    def send(client, text: str, name="thanh-vien.csv"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post("/teams/members/import/", {"file": SimpleUploadedFile(name, text.encode("utf-8"))})

    return send


def test_a_thousand_rows_are_imported_by_a_job_the_user_can_watch(world, upload):
    officer = web_client(make_user("commune_officer", world.tree.xuan_ai))
    rows = "".join(
        f"04441-02,Người Thứ {n},09{n:08d},{'Nam' if n % 2 else 'Nữ'},Dao,1990,,01/03/2024\n" for n in range(1000)
    )
    response = upload(officer, HEADER + rows)
    job = Job.objects.get(kind="teams.import_members")
    assert response.url == f"/jobs/{job.pk}/"
    assert (job.status, job.result["created"]) == ("succeeded", 1000)
    assert Member.objects.filter(team=world.na_hau).count() == 1001
    page = officer.get(response.url).content.decode()
    assert "1.000" in page


def test_one_bad_row_stops_the_whole_import_and_says_why(world, upload):
    officer = web_client(make_user("commune_officer", world.tree.xuan_ai))
    before = (Member.objects.count(), Person.objects.count())
    upload(
        officer,
        HEADER + "04441-02,Lý Thị Mai,0971000001,Nữ,Dao,1990,,\n04441-02,Sùng A Chứ,0971000002,Nam,Mèo Vạc,1988,,\n",
    )
    job = Job.objects.get(kind="teams.import_members")
    assert job.status == "failed"
    assert job.result["errors"] == [
        {"row": 3, "column": "Dân tộc", "message": "Không có dân tộc “Mèo Vạc” trong danh mục 54 dân tộc."}
    ]
    assert (Member.objects.count(), Person.objects.count()) == before


def test_a_commune_officer_cannot_import_into_another_commune(world, upload):
    officer = web_client(make_user("commune_officer", world.tree.khanh_hoa))
    upload(officer, HEADER + "04441-02,Lý Thị Mai,0971000001,Nữ,Dao,1990,,\n")
    job = Job.objects.get(kind="teams.import_members")
    assert job.status == "failed" and "04441-02" in job.result["errors"][0]["message"]
    assert not Person.objects.filter(phone="0971000001").exists()


def test_the_sample_file_has_every_column_the_import_reads():
    from tinhso.core.imports import read_table
    from tinhso.teams.importers.members import COLUMNS, REQUIRED

    sample = io.BytesIO(template_workbook())
    sample.name = "mau.xlsx"
    rows = read_table(sample, COLUMNS, required=REQUIRED)
    assert len(rows) == 2
    assert set(COLUMNS) <= set(rows[0])


def test_the_scores_are_computed_by_a_job_that_only_a_scorer_may_start(world):
    from django.core.exceptions import PermissionDenied

    from tinhso.teams import services

    with pytest.raises(PermissionDenied):
        services.start_team_evaluation("village", "2025", actor=make_user("village_team_leader", world.tree.khe_dua))
    assert not Job.objects.exists()
    job = services.start_team_evaluation("village", "2025", actor=make_user("dx_centre_staff", world.tree.lao_cai))
    assert (job.kind, job.parameters["period"]) == ("teams.evaluate", "2025")
