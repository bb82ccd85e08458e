import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from tinhso.accounts.testing import make_user
from tinhso.core.imports import ImportRejected
from tinhso.core.jobs import start_job
from tinhso.core.models import Job
from tinhso.core.testing import api_client
from tinhso.units.importers.villages import import_villages
from tinhso.units.models import Unit

HEADER = "Mã xã,Tên thôn,Loại,Số hộ,Hiệu lực từ\n"


def csv_file(rows: str, name="thon.csv"):
    return SimpleUploadedFile(name, (HEADER + rows).encode("utf-8"), content_type="text/csv")


def xlsx_file(rows: list[list]):
    book = Workbook()
    sheet = book.active
    sheet.append(["Mã xã", "Tên thôn", "Loại"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("thon.xlsx", buffer.getvalue())


@pytest.fixture
def officer(tree):
    return make_user("commune_officer", tree.xuan_ai)


def test_valid_villages_are_created_with_codes_after_the_commune(tree, officer):
    result = import_villages(
        csv_file("04441,Làng Chạp,Thôn,120,1/3/2024\n04441,Bản Pá Khoang,Bản,80,\n"),
        actor=officer,
        day=tree.khe_dua.valid_from,
    )
    assert result["created"] == 2
    created = Unit.objects.filter(parent=tree.xuan_ai, short_name__in=["Làng Chạp", "Pá Khoang"])
    assert sorted(created.values_list("name", flat=True)) == ["Bản Pá Khoang", "Thôn Làng Chạp"]
    assert sorted(created.values_list("code", flat=True)) == ["04441-03", "04441-04"]


def test_any_bad_row_rejects_the_whole_file_and_lists_every_problem(tree, officer):
    rows = (
        "04441,Thôn Mới,Thôn,10,\n"
        "99999,Thôn Lạ,Thôn,,\n"
        "04426,Thôn Khác Xã,Thôn,,\n"
        "04441,,Thôn,,\n"
        "04441,Xóm Tre,Nhà,,\n"
        "04441,Khe Dứa,Thôn,,\n"
        "04441,Thôn Số,Thôn,mười,\n"
        "04441,Thôn Ngày,Thôn,,32/13/2024\n"
    )
    before = Unit.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        import_villages(csv_file(rows), actor=officer, day=tree.khe_dua.valid_from)
    problems = {(error.row, error.column) for error in rejected.value.errors}
    assert problems == {
        (3, "commune_code"),
        (4, "commune_code"),
        (5, "name"),
        (6, "unit_type"),
        (7, "name"),
        (8, "households"),
        (9, "valid_from"),
    }
    assert "ngoài phạm vi" in rejected.value.errors[1].message
    assert Unit.objects.count() == before


def test_excel_files_are_read_too(tree, officer):
    result = import_villages(xlsx_file([["04441", "Nậm Có", "Bản"]]), actor=officer, day=tree.khe_dua.valid_from)
    assert result["created"] == 1


def test_a_file_without_the_required_columns_says_which_are_missing(tree, officer):
    upload = SimpleUploadedFile("x.csv", "Tên,Loại\nA,Thôn\n".encode())
    with pytest.raises(ImportRejected) as rejected:
        import_villages(upload, actor=officer)
    assert "Mã xã" in str(rejected.value)


def test_the_import_job_reports_progress_and_the_rows_it_rejected(tree, officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(
            kind="units.import_villages",
            title="Nhập thôn",
            actor=officer,
            input_file=csv_file("99999,Thôn Lạ,Thôn,,\n"),
        )
    job = Job.objects.get(pk=job.pk)
    assert job.status == "failed"
    assert job.result["errors"][0]["row"] == 2


def test_the_api_import_answers_202_and_its_job_lists_every_bad_row(tree, officer, django_capture_on_commit_callbacks):
    client = api_client(officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/units/import/", {"file": csv_file("99999,Thôn Lạ,Thôn,,\n")}, format="multipart"
        )
    assert response.status_code == 202
    job = client.get(response["Location"]).json()
    assert job["status"] == "failed"
    assert job["result"]["errors"][0]["column"] == "commune_code"


def test_someone_who_may_not_add_villages_is_refused_before_any_job_starts(tree):
    response = api_client(make_user("citizen", tree.xuan_ai)).post(
        "/api/v1/units/import/", {"file": csv_file("04441,Thôn Mới,Thôn,,\n")}, format="multipart"
    )
    assert response.status_code == 403
    assert not Job.objects.exists()
