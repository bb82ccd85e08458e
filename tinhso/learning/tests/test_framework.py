"""The competence framework is data: shipped with Circular 02/2025's six domains and 24 competences, then the
province's own rows are what pages, forms and tags use."""

import re
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tinhso.accounts.testing import make_user, users_by_role
from tinhso.core.models.changelog import ObjectChange
from tinhso.core.testing import api_client, assert_statuses, cast_on, expected_statuses, statuses, web_client
from tinhso.learning import services
from tinhso.learning.models import Competence, CompetenceDomain, CompetenceLevel, Course, LearnerLevel, Question

from .factories import make_question

pytestmark = pytest.mark.django_db


def test_the_framework_ships_six_domains_and_twenty_four_competences():
    assert CompetenceDomain.objects.count() == 6
    assert Competence.objects.count() == 24
    assert CompetenceDomain.objects.get(number=6).name == "Ứng dụng trí tuệ nhân tạo"
    assert list(Competence.objects.filter(domain__number=4).values_list("code", flat=True)) == [
        "4.1",
        "4.2",
        "4.3",
        "4.4",
    ]


def test_a_domain_renamed_by_the_province_is_what_learners_see(tree):
    CompetenceDomain.objects.filter(number=4).update(name="An toàn, an ninh mạng")
    page = web_client(make_user("citizen", tree.new_khe_dua)).get("/learning/courses/").content.decode()
    assert "An toàn, an ninh mạng" in page


def test_an_officer_tags_a_question_with_competences_of_its_domain(tree):
    officer = web_client(make_user("commune_officer", tree.new_xuan_ai))
    privacy = Competence.objects.get(code="4.2")
    form = {
        "unit": tree.new_xuan_ai.pk,
        "kind": "truefalse",
        "text": "Có nên cho người khác biết mã OTP không?",
        "answers": "false",
        "domain": "4",
        "level": "1",
        "competences": [privacy.pk],
        "is_active": "on",
    }
    assert officer.post("/learning/bank/new/", form).status_code == 302
    assert list(Question.objects.get().competences.all()) == [privacy]


def test_competences_of_another_domain_are_refused_and_nothing_is_saved(tree):
    officer = web_client(make_user("commune_officer", tree.new_xuan_ai))
    form = {
        "unit": tree.new_xuan_ai.pk,
        "title": "An toàn trên mạng",
        "domain": "4",
        "level": "2",
        "competences": [Competence.objects.get(code="6.2").pk],
        "pass_percent": "60",
    }
    page = officer.post("/learning/courses/new/", form).content.decode()
    assert "Chọn năng lực thành phần thuộc miền năng lực đã chọn" in page
    assert not Course.objects.exists()


# --- levels are data ---------------------------------------------------------------------------------------


def test_the_framework_ships_eight_levels_in_four_stages():
    levels = list(CompetenceLevel.objects.values_list("number", "name", "stage", "stage_en"))
    assert [number for number, *_rest in levels] == list(range(1, 9))
    assert levels[0] == (1, "Bậc 1", "Cơ bản", "Foundation")
    assert [stage for *_rest, stage, _en in levels[2::2]] == ["Trung cấp", "Nâng cao", "Chuyên sâu"]
    assert levels[7][3] == "Highly specialised"


@pytest.fixture
def six_levels():
    """A province that keeps six levels, the last one renamed."""
    CompetenceLevel.objects.filter(number__gt=6).delete()
    CompetenceLevel.objects.filter(number=6).update(name="Bậc 6", stage="Thành thạo")


def level_options(page: str) -> list[str]:
    select = page[page.index('name="level"') :]
    select = select[: select.index("</select>")]
    return re.findall(r'<option value="(\d*)"', select)


def test_forms_and_filters_offer_the_levels_the_data_holds(tree, six_levels):
    officer = web_client(make_user("commune_officer", tree.new_xuan_ai))
    for address in ("/learning/bank/new/", "/learning/courses/new/", "/learning/live/new/", "/learning/bank/"):
        page = officer.get(address).content.decode()
        assert level_options(page) == ["", "1", "2", "3", "4", "5", "6"], address
    assert "Bậc 6 (Thành thạo)" in officer.get("/learning/bank/new/").content.decode()
    assert "Bậc 6 (Thành thạo)" in officer.get("/learning/contests/new/").content.decode()
    assert "domain-1…6, competence-1.1…6.3, level-1…6" in officer.get("/learning/bank/import/").content.decode()


def test_a_level_the_data_no_longer_holds_is_refused_everywhere(tree, six_levels):
    officer = make_user("commune_officer", tree.new_xuan_ai)
    form = {
        "unit": tree.new_xuan_ai.pk,
        "kind": "truefalse",
        "text": "Có nên cho người khác biết mã OTP không?",
        "answers": "false",
        "level": "7",
        "is_active": "on",
    }
    assert web_client(officer).post("/learning/bank/new/", form).status_code == 200  # the form again, with the error
    gift = "// [tag:level-6]\nCâu 1 {T}\n\n// [tag:level-7]\nCâu 2 {T}\n"
    file = SimpleUploadedFile("bank.txt", gift.encode())
    response = api_client(officer).post("/api/v1/questions/import/", {"file": file, "format": "gift"})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"line": 5, "message": "Khung năng lực số không có bậc 7."}]
    make_question(tree.new_xuan_ai, "truefalse", level=6)
    live = {"unit": tree.new_xuan_ai.pk, "title": "Đố vui", "count": 1, "level": 7}
    refused = api_client(officer).post("/api/v1/live/", live, format="json")
    assert refused.status_code == 400 and "Chọn một bậc của khung năng lực số" in refused.content.decode()
    with pytest.raises(ValidationError):
        services.save_question(
            Question(unit=tree.new_xuan_ai, kind="truefalse", text="?", data={"answer": True}, level=8), actor=officer
        )
    assert not Question.objects.filter(level__gt=6).exists() and Question.objects.count() == 1
    assert api_client(officer).post("/api/v1/live/", {**live, "level": 6}, format="json").status_code == 201


def test_the_dx_centre_renames_a_level_in_the_admin_and_the_change_is_logged(tree):
    staff = web_client(make_user("dx_centre_staff", tree.yen_bai, is_staff=True))
    level = CompetenceLevel.objects.get(number=1)
    assert staff.get("/admin/learning/competencelevel/").status_code == 200
    form = {"number": 1, "name": "Bậc 1", "stage": "Làm quen", "name_en": "Level 1", "stage_en": "Foundation"}
    assert staff.post(f"/admin/learning/competencelevel/{level.pk}/change/", form).status_code == 302
    change = ObjectChange.objects.filter(object_id=level.pk, object_type__model="competencelevel").latest("pk")
    assert (change.prechange_data["stage"], change.postchange_data["stage"]) == ("Cơ bản", "Làm quen")
    page = web_client(make_user("commune_officer", tree.new_xuan_ai)).get("/learning/bank/").content.decode()
    assert "Bậc 1 (Làm quen)" in page


def test_a_level_in_use_cannot_be_deleted_in_the_admin(tree):
    staff = web_client(make_user("dx_centre_staff", tree.yen_bai, is_staff=True))
    make_question(tree.new_xuan_ai, level=2)
    used, unused = CompetenceLevel.objects.get(number=2), CompetenceLevel.objects.get(number=8)
    assert staff.post(f"/admin/learning/competencelevel/{used.pk}/delete/", {"post": "yes"}).status_code == 403
    assert staff.post(f"/admin/learning/competencelevel/{unused.pk}/delete/", {"post": "yes"}).status_code == 302
    assert list(CompetenceLevel.objects.values_list("number", flat=True)) == list(range(1, 8))


# --- component competences travel with the questions -----------------------------------------------------


@pytest.mark.parametrize("format_name", ["gift", "aiken", "moodlexml"])
def test_a_banks_competences_survive_export_and_import(tree, format_name):
    question = make_question(tree.new_xuan_ai, "single", domain=4, level=2, text="Mật khẩu mạnh?")
    question.competences.set(Competence.objects.filter(code__in=["4.1", "4.2"]))
    client = api_client(make_user("commune_officer", tree.new_xuan_ai))
    exported = client.get(f"/api/v1/questions/export/?format={format_name}").content.decode()
    assert "competence-4.1" in exported and "competence-4.2" in exported
    file = SimpleUploadedFile("bank.txt", exported.encode())
    response = client.post(
        "/api/v1/questions/import/", {"file": file, "format": format_name, "unit": tree.new_xuan_ai.code}
    )
    assert response.json() == {"imported": 1, "dryRun": False, "errors": []}
    imported = Question.objects.exclude(pk=question.pk).get()
    assert (imported.domain, imported.level) == (4, 2)
    assert sorted(imported.competences.values_list("code", flat=True)) == ["4.1", "4.2"]


def test_a_competence_the_province_added_is_a_tag_an_import_accepts(tree):
    Competence.objects.create(domain=CompetenceDomain.objects.get(number=6), code="6.4", name="Dùng AI có trách nhiệm")
    client = api_client(make_user("commune_officer", tree.new_xuan_ai))
    gift = "// [tag:competence-6.4]\nCó nên đưa dữ liệu cá nhân vào chatbot? {F}\n\n// [tag:competence-6.9]\nCâu {T}\n"
    file = SimpleUploadedFile("bank.txt", gift.encode())
    response = client.post("/api/v1/questions/import/", {"file": file, "format": "gift", "dryRun": "true"})
    assert response.json()["errors"] == [{"line": 5, "message": "Khung năng lực số không có năng lực thành phần 6.9."}]
    file = SimpleUploadedFile("bank.txt", gift.split("\n\n")[0].encode())
    assert client.post("/api/v1/questions/import/", {"file": file, "format": "gift"}).json()["imported"] == 1
    assert list(Question.objects.get().competences.values_list("code", flat=True)) == ["6.4"]
    assert Question.objects.get().domain == 6


# --- learners' levels per domain, reported --------------------------------------------------------------


def test_a_commune_officer_sees_learners_per_level_and_domain_in_the_commune_and_exports_them(tree):
    def learner(unit, levels):
        user = make_user("citizen", unit)
        for domain, level in levels.items():
            LearnerLevel.objects.create(
                user=user, unit=unit, domain=domain, level=level, assessed_at="2026-01-01T00:00Z"
            )

    learner(tree.new_khe_dua, {1: 2, 4: 1})
    learner(tree.new_khe_dua, {1: 2, 4: 0})
    learner(tree.new_xuan_ai, {1: 3})
    learner(tree.new_khanh_hoa, {1: 8, 4: 8})  # another commune: not counted
    officer = web_client(make_user("commune_officer", tree.new_xuan_ai))
    page = officer.get("/learning/levels/").content.decode()
    assert "Số người học đã được đánh giá: 3" in page
    table = page[page.index('id="levels"') :]
    data_row = table[table.index("1. Khai thác dữ liệu và thông tin") :]
    cells = re.findall(r"<td>(\d+)</td>", data_row[: data_row.index("</tr>")])
    assert cells == ["0", "0", "2", "1", "0", "0", "0", "0", "0", "3"]  # below 1, levels 1–8, total
    assert "Bậc 8 (Chuyên sâu)" in table
    workbook = load_workbook(BytesIO(officer.get("/learning/levels/?export=xlsx").content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[2][:3] == ("Miền năng lực", "dưới bậc 1", "Bậc 1 (Cơ bản)")
    safety = next(row for row in rows if str(row[0]).startswith("4."))
    assert safety[1:3] == (1, 1) and safety[-1] == 2


def test_a_citizen_may_not_see_the_levels_report(tree):
    assert web_client(make_user("citizen", tree.new_khe_dua)).get("/learning/levels/").status_code == 403


# --- the levels report per commune and per village, across the 2025 reform ------------------------------


def _learner(unit, levels):
    user = make_user("citizen", unit)
    for domain, level in levels.items():
        LearnerLevel.objects.create(user=user, unit=unit, domain=domain, level=level, assessed_at="2026-01-01T00:00Z")


def _unit_rows(page: str) -> dict[str, list[str]]:
    table = page[page.index('id="levels-by-unit"') :]
    table = table[: table.index("</table>")]
    return {
        name: re.findall(r"<td>(\d+)</td>", row)
        for name, row in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table, flags=re.S)
    }


AFTER_REFORM = {
    "province_admin": "lao_cai",
    "dx_centre_staff": "lao_cai",
    "department_staff": "lao_cai",
    "commune_officer": "new_xuan_ai",
    "village_team_leader": "new_khe_dua",
    "citizen": "new_xuan_ai",
}


@pytest.fixture
def assessed(tree):
    _learner(tree.new_khe_dua, {1: 2, 4: 1})
    _learner(tree.dong_tam, {1: 3})  # a village of Yên Hợp, assessed before it was carried into Xuân Ái
    _learner(tree.new_xuan_ai, {1: 0})
    _learner(tree.new_khanh_hoa, {1: 8, 4: 8})
    return tree


def test_the_dx_centre_sees_the_levels_per_commune_of_today_with_old_units_under_their_successor(assessed):
    reader = web_client(make_user("dx_centre_staff", assessed.lao_cai))
    page = reader.get("/learning/levels/").content.decode()
    assert "Theo xã" in page
    rows = _unit_rows(page)
    # Domain 1: below 1, levels 1–8, total. Đồng Tâm's learner (old Yên Hợp) counts in the new Xuân Ái.
    assert rows == {
        "Xã Xuân Ái": ["1", "0", "1", "1", "0", "0", "0", "0", "0", "3"],
        "Xã Khánh Hòa": ["0", "0", "0", "0", "0", "0", "0", "0", "1", "1"],
    }
    safety = _unit_rows(reader.get("/learning/levels/?domain=4").content.decode())
    assert safety["Xã Xuân Ái"][-1] == "1" and safety["Xã Khánh Hòa"][-1] == "1"
    workbook = load_workbook(BytesIO(reader.get("/learning/levels/?export=xlsx").content))
    by_commune = list(workbook["Theo xã"].iter_rows(values_only=True))
    assert by_commune[0][:4] == ("Mã", "Tên", "Miền năng lực", "dưới bậc 1")
    xuan_ai = next(row for row in by_commune if row[1] == "Xã Xuân Ái" and str(row[2]).startswith("1."))
    assert xuan_ai[0] == "04441" and xuan_ai[-1] == 3


def test_a_commune_officer_sees_the_levels_per_village(assessed):
    officer = web_client(make_user("commune_officer", assessed.new_xuan_ai))
    page = officer.get("/learning/levels/").content.decode()
    assert "Theo thôn" in page
    rows = _unit_rows(page)
    assert set(rows) == {"Thôn Khe Dứa", "Thôn Đồng Tâm", "Xã Xuân Ái"}  # the commune's own learners: own row
    assert rows["Thôn Đồng Tâm"][3] == "1" and rows["Thôn Khe Dứa"][2] == "1" and rows["Xã Xuân Ái"][0] == "1"
    assert "Khánh Hòa" not in page


@pytest.mark.parametrize("domain", ["abc", "9", "-1", "1' OR 1=1", "1" * 400])
def test_a_domain_the_framework_does_not_hold_is_a_400_in_vietnamese(assessed, domain):
    officer = web_client(make_user("commune_officer", assessed.new_xuan_ai))
    response = officer.get("/learning/levels/", {"domain": domain})
    assert response.status_code == 400
    assert "Chọn một miền năng lực của khung năng lực số." in response.content.decode()


def test_who_may_read_the_levels_report(assessed):
    users = users_by_role(cast_on(assessed, **AFTER_REFORM))
    readers = {"province_admin", "dx_centre_staff", "department_staff", "district_officer", "commune_officer"}
    assert_statuses(statuses(users, "/learning/levels/"), expected_statuses(users, readers))
    assert_statuses(statuses(users, "/learning/levels/", {"domain": "x"}), expected_statuses(users, readers, ok=400))


# --- the bank's coverage per component competence × level ------------------------------------------------


def _coverage(page: str) -> dict[str, list[int]]:
    table = page[page.index('id="coverage"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table, flags=re.S)
    return {
        name.split(" ")[0] if name[0].isdigit() else name: [
            int(cell) for cell in re.findall(r"(\d+)(?:</a>)?</td>", cells)
        ]
        for name, cells in rows
    }


def _tagged(unit, codes, *, level=1, active=True, domain=4):
    question = make_question(
        unit, domain=domain, level=level, text=f"Câu {'+'.join(codes)} bậc {level} {active} {unit.pk}"
    )
    question.competences.set(Competence.objects.filter(code__in=codes))
    if not active:
        Question.objects.filter(pk=question.pk).update(is_active=False)
    return question


def test_the_bank_page_counts_questions_per_component_competence_and_level(tree):
    _tagged(tree.new_xuan_ai, ["4.1", "4.2"], level=1)  # counts under both
    _tagged(tree.new_xuan_ai, ["4.2"], level=2)
    _tagged(tree.new_xuan_ai, ["4.2"], level=2)
    _tagged(tree.new_xuan_ai, ["4.2"], level=2, active=False)  # not in use: a pool cannot draw it
    _tagged(tree.new_khanh_hoa, ["4.2"], level=2)  # another commune's bank
    make_question(tree.new_xuan_ai, level=3)  # no competence
    officer = web_client(make_user("commune_officer", tree.new_xuan_ai))
    page = officer.get("/learning/bank/").content.decode()
    assert "Số câu hỏi theo năng lực thành phần và bậc" in page
    coverage = _coverage(page)
    # Levels 1–8, "no level", total.
    assert coverage["4.2"] == [1, 2, 0, 0, 0, 0, 0, 0, 0, 3]
    assert coverage["4.1"] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert coverage["6.3"] == [0] * 10  # every competence of the tables, so the gaps show
    assert coverage["Chưa gắn năng lực thành phần"] == [0, 0, 1, 0, 0, 0, 0, 0, 0, 1]
    assert len(coverage) == 25
    # A cell opens the bank at those questions.
    assert 'href="?competence=4.2&level=2"' in page
    listed = officer.get("/learning/bank/", {"competence": "4.2", "level": "2"}).content.decode()
    # The list also shows the question not in use (marked so), as the bank always does; the table counts 2.
    assert "3 câu hỏi" in listed and "Chỉ các câu hỏi của năng lực thành phần 4.2." in listed
    assert "Câu 4.2 bậc 2 False" in listed and "Câu 4.1+4.2 bậc 1" not in listed


@pytest.mark.parametrize("competence", ["9.9", "4.2' OR 1=1", "<script>", "4" * 300])
def test_a_competence_the_framework_does_not_hold_is_a_400_on_the_bank_page(tree, competence):
    _tagged(tree.new_xuan_ai, ["4.2"])
    officer = web_client(make_user("commune_officer", tree.new_xuan_ai))
    response = officer.get("/learning/bank/", {"competence": competence})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chọn một năng lực thành phần của khung năng lực số." in page and "<script>" not in page


def test_who_sees_the_banks_coverage(tree):
    users = users_by_role(cast_on(tree, **AFTER_REFORM))
    readers = {"province_admin", "dx_centre_staff", "department_staff", "district_officer", "commune_officer"}
    assert_statuses(statuses(users, "/learning/bank/"), expected_statuses(users, readers))
    assert_statuses(statuses(users, "/learning/bank/", {"competence": "4.2"}), expected_statuses(users, readers))
    assert_statuses(statuses(users, "/learning/bank/", {"competence": "x"}), expected_statuses(users, readers, ok=400))
