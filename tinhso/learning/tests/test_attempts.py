"""Taking part in a contest through the API: start, resume, autosave, finish, and the deadline the server keeps."""

import datetime
import json
import random

import pytest
from django.utils import timezone

from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client
from tinhso.learning.choices import AttemptStatus, Grading
from tinhso.learning.models import Attempt, Participation, Question
from tinhso.learning.services import close_overdue_attempts
from tinhso.learning.tasks import close_overdue_attempts as close_overdue_task

from .factories import make_contest, stock_bank

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(tree):
    stock_bank(tree.lao_cai, count=6)
    return make_contest(tree.lao_cai, questions=3)


@pytest.fixture
def citizen(tree):
    return make_user("citizen", tree.new_khe_dua)


def start(client, contest):
    return client.post(f"/api/v1/contests/{contest.pk}/attempts/")


def right_answers(attempt_json) -> dict:
    return {str(q["id"]): 0 for q in attempt_json["questions"]}  # the stock bank's first choice is right


def test_a_citizen_sees_the_contest_and_starts_without_seeing_answers(contest, citizen):
    client = api_client(citizen)
    assert [c["title"] for c in client.get("/api/v1/contests/").json()["results"]] == [contest.title]
    response = start(client, contest)
    assert response.status_code == 201
    body = response.json()
    assert len(body["questions"]) == 3 and body["deadline"]
    assert "fraction" not in json.dumps(body) and "review" not in body


def test_a_refresh_resumes_the_same_paper_and_deadline(contest, citizen):
    client = api_client(citizen)
    first = start(client, contest).json()
    client.put(f"/api/v1/attempts/{first['id']}/answers/", {"answers": right_answers(first)}, format="json")
    again = start(client, contest).json()
    assert (again["id"], again["questions"], again["deadline"]) == (first["id"], first["questions"], first["deadline"])
    assert again["answers"] == right_answers(first)
    assert Attempt.objects.count() == 1


def test_finishing_grades_the_saved_answers(contest, citizen):
    client = api_client(citizen)
    attempt = start(client, contest).json()
    answers = right_answers(attempt)
    answers[str(attempt["questions"][0]["id"])] = 1  # one wrong
    client.put(f"/api/v1/attempts/{attempt['id']}/answers/", {"answers": answers}, format="json")
    finished = client.post(f"/api/v1/attempts/{attempt['id']}/finish/").json()
    assert (finished["status"], finished["score"], finished["max_score"]) == ("finished", 2.0, 3.0)
    assert Participation.objects.get(user=citizen).grade == 2.0


def overdue(attempt_id):
    Attempt.objects.filter(pk=attempt_id).update(deadline=timezone.now() - datetime.timedelta(seconds=1))


def test_an_answer_after_the_deadline_is_refused_and_the_attempt_closes_with_what_was_saved(contest, citizen):
    client = api_client(citizen)
    attempt = start(client, contest).json()
    first_id = str(attempt["questions"][0]["id"])
    client.put(f"/api/v1/attempts/{attempt['id']}/answers/", {"answers": {first_id: 0}}, format="json")
    overdue(attempt["id"])
    late = client.put(f"/api/v1/attempts/{attempt['id']}/answers/", {"answers": right_answers(attempt)}, format="json")
    assert late.status_code == 400
    assert "hết giờ" in json.dumps(late.json(), ensure_ascii=False)
    closed = Attempt.objects.get(pk=attempt["id"])
    assert (closed.status, closed.score, closed.answers) == (AttemptStatus.EXPIRED, 1.0, {first_id: 0})
    assert closed.finished_at == closed.deadline


def test_the_server_closes_overdue_attempts_nobody_comes_back_to(contest, citizen):
    attempt = start(api_client(citizen), contest).json()
    overdue(attempt["id"])
    close_overdue_task.call_local()
    assert Attempt.objects.get(pk=attempt["id"]).status == AttemptStatus.EXPIRED
    assert Participation.objects.get(user=citizen).attempts == 1
    assert close_overdue_attempts() == 0


def test_a_fourth_attempt_is_refused(contest, citizen):
    client = api_client(citizen)
    for _number in range(3):
        attempt = start(client, contest).json()
        client.post(f"/api/v1/attempts/{attempt['id']}/finish/")
    response = start(client, contest)
    assert response.status_code == 400
    assert "hết 3 lượt" in json.dumps(response.json(), ensure_ascii=False)
    assert Attempt.objects.count() == 3


def test_nobody_answers_another_persons_attempt(contest, citizen, tree):
    attempt = start(api_client(citizen), contest).json()
    intruder = api_client(make_user("citizen", tree.new_khe_dua))
    path = f"/api/v1/attempts/{attempt['id']}"
    assert intruder.put(f"{path}/answers/", {"answers": right_answers(attempt)}, format="json").status_code == 404
    assert intruder.post(f"{path}/finish/").status_code == 404
    assert intruder.get(f"{path}/").status_code == 404
    assert Attempt.objects.get(pk=attempt["id"]).answers == {}


@pytest.mark.parametrize(
    "answers",
    [
        [1, 2],
        "all",
        {"999999": 0},
        {"QUESTION": 7},
        {"QUESTION": True},
        {"QUESTION": "x" * 5000},
        {"QUESTION": [0, 0, 99]},
    ],
)
def test_hostile_answers_end_in_400_and_change_nothing(contest, citizen, answers):
    client = api_client(citizen)
    attempt = start(client, contest).json()
    if isinstance(answers, dict) and "QUESTION" in answers:
        answers = {str(attempt["questions"][0]["id"]): answers["QUESTION"]}
    response = client.put(f"/api/v1/attempts/{attempt['id']}/answers/", {"answers": answers}, format="json")
    assert response.status_code == 400
    assert Attempt.objects.get(pk=attempt["id"]).answers == {}


def test_a_contest_not_yet_open_or_closed_refuses_to_start(tree, citizen):
    stock_bank(tree.lao_cai, count=3)
    now = timezone.now()
    later = make_contest(tree.lao_cai, opens_at=now + datetime.timedelta(hours=1))
    over = make_contest(
        tree.lao_cai, opens_at=now - datetime.timedelta(days=2), closes_at=now - datetime.timedelta(days=1)
    )
    client = api_client(citizen)
    assert start(client, later).status_code == 400
    assert start(client, over).status_code == 400
    assert not Attempt.objects.exists()


def test_the_deadline_is_the_contest_close_when_that_comes_first(tree, citizen):
    stock_bank(tree.lao_cai, count=3)
    closes = timezone.now() + datetime.timedelta(minutes=5)
    contest = make_contest(tree.lao_cai, closes_at=closes, minutes=30)
    attempt = start(api_client(citizen), contest).json()
    assert Attempt.objects.get(pk=attempt["id"]).deadline == closes


def test_a_short_bank_says_so(tree, citizen):
    stock_bank(tree.lao_cai, count=2)
    response = start(api_client(citizen), make_contest(tree.lao_cai, questions=3))
    assert response.status_code == 400
    assert not Attempt.objects.exists()


def test_every_kind_is_graded(tree, citizen):
    from .factories import DATA, make_question

    for kind in DATA:
        make_question(tree.lao_cai, kind)
    contest = make_contest(tree.lao_cai, questions=6)
    client = api_client(citizen)
    attempt = start(client, contest).json()
    kinds = {q["id"]: q for q in attempt["questions"]}
    right = {
        "single": 0,
        "multiple": [0, 1],
        "truefalse": True,
        "short": "  vneid ",
        "numeric": "1356,0",
        "matching": ["Chỉ số", "Mạng"],
    }
    answers = {str(pk): right[q["kind"]] for pk, q in kinds.items()}
    assert (
        client.put(f"/api/v1/attempts/{attempt['id']}/answers/", {"answers": answers}, format="json").status_code == 200
    )
    assert client.post(f"/api/v1/attempts/{attempt['id']}/finish/").json()["score"] == 6.0
    assert Question.objects.count() == 6


def sit(client, contest, correct: int):
    attempt = start(client, contest).json()
    answers = {str(q["id"]): (0 if index < correct else 1) for index, q in enumerate(attempt["questions"])}
    client.put(f"/api/v1/attempts/{attempt['id']}/answers/", {"answers": answers}, format="json")
    client.post(f"/api/v1/attempts/{attempt['id']}/finish/")


@pytest.mark.parametrize(("grading", "grade"), [(Grading.BEST, 3.0), (Grading.LAST, 1.0), (Grading.AVERAGE, 2.0)])
def test_the_grade_follows_the_contests_method(tree, citizen, grading, grade):
    stock_bank(tree.lao_cai, count=3)
    contest = make_contest(tree.lao_cai, questions=3, grading=grading)
    client = api_client(citizen)
    for correct in (2, 3, 1):
        sit(client, contest, correct)
    participation = Participation.objects.get(contest=contest, user=citizen)
    assert (participation.grade, participation.attempts) == (grade, 3)


@pytest.mark.parametrize(
    ("review", "score_after_finish", "answers_after_finish", "answers_after_close"),
    [
        ("nothing", False, False, False),
        ("score", True, False, False),
        ("answers_after_close", True, False, True),
        ("answers", True, True, True),
    ],
)
def test_what_a_participant_sees_after_an_attempt_follows_the_review_option(
    contest, citizen, review, score_after_finish, answers_after_finish, answers_after_close
):
    contest.review = review
    contest.save(update_fields=["review"])
    client = api_client(citizen)
    attempt = start(client, contest).json()
    client.put(f"/api/v1/attempts/{attempt['id']}/answers/", {"answers": right_answers(attempt)}, format="json")
    client.post(f"/api/v1/attempts/{attempt['id']}/finish/")
    finished = client.get(f"/api/v1/attempts/{attempt['id']}/").json()
    assert (finished["score"] is not None, "review" in finished) == (score_after_finish, answers_after_finish)
    type(contest).objects.filter(pk=contest.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=3), closes_at=timezone.now() - datetime.timedelta(days=1)
    )
    closed = client.get(f"/api/v1/attempts/{attempt['id']}/").json()
    assert ("review" in closed) == answers_after_close
    if answers_after_close:  # the correct answer of every question, per question
        assert set(closed["review"]) == {str(q["id"]) for q in attempt["questions"]}


def test_two_participants_get_their_own_order_and_a_resume_keeps_it(tree, monkeypatch):
    stock_bank(tree.lao_cai, count=6)
    contest = make_contest(tree.lao_cai, questions=6, shuffle_questions=True, shuffle_choices=True)
    seeds = iter([1, 2])
    monkeypatch.setattr("tinhso.learning.services.new_rng", lambda: random.Random(next(seeds)))
    first_client, second_client = (api_client(make_user(name, tree.new_khe_dua)) for name in ("an", "binh"))
    first, second = start(first_client, contest).json(), start(second_client, contest).json()

    def orders(attempt):
        questions = [q["id"] for q in attempt["questions"]]
        choices = {q["id"]: [c["key"] for c in q["choices"]] for q in attempt["questions"]}
        return questions, choices

    assert sorted(orders(first)[0]) == sorted(orders(second)[0])  # the same six questions...
    assert orders(first)[0] != orders(second)[0]  # ...in another order
    assert orders(first)[1] != orders(second)[1]  # and the answers of some question in another order
    assert orders(start(first_client, contest).json()) == orders(first)  # a resume draws nothing new


def test_a_burst_of_saves_beyond_the_limit_gets_429_and_writes_nothing(tree, contest, citizen):
    client = api_client(citizen)
    attempt = start(client, contest).json()
    url = f"/api/v1/attempts/{attempt['id']}/answers/"
    first_id = str(attempt["questions"][0]["id"])
    for _ in range(120):  # a phone autosaving a paper every half second for a minute
        assert client.put(url, {"answers": {first_id: 0}}, format="json").status_code == 200
    refused = client.put(url, {"answers": {first_id: 1}}, format="json")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.json()["detail"] == "Quá nhiều yêu cầu cho cuộc thi này. Hãy đợi một lát rồi thử lại."
    assert Attempt.objects.get().answers == {first_id: 0}
    assert start(api_client(make_user("other", tree.new_khe_dua)), contest).status_code == 201  # per person


def test_starts_beyond_the_limit_get_429_and_no_new_attempt(contest, citizen):
    client = api_client(citizen)
    attempt = start(client, contest).json()
    for _ in range(19):  # a participant refreshing the page resumes the same attempt
        assert start(client, contest).status_code == 201
    assert client.post(f"/api/v1/attempts/{attempt['id']}/finish/").status_code == 200
    refused = start(client, contest)
    assert refused.status_code == 429 and "Quá nhiều yêu cầu" in refused.json()["detail"]
    assert Attempt.objects.count() == 1
