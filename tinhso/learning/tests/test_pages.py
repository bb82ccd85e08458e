"""The pages a citizen uses on a phone: contests, the attempt (also without script), the leaderboard."""

import re

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.learning.models import Attempt, Participation

from .factories import make_contest, make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(tree):
    make_question(
        tree.lao_cai,
        "single",
        text="Ứng dụng định danh?",
        data={"choices": [{"text": "VNeID", "fraction": 100}, {"text": "Bí mật-sai", "fraction": 0}]},
    )
    make_question(tree.lao_cai, "truefalse", text="OTP là bí mật?")
    make_question(tree.lao_cai, "matching")
    return make_contest(tree.lao_cai, questions=3)


def test_a_citizen_starts_answers_and_submits_without_script(contest, tree):
    citizen = make_user("citizen", tree.new_khe_dua, full_name="Hà Thị Mai")
    client = web_client(citizen)
    page = client.get("/learning/").content.decode()
    assert contest.title in page and "Bắt đầu thi" in page
    response = client.post(f"/learning/contests/{contest.pk}/start/")
    attempt = Attempt.objects.get()
    assert response.url == f"/learning/attempts/{attempt.pk}/"
    paper = client.get(response.url).content.decode()
    assert "fraction" not in paper and "Ứng dụng định danh?" in paper
    ids = {entry["id"]: entry for entry in attempt.questions}
    single = next(pk for pk in ids if "order" in ids[pk])
    truefalse = next(pk for pk in ids if "order" not in ids[pk] and "rights" not in ids[pk])
    matching = next(pk for pk in ids if "rights" in ids[pk])
    form = {f"q-{single}": "0", f"q-{truefalse}": "true", f"q-{matching}-0": "Chỉ số", f"q-{matching}-1": "Mạng"}
    client.post(f"/learning/attempts/{attempt.pk}/", {**form, "save": ""})
    assert Attempt.objects.get().answers == {str(single): 0, str(truefalse): True, str(matching): ["Chỉ số", "Mạng"]}
    resumed = client.get(f"/learning/attempts/{attempt.pk}/").content.decode()
    assert re.search(rf'name="q-{single}" value="0"\s+checked', resumed)
    client.post(f"/learning/attempts/{attempt.pk}/", {"finish": ""})
    assert Participation.objects.get().grade == 3.0
    assert "3/3" in client.get(f"/learning/attempts/{attempt.pk}/").content.decode()


def test_someone_elses_attempt_page_is_not_found(contest, tree):
    owner = make_user("citizen", tree.new_khe_dua)
    web_client(owner).post(f"/learning/contests/{contest.pk}/start/")
    attempt = Attempt.objects.get()
    intruder = web_client(make_user("citizen", tree.new_khe_dua))
    assert intruder.get(f"/learning/attempts/{attempt.pk}/").status_code == 404
    assert intruder.post(f"/learning/attempts/{attempt.pk}/", {"finish": ""}).status_code == 404
    assert Attempt.objects.get().is_open


def test_the_leaderboard_page_by_commune(contest, tree, django_assert_max_num_queries):
    for index in range(5):
        user = make_user("citizen", tree.new_khe_dua, full_name=f"Người {index}")
        client = web_client(user)
        client.post(f"/learning/contests/{contest.pk}/start/")
        client.post(f"/learning/attempts/{Attempt.objects.get(user=user).pk}/", {"finish": ""})
    viewer = web_client(make_user("citizen", tree.new_khanh_hoa))
    with django_assert_max_num_queries(20):
        page = viewer.get(f"/learning/contests/{contest.pk}/leaderboard/?within=04441").content.decode()
    assert page.count('class="card rank-row"') == 5 and "Xuân Ái" in page
    assert viewer.get(f"/learning/contests/{contest.pk}/leaderboard/?within=xyz").status_code == 404


def test_the_menu_shows_contests_to_a_citizen(tree):
    page = web_client(make_user("citizen", tree.new_khe_dua)).get("/").content.decode()
    assert "Thi, học tập" in page


def test_large_numbers_in_the_form_are_not_written_the_vietnamese_way(tree):
    """1.800 seconds would read as 1 second to the countdown, and q-12.345 would lose the answer."""
    from tinhso.learning.models import Question

    Question.objects.create(pk=12345, unit=tree.lao_cai, kind="truefalse", text="Số lớn?", data={"answer": True})
    contest = make_contest(tree.lao_cai, questions=1, minutes=30)
    client = web_client(make_user("citizen", tree.new_khe_dua))
    client.post(f"/learning/contests/{contest.pk}/start/")
    attempt = Attempt.objects.get()
    page = client.get(f"/learning/attempts/{attempt.pk}/").content.decode()
    assert re.search(r'data-seconds-left="1[78]\d\d"', page)
    assert 'name="q-12345"' in page
    client.post(f"/learning/attempts/{attempt.pk}/", {"q-12345": "true", "save": ""})
    assert Attempt.objects.get().answers == {"12345": True}


def test_a_saved_answer_of_a_thousand_or_more_comes_back_as_a_number_the_submission_accepts(tree):
    """The answer 1356 was shown back as "1.356,0" after a refresh: submitting the page then said "Write a
    number." and never handed the attempt in."""
    make_question(tree.lao_cai, "numeric", text="Có bao nhiêu thôn?")  # 1356 is right
    contest = make_contest(tree.lao_cai, questions=1)
    client = web_client(make_user("citizen", tree.new_khe_dua))
    client.post(f"/learning/contests/{contest.pk}/start/")
    attempt = Attempt.objects.get()
    name = f"q-{attempt.questions[0]['id']}"
    client.post(f"/learning/attempts/{attempt.pk}/", {name: "1356", "save": ""})
    page = client.get(f"/learning/attempts/{attempt.pk}/").content.decode()
    shown = re.search(rf'name="{name}" value="([^"]*)"', page)[1]
    assert shown == "1356"
    client.post(f"/learning/attempts/{attempt.pk}/", {name: shown, "finish": ""})
    assert not Attempt.objects.get().is_open
    assert "1/1" in client.get(f"/learning/attempts/{attempt.pk}/").content.decode()
