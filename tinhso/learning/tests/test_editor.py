"""The managers' pages: who may open them, questions written on a page with validation, import from the page
(errors by line, nothing on error), contests with their question groups, courses and lessons."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.learning.models import Contest, Course, Lesson, Question

from .factories import make_question

pytestmark = pytest.mark.django_db

PAGES = ["/learning/bank/", "/learning/bank/new/", "/learning/bank/import/", "/learning/contests/new/"]
PAGES += ["/learning/courses/new/", "/learning/live/new/"]
MANAGER = set(PAGES)
EXPECTED = {
    "province_admin": MANAGER,
    "dx_centre_staff": MANAGER,
    "district_officer": MANAGER,
    "commune_officer": MANAGER,
    "department_staff": {"/learning/bank/"},
    "village_team_leader": set(),
    "citizen": set(),
}


def unit_for(role, tree):
    return tree.lao_cai if role in ("province_admin", "dx_centre_staff", "department_staff") else tree.new_xuan_ai


def test_who_may_open_the_editor_pages(tree):
    wrong = []
    for role, allowed in EXPECTED.items():
        client = web_client(make_user(role, unit_for(role, tree)))
        for url in PAGES:
            status = client.get(url).status_code
            if (status == 200) != (url in allowed) or status not in (200, 403):
                wrong.append(f"{role} {url}: {status}")
    assert not wrong, wrong
    assert web_client().get("/learning/bank/").status_code == 302  # to the login page


def question_form(tree, **overrides):
    return {
        "unit": tree.new_xuan_ai.pk,
        "kind": "single",
        "text": "Ứng dụng nào dùng để định danh điện tử?",
        "answers": "* VNeID\nZalo\nFacebook",
        "topic": "Định danh",
        "domain": "1",
        "level": "1",
        "is_active": "on",
        **overrides,
    }


def test_an_officer_writes_a_question_on_the_page_and_edits_it(tree, officer):
    client = web_client(officer)
    response = client.post("/learning/bank/new/", question_form(tree))
    assert response.status_code == 302, response.content.decode()[-2000:]
    question = Question.objects.get()
    assert question.data["choices"][0] == {"text": "VNeID", "fraction": 100}
    assert question.data["choices"][1]["fraction"] == 0
    edit = client.get(f"/learning/bank/{question.pk}/edit/").content.decode()
    assert "* VNeID" in edit
    client.post(
        f"/learning/bank/{question.pk}/edit/",
        question_form(tree, kind="multiple", answers="* VNeID\n* Dịch vụ công\nZalo"),
    )
    question.refresh_from_db()
    assert [c["fraction"] for c in question.data["choices"]] == [50, 50, -100]
    assert "Ứng dụng nào" in client.get("/learning/bank/?q=định danh").content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"answers": "* VNeID\n* Zalo"}, "đúng một phương án đúng"),
        ({"answers": "VNeID\nZalo"}, "Đánh dấu *"),
        ({"kind": "numeric", "answers": "nan"}, "Ghi một số"),
        ({"kind": "numeric", "answers": "12 ± -1"}, "Ghi một số"),
        ({"kind": "matching", "answers": "DTI Chỉ số"}, "vế trái = vế phải"),
        ({"kind": "truefalse", "answers": "có lẽ"}, "true"),
        ({"kind": "hack"}, "hack"),
        ({"text": "Câu\u202ehỏi"}, "U+202E"),
        ({"level": "99"}, "8"),
        ({"unit": "999999"}, ""),
        ({"answers": ""}, ""),
    ],
)
def test_a_bad_question_is_refused_on_the_form_and_nothing_is_saved(tree, officer, overrides, message):
    response = web_client(officer).post("/learning/bank/new/", question_form(tree, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Question.objects.exists()


def test_a_question_outside_the_officers_units_is_not_found(tree, officer):
    elsewhere = make_question(tree.new_khanh_hoa)
    above = make_question(tree.lao_cai)
    client = web_client(officer)
    for question in (elsewhere, above):
        assert client.get(f"/learning/bank/{question.pk}/edit/").status_code == 404
        assert client.post(f"/learning/bank/{question.pk}/edit/", question_form(tree)).status_code == 404
    assert Question.objects.get(pk=elsewhere.pk).text == elsewhere.text
    # nor can the form put a question in another commune's bank
    response = client.post("/learning/bank/new/", question_form(tree, unit=tree.new_khanh_hoa.pk))
    assert response.status_code == 200 and Question.objects.count() == 2


GOOD_GIFT = "::Q1:: Thủ đô? {=Hà Nội ~Huế}\n\n::Q2:: OTP là bí mật. {T}\n"
BAD_GIFT = "::Q1:: Thủ đô? {=Hà Nội ~Huế}\n\n::Q2:: Hỏng {=\n"


def upload(client, tree, text, **extra):
    file = SimpleUploadedFile("bank.gift", text.encode())
    return client.post("/learning/bank/import/", {"unit": tree.new_xuan_ai.pk, "format": "gift", "file": file, **extra})


def test_import_from_the_page_lists_errors_by_line_and_imports_nothing(tree, officer):
    client = web_client(officer)
    response = upload(client, tree, BAD_GIFT)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Chưa nhập câu nào" in page and "Dòng 3" in page
    assert not Question.objects.exists()
    checked = upload(client, tree, GOOD_GIFT, dry_run="on")
    assert checked.status_code == 200 and "sẽ nhập 2 câu hỏi" in checked.content.decode()
    assert not Question.objects.exists()
    done = upload(client, tree, GOOD_GIFT)
    assert "Đã nhập 2 câu hỏi" in done.content.decode()
    assert Question.objects.filter(unit=tree.new_xuan_ai).count() == 2


def test_import_refuses_a_file_that_is_not_utf8_or_in_an_unknown_format(tree, officer):
    client = web_client(officer)
    file = SimpleUploadedFile("bank.gift", "Thủ đô? {=Hà Nội}".encode("utf-16"))
    response = client.post("/learning/bank/import/", {"unit": tree.new_xuan_ai.pk, "format": "gift", "file": file})
    assert response.status_code == 400 and "UTF-8" in response.content.decode()
    file = SimpleUploadedFile("bank.gift", b"x")
    response = client.post("/learning/bank/import/", {"unit": tree.new_xuan_ai.pk, "format": "docx", "file": file})
    assert response.status_code == 400
    assert not Question.objects.exists()


def contest_form(tree, **overrides):
    return {
        "unit": tree.new_xuan_ai.pk,
        "purpose": "contest",
        "title": "Tìm hiểu chuyển đổi số 2026",
        "opens_at": "2026-06-01T00:00",
        "closes_at": "2026-06-30T23:59",
        "time_limit_minutes": "15",
        "attempts_allowed": "3",
        "grading": "best",
        "shuffle_questions": "on",
        "review": "score",
        "eligibility": "registered",
        "is_published": "on",
        "pools-TOTAL_FORMS": "3",
        "pools-INITIAL_FORMS": "0",
        "pools-0-topic": "Định danh",
        "pools-0-count": "10",
        "pools-1-domain": "4",
        "pools-1-level": "2",
        "pools-1-count": "10",
        **overrides,
    }


def test_an_officer_builds_a_contest_with_two_groups_and_edits_it(tree, officer):
    client = web_client(officer)
    response = client.post("/learning/contests/new/", contest_form(tree))
    assert response.status_code == 302, response.content.decode()[-3000:]
    contest = Contest.objects.get()
    assert contest.question_count == 20 and contest.time_limit_minutes == 15
    assert list(contest.pools.values_list("domain", "level")) == [(None, None), (4, 2)]
    page = client.get(f"/learning/contests/{contest.pk}/edit/").content.decode()
    assert 'value="Định danh"' in page
    client.post(f"/learning/contests/{contest.pk}/edit/", contest_form(tree, **{"pools-1-count": "5"}))
    assert Contest.objects.get().question_count == 15


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"closes_at": "2026-05-01T00:00"}, "kết thúc phải sau thời gian bắt đầu"),
        ({"pools-0-count": "", "pools-1-count": ""}, "ít nhất một nhóm câu hỏi"),
        ({"pools-0-count": "-3"}, ""),
        ({"pools-TOTAL_FORMS": "5000"}, ""),
        ({"attempts_allowed": "0"}, ""),
        ({"title": "Cuộc\u200bthi"}, "U+200B"),
        ({"opens_at": "ngày mai"}, ""),
    ],
)
def test_a_bad_contest_is_refused_on_the_form_and_nothing_is_saved(tree, officer, overrides, message):
    response = web_client(officer).post("/learning/contests/new/", contest_form(tree, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Contest.objects.exists()


def test_a_contest_of_another_commune_cannot_be_edited(tree, officer):
    other = make_user("commune_officer", tree.new_khanh_hoa)
    web_client(other).post("/learning/contests/new/", contest_form(tree, unit=tree.new_khanh_hoa.pk))
    contest = Contest.objects.get()
    client = web_client(officer)
    assert client.get(f"/learning/contests/{contest.pk}/edit/").status_code == 404
    assert client.post(f"/learning/contests/{contest.pk}/edit/", contest_form(tree)).status_code == 404
    assert Contest.objects.get().unit == tree.new_khanh_hoa


def test_an_officer_writes_a_course_and_its_lessons_on_pages(tree, officer):
    client = web_client(officer)
    response = client.post(
        "/learning/courses/new/",
        {"unit": tree.new_xuan_ai.pk, "title": "Dùng VNeID", "domain": "1", "level": "1", "pass_percent": "60"},
    )
    assert response.status_code == 302
    course = Course.objects.get()
    assert response.url == f"/learning/courses/{course.pk}/"
    lesson = {"order": "1", "title": "Cài ứng dụng", "body": "Tải VNeID.", "video_url": "https://example.vn/v"}
    assert client.post(f"/learning/courses/{course.pk}/lessons/new/", lesson).status_code == 302
    bad = client.post(f"/learning/courses/{course.pk}/lessons/new/", {**lesson, "video_url": "javascript:alert(1)"})
    assert bad.status_code == 400 and Lesson.objects.count() == 1
    assert (
        client.post(
            "/learning/courses/new/", {"unit": tree.new_xuan_ai.pk, "title": "X", "pass_percent": "0"}
        ).status_code
        == 200
    )
    assert Course.objects.count() == 1
    citizen = web_client(make_user("citizen", tree.new_khe_dua))
    assert citizen.get(f"/learning/courses/{course.pk}/").status_code == 404  # a draft
    assert citizen.get(f"/learning/courses/{course.pk}/edit/").status_code == 403
    assert citizen.post(f"/learning/courses/{course.pk}/lessons/new/", lesson).status_code == 403
    assert Lesson.objects.count() == 1


@pytest.mark.parametrize("query", ["domain=%C2%B2", f"domain={2**70}", "domain=%EF%BC%91", "q=" + "x" * 60_000])
def test_the_bank_filters_take_hostile_values_without_a_server_error(tree, officer, query):
    """A superscript ² passed isdigit() but not int(): a 500 on the question bank."""
    make_question(tree.new_xuan_ai, text="Ứng dụng nào là định danh điện tử?")
    assert web_client(officer).get(f"/learning/bank/?{query}").status_code == 200
