"""What one participant's requests cost the database during a contest (issue 14: 2,000 people start within a
minute and each saves 20 answers): a fixed number of queries per start, save and submit, whatever the number of
questions on the paper, so the load grows with the people and nothing else."""

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client
from tinhso.learning.models import Attempt, Participation

from .factories import make_contest, stock_bank

pytestmark = pytest.mark.django_db

# Were 13, 6 and 20: the open attempt and the count of attempts read apart, the paper's questions read again for
# the answer after drawing or grading them, the contest, participant and unit of a closing attempt fetched one by
# one for the change log, and the standing's unit, average and last submission asked of the database again.
START_QUERIES, SAVE_QUERIES, FINISH_QUERIES = 11, 6, 14


@pytest.fixture(params=[3, 20], ids=["3 questions", "20 questions"])
def contest(request, tree):
    stock_bank(tree.lao_cai, count=25)
    contest = make_contest(tree.lao_cai, questions=request.param)
    warm = api_client(make_user("citizen", tree.new_khe_dua))  # the first sitting fills per-process caches
    attempt = warm.post(f"/api/v1/contests/{contest.pk}/attempts/").json()
    warm.post(f"/api/v1/attempts/{attempt['id']}/finish/")
    return contest


@pytest.fixture
def citizen(tree):
    return api_client(make_user("citizen", tree.new_khe_dua))


def test_a_start_costs_a_fixed_number_of_queries(contest, citizen, django_assert_num_queries):
    with django_assert_num_queries(START_QUERIES):
        response = citizen.post(f"/api/v1/contests/{contest.pk}/attempts/")
    assert response.status_code == 201 and len(response.json()["questions"]) == contest.question_count


def test_a_save_costs_a_fixed_number_of_queries(contest, citizen, django_assert_num_queries):
    attempt = citizen.post(f"/api/v1/contests/{contest.pk}/attempts/").json()
    first, second = (str(question["id"]) for question in attempt["questions"][:2])
    citizen.put(f"/api/v1/attempts/{attempt['id']}/answers/", {"answers": {first: 1}}, format="json")
    with django_assert_num_queries(SAVE_QUERIES):
        response = citizen.put(f"/api/v1/attempts/{attempt['id']}/answers/", {"answers": {second: 0}}, format="json")
    assert response.status_code == 200
    assert Attempt.objects.get(pk=attempt["id"]).answers == {first: 1, second: 0}  # merged, not replaced


def test_a_submit_costs_a_fixed_number_of_queries(contest, citizen, django_assert_num_queries):
    attempt = citizen.post(f"/api/v1/contests/{contest.pk}/attempts/").json()
    answers = {str(question["id"]): 0 for question in attempt["questions"]}  # the stock bank's first choice: right
    citizen.put(f"/api/v1/attempts/{attempt['id']}/answers/", {"answers": answers}, format="json")
    with django_assert_num_queries(FINISH_QUERIES):
        response = citizen.post(f"/api/v1/attempts/{attempt['id']}/finish/")
    assert (response.json()["status"], response.json()["score"]) == ("finished", contest.question_count)
    standing = Participation.objects.get(contest=contest, user_id=Attempt.objects.get(pk=attempt["id"]).user_id)
    assert (standing.grade, standing.attempts) == (contest.question_count, 1)
