"""Courses and placement as a learner meets them: lessons read, the final quiz, completion, levels per domain,
and what to learn next."""

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client, web_client
from tinhso.learning import services
from tinhso.learning.choices import Purpose
from tinhso.learning.models import Attempt, Course, Enrolment, LearnerLevel, Lesson, QuestionPool

from .factories import make_contest, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(tree):
    for index in range(2):
        make_question(tree.lao_cai, "truefalse", domain=4, level=1, text=f"An toàn {index}?")
    quiz = make_contest(tree.lao_cai, questions=2, purpose=Purpose.QUIZ, title="Kiểm tra cuối khóa")
    course = Course.objects.create(
        unit=tree.lao_cai, title="An toàn trên mạng", domain=4, level=1, quiz=quiz, pass_percent=50, is_published=True
    )
    for order in (1, 2):
        Lesson.objects.create(course=course, order=order, title=f"Bài {order}", body="Không chia sẻ mã OTP.")
    return course


def sit(client, contest, right: bool):
    client.post(f"/learning/contests/{contest.pk}/start/")
    attempt = Attempt.objects.filter(contest=contest).latest("started_at")
    form = {f"q-{entry['id']}": "true" if right else "false" for entry in attempt.questions}
    client.post(f"/learning/attempts/{attempt.pk}/", {**form, "finish": ""})
    return Attempt.objects.get(pk=attempt.pk)


def test_a_learner_reads_the_lessons_passes_the_quiz_and_completes_the_course(course, tree):
    learner = make_user("citizen", tree.new_khe_dua)
    client = web_client(learner)
    page = client.get(f"/learning/courses/{course.pk}/").content.decode()
    assert "Bài 1" in page and "Đọc hết các bài trước" in page
    first, second = course.lessons.all()
    assert client.post(f"/learning/lessons/{first.pk}/").url == f"/learning/lessons/{second.pk}/"
    assert Enrolment.objects.get().completed_at is None
    assert client.post(f"/learning/lessons/{second.pk}/").url == f"/learning/courses/{course.pk}/"
    assert "Làm bài kiểm tra cuối khóa" in client.get(f"/learning/courses/{course.pk}/").content.decode()
    sit(client, course.quiz, right=False)
    enrolment = Enrolment.objects.get()
    assert enrolment.quiz_percent == 0 and enrolment.completed_at is None
    sit(client, course.quiz, right=True)
    enrolment.refresh_from_db()
    assert enrolment.quiz_percent == 100 and enrolment.completed_at is not None
    listing = client.get("/learning/courses/").content.decode()
    assert "Hoàn thành" in listing and 'value="100"' in listing


def test_the_quiz_alone_does_not_complete_a_course(course, tree):
    learner = make_user("citizen", tree.new_khe_dua)
    sit(web_client(learner), course.quiz, right=True)
    assert Enrolment.objects.get(user=learner).completed_at is None


def test_a_draft_course_is_not_found_by_learners_and_reading_it_records_nothing(course, tree):
    Course.objects.filter(pk=course.pk).update(is_published=False)
    client = web_client(make_user("citizen", tree.new_khe_dua))
    lesson = course.lessons.first()
    assert client.get(f"/learning/courses/{course.pk}/").status_code == 404
    assert client.get(f"/learning/lessons/{lesson.pk}/").status_code == 404
    assert client.post(f"/learning/lessons/{lesson.pk}/").status_code == 404
    assert not Enrolment.objects.exists()
    assert client.get("/learning/lessons/999999/").status_code == 404


@pytest.fixture
def placement(tree):
    for level in (1, 2, 3):
        for index in range(2):
            make_question(tree.lao_cai, "truefalse", domain=4, level=level, text=f"D4 L{level} #{index}")
    contest = make_contest(tree.lao_cai, questions=0, purpose=Purpose.PLACEMENT, title="Kiểm tra đầu vào: An toàn")
    QuestionPool.objects.filter(contest=contest).delete()
    for level in (1, 2, 3):
        QuestionPool.objects.create(contest=contest, domain=4, level=level, count=2)
    return contest


def answer_by_level(client, contest, right_levels: dict[int, int]):
    """Answer right `right_levels[level]` of the two questions of each level (the rest wrong), then submit."""
    from tinhso.learning.models import Question

    client.post(f"/learning/contests/{contest.pk}/start/")
    attempt = Attempt.objects.filter(contest=contest).latest("started_at")
    questions = Question.objects.in_bulk([entry["id"] for entry in attempt.questions])
    given: dict[int, int] = {}
    form = {}
    for pk, question in questions.items():
        right = given.get(question.level, 0) < right_levels.get(question.level, 0)
        given[question.level] = given.get(question.level, 0) + (1 if right else 0)
        form[f"q-{pk}"] = "true" if right else "false"
    client.post(f"/learning/attempts/{attempt.pk}/", {**form, "finish": ""})


@pytest.mark.parametrize(
    ("right", "level"),
    [
        ({1: 2, 2: 2, 3: 2}, 3),
        ({1: 2, 2: 1, 3: 0}, 2),  # exactly half of level 2 is enough
        ({1: 2, 2: 0, 3: 2}, 1),  # level 3 without level 2 does not count
        ({1: 0, 2: 2, 3: 2}, 0),
    ],
)
def test_the_placement_test_sets_the_level_at_its_thresholds(placement, tree, right, level):
    learner = make_user("citizen", tree.new_khe_dua)
    client = web_client(learner)
    answer_by_level(client, placement, right)
    assert LearnerLevel.objects.get(user=learner, domain=4).level == level
    page = client.get("/learning/courses/").content.decode()
    assert ("dưới bậc 1" if level == 0 else f"Bậc {level} ({'Trung cấp' if level == 3 else 'Cơ bản'})") in page


def test_the_placement_test_is_offered_on_the_courses_page_and_not_among_contests(placement, tree):
    client = web_client(make_user("citizen", tree.new_khe_dua))
    assert placement.title in client.get("/learning/courses/").content.decode()
    assert placement.title not in client.get("/learning/").content.decode()


def test_what_to_learn_next_follows_the_level_and_skips_completed_courses(tree):
    learner = make_user("citizen", tree.new_khe_dua)

    def course(title, domain, level):
        return Course.objects.create(unit=tree.lao_cai, title=title, domain=domain, level=level, is_published=True)

    safety_1, safety_3, ai_1 = course("An toàn 1", 4, 1), course("An toàn 3", 4, 3), course("AI 1", 6, 1)
    course("Nháp", 6, 1).__class__.objects.filter(title="Nháp").update(is_published=False)
    LearnerLevel.objects.create(user=learner, domain=4, level=2, assessed_at="2026-01-01T00:00Z")
    ranked = services.next_courses(learner)
    # domain 4 is where the placement put the learner lowest: its next level first, then the unassessed domain
    assert ranked[:2] == [safety_3, ai_1] and ranked[-1] == safety_1
    Enrolment.objects.create(course=ai_1, user=learner, completed_at="2026-01-02T00:00Z")
    assert services.next_courses(learner)[0] == safety_3
    assert "An toàn 3" in web_client(learner).get("/learning/courses/").content.decode()


def test_learn_next_points_at_the_lessons_of_the_competences_of_the_lowest_domain(tree):
    from tinhso.learning.models import Competence

    learner = make_user("citizen", tree.new_khe_dua)
    for domain, level in ((1, 4), (4, 1), (6, 3)):
        LearnerLevel.objects.create(user=learner, domain=domain, level=level, assessed_at="2026-01-01T00:00Z")
    data = Course.objects.create(unit=tree.lao_cai, title="Dữ liệu nâng cao", domain=1, level=5, is_published=True)
    privacy = Course.objects.create(unit=tree.lao_cai, title="Giữ an toàn dữ liệu cá nhân", is_published=True)
    privacy.competences.set([Competence.objects.get(code="4.2")])
    first = Lesson.objects.create(course=privacy, order=1, title="Mật khẩu", body="…")
    second = Lesson.objects.create(course=privacy, order=2, title="Mã OTP", body="…")
    assert services.next_courses(learner)[:2] == [privacy, data]
    client = web_client(learner)
    client.post(f"/learning/lessons/{first.pk}/")
    page = client.get("/learning/courses/").content.decode()
    learn_next = page[page.index('id="learn-next"') : page.index('id="my-levels"')]
    assert "Bạn đang ở mức thấp nhất trong miền “An toàn”" in learn_next
    assert "4.2 Bảo vệ dữ liệu cá nhân và quyền riêng tư" in learn_next
    assert f'href="/learning/lessons/{second.pk}/"' in learn_next and "Mã OTP" in learn_next
    progress = api_client(learner).get("/api/v1/courses/progress/").json()
    assert progress["focusDomain"] == 4
    assert progress["next"][0] == {
        "id": privacy.pk,
        "title": privacy.title,
        "domain": None,
        "level": None,
        "competences": ["4.2"],
        "nextLesson": second.pk,
    }


def test_the_demo_courses_and_placement_test_can_be_taken(tree):
    from tinhso.learning import demo

    demo._seed_bank(tree.lao_cai)
    demo._seed_courses(tree.lao_cai)
    demo._seed_courses(tree.lao_cai)  # a second seeding adds nothing
    assert Course.objects.filter(is_basic=True, is_published=True).count() == 1
    assert list(Course.objects.get(is_basic=True).competences.values_list("code", flat=True)) == [
        "1.1",
        "2.3",
        "4.1",
        "4.2",
    ]
    assert Lesson.objects.count() == 6
    client = web_client(make_user("citizen", tree.new_khe_dua))
    page = client.get("/learning/courses/").content.decode()
    assert demo.PLACEMENT_TITLE in page and "Kỹ năng số cơ bản cho mọi người dân" in page
    from tinhso.learning.models import Contest

    for contest in Contest.objects.exclude(purpose=Purpose.CONTEST):
        client.post(f"/learning/contests/{contest.pk}/start/")
        attempt = Attempt.objects.get(contest=contest)
        assert len(attempt.questions) == contest.question_count
        client.post(f"/learning/attempts/{attempt.pk}/", {"finish": ""})
    assert LearnerLevel.objects.count() == 4  # domains 1, 2, 4 and 6, all at level 0 with nothing answered


def test_the_home_page_says_which_lesson_comes_next(course, tree):
    learner = make_user("citizen", tree.new_khe_dua)
    client = web_client(learner)
    assert "Nên học tiếp: An toàn trên mạng" in client.get("/").content.decode()
    first, second = course.lessons.all()
    client.post(f"/learning/lessons/{first.pk}/")
    home = client.get("/").content.decode()
    assert "Bài tiếp theo: Bài 2" in home and f"/learning/lessons/{second.pk}/" in home
    client.post(f"/learning/contests/{course.quiz.pk}/start/")
    assert "Tiếp tục làm bài" in client.get("/").content.decode()
