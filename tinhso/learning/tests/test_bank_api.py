"""Importing and exporting the question bank through the API."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client
from tinhso.learning.models import Question

from .factories import make_question

pytestmark = pytest.mark.django_db

GIFT = (
    "// [tag:domain-4] [tag:competence-4.2] [tag:level-2]\n::OTP::Có nên cho người lạ biết mã OTP? {F}\n\n"
    "Thủ đô? {=Hà Nội ~Huế}\n"
)


def upload(client, text, format_name="gift", **extra):
    file = SimpleUploadedFile("bank.txt", text.encode(), content_type="text/plain")
    return client.post("/api/v1/questions/import/", {"file": file, "format": format_name, **extra}, format="multipart")


def test_an_officer_imports_a_gift_bank_into_the_commune(tree):
    officer = make_user("commune_officer", tree.new_xuan_ai)
    response = upload(api_client(officer), GIFT)
    assert response.status_code == 200, response.content
    assert response.json() == {"imported": 2, "dryRun": False, "errors": []}
    otp = Question.objects.get(name="OTP")
    assert (otp.kind, otp.domain, otp.level, otp.unit) == ("truefalse", 4, 2, tree.new_xuan_ai)
    assert list(otp.competences.values_list("code", flat=True)) == ["4.2"]


def test_a_dry_run_counts_but_imports_nothing(tree):
    officer = make_user("commune_officer", tree.new_xuan_ai)
    response = upload(api_client(officer), GIFT, dryRun="true")
    assert response.json()["imported"] == 2
    assert not Question.objects.exists()


def test_a_dry_run_lists_tags_the_framework_does_not_hold_by_line(tree):
    officer = make_user("commune_officer", tree.new_xuan_ai)
    wrong = GIFT.replace("competence-4.2", "competence-6.2") + "\n// [tag:level-9] [tag:domain-7]\nCâu {T}\n"
    response = upload(api_client(officer), wrong, dryRun="true")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"line": 2, "message": "Năng lực thành phần 6.2 không thuộc miền năng lực 4."},
        {"line": 7, "message": "Khung năng lực số không có bậc 9."},
        {"line": 7, "message": "Khung năng lực số không có miền năng lực 7."},
    ]
    assert not Question.objects.exists()


def test_a_malformed_file_imports_nothing_and_lists_lines_in_vietnamese(tree):
    officer = make_user("commune_officer", tree.new_xuan_ai)
    response = upload(api_client(officer), GIFT + "\nCâu hỏng {=a ~b\n")
    assert response.status_code == 400
    assert response.json()["errors"][0]["line"] == 6
    assert "Câu hỏi" in response.json()["errors"][0]["message"]
    assert not Question.objects.exists()


@pytest.mark.parametrize("body", [b"\xff\xfe\x00bad", b"<quiz><question type='x'>" * 3])
def test_hostile_uploads_end_in_400(tree, body):
    officer = make_user("commune_officer", tree.new_xuan_ai)
    file = SimpleUploadedFile("bank.xml", body)
    response = api_client(officer).post("/api/v1/questions/import/", {"file": file, "format": "moodlexml"})
    assert response.status_code == 400
    assert not Question.objects.exists()


def test_an_unknown_format_is_refused(tree):
    officer = make_user("commune_officer", tree.new_xuan_ai)
    assert upload(api_client(officer), GIFT, format_name="docx").status_code == 400


def test_a_citizen_may_not_import_or_export(tree):
    citizen = make_user("citizen", tree.new_khe_dua)
    assert upload(api_client(citizen), GIFT).status_code == 403
    assert api_client(citizen).get("/api/v1/questions/export/?format=gift").status_code == 403
    assert not Question.objects.exists()


def test_the_export_holds_the_callers_units_questions_only(tree):
    make_question(tree.new_xuan_ai, text="Câu của Xuân Ái")
    make_question(tree.new_khanh_hoa, text="Câu của Khánh Hòa")
    officer = make_user("commune_officer", tree.new_xuan_ai)
    response = api_client(officer).get("/api/v1/questions/export/?format=gift")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Câu của Xuân Ái" in text and "Khánh Hòa" not in text


def test_an_export_imports_back_unchanged(tree):
    for kind in ("single", "multiple", "truefalse", "short", "numeric", "matching"):
        make_question(tree.new_xuan_ai, kind)
    officer = make_user("commune_officer", tree.new_xuan_ai)
    client = api_client(officer)
    for format_name in ("gift", "moodlexml"):
        exported = client.get(f"/api/v1/questions/export/?format={format_name}").content.decode()
        response = upload(client, exported, format_name, dryRun="true")
        assert response.json()["imported"] == 6, (format_name, response.json())
