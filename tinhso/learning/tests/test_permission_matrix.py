"""Every role (and anonymous) × learning's API (the question bank, the contest list) and its bank pages, with
the shared permission matrix (tinhso.core.testing): a refused write changes no row and writes no change log.

Expected outcomes come from LearningConfig.ready() and docs/learning.md: the DX centre holds all of learning;
the district and the commune manage banks and contests on their units; department staff read questions,
contests and courses; village roles and citizens manage nothing but may enter any published contest."""

import itertools

import pytest

from tinhso.accounts.testing import users_by_role
from tinhso.core.testing import READ, ApiMatrix, PageMatrix
from tinhso.learning.models import Contest, Course, Question

from .factories import make_contest, make_question

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)

PLACES = {
    "province_admin": "yen_bai",
    "dx_centre_staff": "yen_bai",
    "department_staff": "yen_bai",
    "district_officer": "van_yen",
    "commune_officer": "xuan_ai",
    "village_team_leader": "khe_dua",
    "party_cell_secretary": "na_hau",
    "citizen": "xuan_ai",
}
MANAGERS = ("province_admin", "dx_centre_staff", "district_officer", "commune_officer")
READERS = (*MANAGERS, "department_staff")
LOGGED_IN = tuple(PLACES)


@pytest.fixture
def users(tree):
    people = users_by_role({role: getattr(tree, place) for role, place in PLACES.items()})
    return people | {"anonymous": None}


def a_question(unit):
    return make_question(unit, text=f"Câu hỏi ma trận {next(_numbers)}")


def test_the_question_bank_api_is_read_by_its_managers_and_department_staff_and_written_by_nobody(tree, users):
    # The API bank is read-only (writes go through the bank pages and the import): create, update and delete
    # are refused to everyone, the province included, and change nothing.
    matrix = ApiMatrix(
        "/api/v1/questions/",
        Question,
        make=lambda: a_question(tree.xuan_ai),
        create=lambda: {"kind": "truefalse", "text": f"Mới {next(_numbers)}", "data": {"answer": True}},
        update={"text": "Đã sửa"},
    )
    matrix.check(users, {role: set(READ) for role in READERS})


def test_a_question_of_another_district_is_out_of_the_district_and_commune_officers_reach(tree, users):
    matrix = ApiMatrix("/api/v1/questions/", Question, make=lambda: a_question(tree.khanh_hoa))
    matrix.check(users, {role: set(READ) for role in ("province_admin", "dx_centre_staff", "department_staff")}, READ)


def test_a_draft_contest_is_listed_to_those_who_manage_or_read_its_unit(tree, users):
    matrix = ApiMatrix(
        "/api/v1/contests/",
        Contest,
        make=lambda: make_contest(tree.xuan_ai, title=f"Nháp {next(_numbers)}", published=False),
    )
    matrix.check(users, {role: {"list"} for role in READERS}, actions={"list"})


def test_a_published_contest_is_listed_to_everyone_logged_in(tree, users):
    matrix = ApiMatrix(
        "/api/v1/contests/", Contest, make=lambda: make_contest(tree.xuan_ai, title=f"Hội thi {next(_numbers)}")
    )
    matrix.check(users, {role: {"list"} for role in LOGGED_IN}, actions={"list"})


def test_the_bank_page_lists_a_question_to_its_readers_and_its_edit_page_opens_for_managers_only(tree, users):
    matrix = PageMatrix(
        "/learning/bank/",
        lambda question: f"/learning/bank/{question.pk}/edit/",
        make=lambda: a_question(tree.xuan_ai),
        shows=lambda question: question.text,
    )
    expected = {role: {"list", "detail"} for role in MANAGERS} | {"department_staff": {"list"}}
    matrix.check(users, expected)


@pytest.mark.parametrize("published", [False, True])
def test_a_contest_and_its_leaderboard_are_shown_to_everyone_once_published_and_to_its_readers_before(
    tree, users, published
):
    matrix = PageMatrix(
        "/learning/",
        lambda contest: f"/learning/contests/{contest.pk}/leaderboard/",
        make=lambda: make_contest(tree.xuan_ai, title=f"Hội thi ma trận {next(_numbers)}", published=published),
        shows=lambda contest: contest.title,
    )
    matrix.check(users, {role: {"list", "detail"} for role in (LOGGED_IN if published else READERS)})


@pytest.mark.parametrize("published", [False, True])
def test_a_course_is_shown_to_everyone_once_published_and_to_its_readers_before(tree, users, published):
    matrix = PageMatrix(
        "/learning/courses/",
        lambda course: f"/learning/courses/{course.pk}/",
        make=lambda: Course.objects.create(
            unit=tree.xuan_ai, title=f"Khóa học ma trận {next(_numbers)}", is_published=published
        ),
        shows=lambda course: course.title,
    )
    matrix.check(users, {role: {"list", "detail"} for role in (LOGGED_IN if published else READERS)})


@pytest.mark.parametrize("published", [False, True])
def test_the_shared_contest_page_opens_to_anyone_once_published_and_to_its_readers_before(tree, users, published):
    matrix = PageMatrix(
        "/learning/",
        lambda contest: f"/learning/contests/{contest.pk}/",
        make=lambda: make_contest(tree.xuan_ai, title=f"Hội thi chia sẻ {next(_numbers)}", published=published),
        shows=lambda contest: contest.title,
    )
    expected = {role: {"list", "detail"} for role in (LOGGED_IN if published else READERS)}
    matrix.check(users, expected | ({"anonymous": {"detail"}} if published else {}))


def test_the_bank_api_shows_a_picture_to_those_who_may_change_the_question_and_its_url_opens_for_them_only(
    tree, users, settings, tmp_path
):
    # Department staff read the bank but may not open the managers' image view: they get null, not a dead link;
    # a citizen never reaches the bank (the picture is theirs only inside an attempt).
    from django.core.files.base import ContentFile

    from tinhso.core.testing import api_client, web_client
    from tinhso.learning import services

    from .test_moodle_images import png

    settings.MEDIA_ROOT = tmp_path
    question = a_question(tree.xuan_ai)
    question.image_caption = "Sơ đồ các bước"
    services.save_question(question, actor=users["province_admin"], image=ContentFile(png(), name="a.png"))
    seen = {}
    for role, user in users.items():
        if user is None:
            continue
        response = api_client(user).get(f"/api/v1/questions/{question.pk}/")
        image = response.json().get("image") if response.status_code == 200 else "no bank"
        opens = web_client(user).get(f"/learning/bank/{question.pk}/image/").status_code == 200
        seen[role] = (image if image in (None, "no bank") else (image["width"], image["alt"]), opens)
        if isinstance(image, dict):
            assert image["url"] == f"/learning/bank/{question.pk}/image/" and image["height"] == 480
    shown = ((640, "Sơ đồ các bước"), True)
    assert seen == dict.fromkeys(MANAGERS, shown) | {"department_staff": (None, False)} | dict.fromkeys(
        ("village_team_leader", "party_cell_secretary", "citizen"), ("no bank", False)
    )
