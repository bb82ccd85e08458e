"""The API of courses and live rounds: what a learner, a phone and a host see and may do; hostile input → 4xx
with nothing written."""

import itertools

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.testing import READ, ApiMatrix, api_client
from tinhso.learning import services
from tinhso.learning.models import Course, Lesson, LiveAnswer, LiveRound

from .factories import stock_bank
from .test_permission_matrix import LOGGED_IN, MANAGERS, users  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)


def a_course(unit, published=True):
    course = Course.objects.create(unit=unit, title=f"Khóa học {next(_numbers)}", is_published=published)
    Lesson.objects.create(course=course, order=1, title="Bài 1", body="Nội dung")
    Lesson.objects.create(course=course, order=2, title="Bài 2", body="Nội dung")
    return course


def test_a_learner_lists_courses_completes_lessons_and_sees_progress(tree):
    course = a_course(tree.xuan_ai)
    draft = a_course(tree.xuan_ai, published=False)
    learner = api_client(make_user("citizen", tree.new_xuan_ai))
    rows = learner.get("/api/v1/courses/").json()["results"]
    assert [row["id"] for row in rows] == [course.pk] and rows[0]["progress"] == 0
    first = course.lessons.order_by("order").first()
    done = learner.post(f"/api/v1/lessons/{first.pk}/complete/")
    assert done.status_code == 200 and done.json()["progress"] == 50
    detail = learner.get(f"/api/v1/courses/{course.pk}/").json()
    assert [lesson["read"] for lesson in detail["lessons"]] == [True, False]
    progress = learner.get("/api/v1/courses/progress/").json()
    assert progress["courses"][0]["progress"] == 50 and len(progress["levels"]) == 6
    assert learner.post(f"/api/v1/lessons/{draft.lessons.first().pk}/complete/").status_code == 404
    assert learner.get(f"/api/v1/courses/{draft.pk}/").status_code == 404
    assert api_client().get("/api/v1/courses/").status_code in (401, 403)


def test_courses_matrix_published_for_everyone_logged_in_drafts_for_their_readers(tree, users):  # noqa: F811
    ApiMatrix("/api/v1/courses/", Course, make=lambda: a_course(tree.xuan_ai)).check(
        users, {role: set(READ) for role in LOGGED_IN}, READ
    )
    readers = (*MANAGERS, "department_staff")
    ApiMatrix("/api/v1/courses/", Course, make=lambda: a_course(tree.xuan_ai, published=False)).check(
        users, {role: set(READ) for role in readers}, READ
    )


@pytest.fixture
def host(tree):
    stock_bank(tree.lao_cai, 4)
    return make_user("commune_officer", tree.new_xuan_ai, full_name="Người dẫn")


def test_live_rounds_are_listed_to_their_managers_and_started_by_them(tree, users):  # noqa: F811
    stock_bank(tree.yen_bai, 4)
    who = make_user("commune_officer", tree.xuan_ai)
    matrix = ApiMatrix(
        "/api/v1/live/",
        LiveRound,
        make=lambda: services.create_live_round(actor=who, unit=tree.xuan_ai, title="Đố vui", count=2),
        create=lambda: {"unit": tree.xuan_ai.pk, "title": f"Vòng {next(_numbers)}", "count": 2, "seconds": 20},
        update={"title": "Đã sửa"},
    )
    matrix.check(users, {role: {"list", "detail", "create"} for role in MANAGERS})


def test_a_phone_joins_with_the_pin_polls_and_answers_and_the_host_drives_the_round(tree, host):
    hosting = api_client(host)
    created = hosting.post(
        "/api/v1/live/", {"unit": tree.new_xuan_ai.pk, "title": "Đố vui", "count": 2, "seconds": 30}, format="json"
    )
    assert created.status_code == 201, created.content
    live = LiveRound.objects.get()
    phone = api_client(make_user("citizen", tree.new_xuan_ai))
    assert phone.get(f"/api/v1/live/{live.pk}/state/").status_code == 404  # the PIN first
    wrong = phone.post("/api/v1/live/join/", {"pin": "abc"}, format="json")
    assert wrong.status_code == 400 and "PIN" in str(wrong.json())
    ticket = phone.post("/api/v1/live/join/", {"pin": live.pin}, format="json").json()["ticket"]
    state = phone.get(f"/api/v1/live/{live.pk}/state/", {"ticket": ticket})
    assert state.json()["status"] == "waiting" and state.json()["question"] is None
    again = phone.get(f"/api/v1/live/{live.pk}/state/", {"ticket": ticket}, HTTP_IF_NONE_MATCH=state["ETag"])
    assert again.status_code == 304
    player = api_client(make_user("citizen", tree.new_xuan_ai))
    assert player.post(f"/api/v1/live/{live.pk}/advance/").status_code == 404
    opened = hosting.post(f"/api/v1/live/{live.pk}/advance/").json()
    assert opened["status"] == "asking"
    shown = phone.get(f"/api/v1/live/{live.pk}/state/", {"ticket": ticket}).json()
    assert shown["open"] and "correct" not in shown["question"]
    url = f"/api/v1/live/{live.pk}/answers/"
    for hostile in ({"index": 0, "answer": {"x": 1}}, {"index": -1, "answer": 0}, {"index": 0, "answer": "x" * 5000}):
        response = phone.post(url, {"ticket": ticket, **hostile}, format="json")
        assert response.status_code == 400, (hostile, response.content)
    key = shown["question"]["choices"][0]["key"] if "choices" in shown["question"] else True
    assert phone.post(url, {"ticket": ticket, "index": 0, "answer": key}, format="json").status_code == 201
    twice = phone.post(url, {"ticket": ticket, "index": 0, "answer": key}, format="json")
    assert twice.status_code == 400 and LiveAnswer.objects.count() == 1
    assert hosting.post(f"/api/v1/live/{live.pk}/advance/").json()["status"] == "showing"
    after = phone.get(f"/api/v1/live/{live.pk}/state/", {"ticket": ticket}).json()
    assert "correct" in after["question"] and after["myPoints"] is not None
    stranger = api_client(make_user("citizen", tree.new_xuan_ai))
    forged = stranger.post(url, {"ticket": ticket, "index": 0, "answer": key}, format="json")
    assert forged.status_code == 404  # a ticket is good for the person who joined only
    assert hosting.post(f"/api/v1/live/{live.pk}/end/").json()["status"] == "ended"
