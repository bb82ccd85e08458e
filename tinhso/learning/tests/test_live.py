"""A live round in a commune meeting: the host opens questions one by one, players answer on phones after
joining with the PIN, the scoreboard follows. Answers never reach a phone before the host closes a question."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.learning import grading, services
from tinhso.learning.choices import LiveStatus
from tinhso.learning.models import LiveAnswer, LiveRound, Question

from .factories import make_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def host(tree):
    make_question(
        tree.lao_cai,
        "single",
        text="Ứng dụng định danh điện tử quốc gia?",
        data={"choices": [{"text": "VNeID-đúng", "fraction": 100}, {"text": "Zalo", "fraction": 0}]},
    )
    make_question(tree.lao_cai, "truefalse", text="Mã OTP có được cho người khác không?", data={"answer": False})
    make_question(tree.lao_cai, "short", text="Câu trả lời ngắn không dùng trong phòng")
    return make_user("commune_officer", tree.new_xuan_ai, full_name="Cán bộ Xuân Ái")


@pytest.fixture
def live(host, tree):
    response = web_client(host).post(
        "/learning/live/new/",
        {"unit": tree.new_xuan_ai.pk, "title": "Đố vui chuyển đổi số", "count": "2", "seconds": "30"},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    live = LiveRound.objects.get()
    assert response.url == f"/learning/live/{live.pk}/host/"
    return live


def join(user, live):
    client = web_client(user)
    assert client.post("/learning/live/", {"pin": live.pin}).url == f"/learning/live/{live.pk}/play/"
    return client


def page(client, live, htmx=False):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.get(f"/learning/live/{live.pk}/play/", headers=headers).content.decode()


def test_a_round_from_the_first_question_to_the_scoreboard(host, live, tree):
    assert {entry["id"] for entry in live.questions} <= set(
        Question.objects.exclude(kind="short").values_list("pk", flat=True)
    )
    hosting = web_client(host)
    assert live.pin in hosting.get(f"/learning/live/{live.pk}/host/").content.decode()
    player = make_user("citizen", tree.new_khe_dua, full_name="Hà Thị Mai")
    phone = join(player, live)
    waiting = page(phone, live)
    assert "Đang chờ người dẫn" in waiting and "Ứng dụng định danh" not in waiting and "OTP" not in waiting

    hosting.post(f"/learning/live/{live.pk}/host/", {"next": ""})
    live.refresh_from_db()
    first = Question.objects.get(pk=live.questions[0]["id"])
    second = Question.objects.get(pk=live.questions[1]["id"])
    asking = page(phone, live, htmx=True)
    assert first.text in asking and second.text not in asking
    assert "Đáp án đúng" not in asking and "fraction" not in asking and "✓" not in asking
    projected = hosting.get(f"/learning/live/{live.pk}/host/", headers={"HX-Request": "true"}).content.decode()
    assert first.text in projected and "✓" not in projected and second.text not in projected

    right = str(grading.correct_answer(first)).lower()  # a choice's key, or "true"/"false"
    phone.post(f"/learning/live/{live.pk}/play/", {"index": "0", "answer": right})
    phone.post(f"/learning/live/{live.pk}/play/", {"index": "0", "answer": right})  # a second tap counts nothing
    answer = LiveAnswer.objects.get()
    assert 500 <= answer.points <= 1000
    assert "Đã gửi câu trả lời" in page(phone, live)

    hosting.post(f"/learning/live/{live.pk}/host/", {"next": ""})
    shown = page(phone, live)
    assert "Đáp án đúng" in shown and "Hà Thị Mai" in shown
    assert "✓" in hosting.get(f"/learning/live/{live.pk}/host/").content.decode()
    late = phone.post(f"/learning/live/{live.pk}/play/", {"index": "0", "answer": right})
    assert late.status_code == 302 and LiveAnswer.objects.count() == 1

    hosting.post(f"/learning/live/{live.pk}/host/", {"next": ""})  # question 2
    hosting.post(f"/learning/live/{live.pk}/host/", {"next": ""})  # its answer
    hosting.post(f"/learning/live/{live.pk}/host/", {"next": ""})  # the end
    live.refresh_from_db()
    assert live.status == LiveStatus.ENDED
    assert "Lượt chơi đã kết thúc" in page(phone, live)


def test_a_phone_must_join_with_the_pin(live, tree):
    stranger = web_client(make_user("citizen", tree.new_khe_dua))
    assert stranger.get(f"/learning/live/{live.pk}/play/").status_code == 404
    assert stranger.post(f"/learning/live/{live.pk}/play/", {"index": "0", "answer": "0"}).status_code == 404
    for pin in ("000000" if live.pin != "000000" else "111111", "abc", "", "1" * 500):
        stranger.post("/learning/live/", {"pin": pin})
        assert stranger.get(f"/learning/live/{live.pk}/play/").status_code == 404
    assert web_client().get(f"/learning/live/{live.pk}/play/").status_code == 302  # log in first


def test_only_the_host_or_a_manager_of_the_unit_drives_the_round(live, tree):
    for intruder in (make_user("citizen", tree.new_khe_dua), make_user("commune_officer", tree.new_khanh_hoa)):
        client = web_client(intruder)
        assert client.get(f"/learning/live/{live.pk}/host/").status_code == 404
        assert client.post(f"/learning/live/{live.pk}/host/", {"next": ""}).status_code == 404
    assert LiveRound.objects.get().status == LiveStatus.WAITING
    province = web_client(make_user("dx_centre_staff", tree.lao_cai))
    assert province.get(f"/learning/live/{live.pk}/host/").status_code == 200  # a manager above may take over


@pytest.mark.parametrize(
    "form",
    [
        {"index": "abc", "answer": "0"},
        {"index": "0", "answer": "99"},
        {"index": "0"},
        {"index": "7", "answer": "0"},
        {"index": "-1", "answer": "0"},
        {"index": "0", "answer": "xyz"},
        {},
    ],
)
def test_hostile_answers_change_nothing(live, host, tree, form):
    services.advance_live_round(live, actor=host)
    phone = join(make_user("citizen", tree.new_khe_dua), live)
    response = phone.post(f"/learning/live/{live.pk}/play/", form)
    assert response.status_code == 302
    assert not LiveAnswer.objects.exists()


def test_an_answer_after_the_question_time_is_refused(live, host, tree):
    opened = services.advance_live_round(live, actor=host)
    player = make_user("citizen", tree.new_khe_dua)
    late = opened.opened_at + datetime.timedelta(seconds=31)
    with pytest.raises(ValidationError):
        services.answer_live(opened, user=player, index=0, value=0, now=late)
    question = Question.objects.get(pk=opened.questions[0]["id"])
    fast = services.answer_live(
        opened, user=player, index=0, value=grading.correct_answer(question), now=opened.opened_at
    )
    assert fast.points == 1000
    assert LiveAnswer.objects.count() == 1


def test_a_round_needs_enough_questions_and_sane_limits(host, tree):
    client = web_client(host)
    for form in ({"count": "9"}, {"count": "0"}, {"count": "2", "seconds": "1"}, {"count": "2", "seconds": "abc"}):
        data = {"unit": tree.new_xuan_ai.pk, "title": "Đố vui", "seconds": "20", **form}
        assert client.post("/learning/live/new/", data).status_code == 200
    assert not LiveRound.objects.exists()
    citizen = web_client(make_user("citizen", tree.new_khe_dua))
    assert citizen.get("/learning/live/new/").status_code == 403
    assert "Mã PIN" in citizen.get("/learning/live/").content.decode()


def test_guessing_pins_is_stopped_after_ten_wrong_ones(live, tree):
    from django.core.cache import cache

    cache.clear()
    guesser = make_user("citizen", tree.new_khe_dua)
    client = web_client(guesser)
    wrong = "000000" if live.pin != "000000" else "111111"
    for _try in range(10):
        client.post("/learning/live/", {"pin": wrong})
    response = client.post("/learning/live/", {"pin": live.pin}, follow=True)
    assert "Nhập sai mã PIN quá nhiều lần" in response.content.decode()
    assert client.get(f"/learning/live/{live.pk}/play/").status_code == 404
    cache.clear()
    assert client.post("/learning/live/", {"pin": live.pin}).url == f"/learning/live/{live.pk}/play/"


def test_an_unchanged_round_answers_a_poll_with_304_and_a_change_shows_at_once(live, host, tree):
    phone = join(make_user("citizen", tree.new_khe_dua), live)
    url = f"/learning/live/{live.pk}/play/"
    first = phone.get(url, headers={"HX-Request": "true"})
    assert first.status_code == 200 and first["ETag"]
    assert phone.get(url, headers={"HX-Request": "true", "If-None-Match": first["ETag"]}).status_code == 304
    services.advance_live_round(live, actor=host)
    changed = phone.get(url, headers={"HX-Request": "true", "If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    question = Question.objects.get(pk=LiveRound.objects.get().questions[0]["id"])
    assert question.text in changed.content.decode()
    assert phone.get(url, headers={"If-None-Match": changed["ETag"]}).status_code == 200  # the page itself: never 304


def test_phones_and_the_host_poll_every_second_while_the_round_runs_and_stop_when_it_ends(live, host, tree):
    phone = join(make_user("citizen", tree.new_khe_dua), live)
    hosting = web_client(host)
    host_url = f"/learning/live/{live.pk}/host/"
    for step in ("waiting", "asking", "showing"):
        assert LiveRound.objects.get().status == step
        assert 'hx-trigger="every 1s"' in page(phone, live) and 'hx-trigger="every 1s"' in page(phone, live, True)
        assert 'hx-trigger="every 1s"' in hosting.get(host_url).content.decode()
        assert 'hx-trigger="every 1s"' in hosting.get(host_url, headers={"HX-Request": "true"}).content.decode()
        services.advance_live_round(LiveRound.objects.get(), actor=host)
    services.end_live_round(LiveRound.objects.get(), actor=host)
    assert "hx-trigger" not in page(phone, live, True)
    assert "hx-trigger" not in hosting.get(host_url, headers={"HX-Request": "true"}).content.decode()


def test_an_unchanged_poll_is_answered_from_the_cache_without_the_database(live, host, tree, django_assert_num_queries):
    phone = join(make_user("citizen", tree.new_khe_dua), live)
    url = f"/learning/live/{live.pk}/play/"
    services.advance_live_round(live, actor=host)
    first = phone.get(url, headers={"HX-Request": "true"})
    with django_assert_num_queries(0):
        again = phone.get(url, headers={"HX-Request": "true", "If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again["ETag"] == first["ETag"]
    # the phone's own answer changes what it must show: the next poll renders
    live = LiveRound.objects.get()
    question = Question.objects.get(pk=live.questions[0]["id"])
    phone.post(url, {"index": "0", "answer": grading.public_question(question, live.questions[0])["choices"][0]["key"]})
    assert phone.get(url, headers={"HX-Request": "true", "If-None-Match": first["ETag"]}).status_code == 200


def test_a_poll_etag_is_good_only_for_its_player_and_cookie(live, host, tree):
    phone = join(make_user("citizen", tree.new_khe_dua), live)
    other = join(make_user("citizen", tree.new_khe_dua, username="nguoi-khac"), live)
    url = f"/learning/live/{live.pk}/play/"
    tag = phone.get(url, headers={"HX-Request": "true"})["ETag"]
    assert other.get(url, headers={"HX-Request": "true", "If-None-Match": tag}).status_code == 200
    forged = tag[:-5] + ('0000"' if not tag.endswith('0000"') else '1111"')
    assert phone.get(url, headers={"HX-Request": "true", "If-None-Match": forged}).status_code == 200
    hostile = ", ".join(['"live-1.1-1-asking.0.1.0-' + "a" * 16 + '"'] * 500)
    assert phone.get(url, headers={"HX-Request": "true", "If-None-Match": hostile}).status_code == 200


def poll(client, live, tag=""):
    headers = {"HX-Request": "true", **({"If-None-Match": tag} if tag else {})}
    return client.get(f"/learning/live/{live.pk}/play/", headers=headers)


def test_a_question_opened_reaches_a_waiting_phone_from_the_cache_with_a_form_that_works(
    live, host, tree, django_assert_num_queries, django_capture_on_commit_callbacks
):
    phone = join(make_user("citizen", tree.new_khe_dua), live)
    waiting = poll(phone, live)
    with django_capture_on_commit_callbacks(execute=True):  # as after the host's request commits
        services.advance_live_round(live, actor=host)
    question = Question.objects.get(pk=LiveRound.objects.get().questions[0]["id"])
    with django_assert_num_queries(0):
        opened = poll(phone, live, waiting["ETag"])
    html = opened.content.decode()
    assert opened.status_code == 200 and opened["ETag"] != waiting["ETag"] and question.text in html
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    choice = re.search(r'name="answer" value="([^"]+)"', html)[1]
    phone.handler.enforce_csrf_checks = True  # the token in the cached fragment is the phone's own
    url = f"/learning/live/{live.pk}/play/"
    with django_capture_on_commit_callbacks(execute=True):
        assert phone.post(url, {"index": "0", "answer": choice, "csrfmiddlewaretoken": token}).status_code == 302
    assert LiveAnswer.objects.filter(index=0).count() == 1
    assert "Đã gửi câu trả lời" in poll(phone, live, opened["ETag"]).content.decode()


def test_every_phone_sees_its_own_result_and_points_in_the_fragment_shared_by_the_room(
    live, host, tree, django_assert_num_queries, django_capture_on_commit_callbacks
):
    right_phone = join(make_user("citizen", tree.new_khe_dua, username="dung"), live)
    wrong_phone = join(make_user("citizen", tree.new_khe_dua, username="sai"), live)
    live = services.advance_live_round(live, actor=host)
    question = Question.objects.get(pk=live.questions[0]["id"])
    right = grading.correct_answer(question)
    keys = [choice["key"] for choice in grading.public_question(question, live.questions[0]).get("choices", [])]
    wrong = next(key for key in keys if key != right) if keys else not right
    tags = {}
    for phone, answer in ((right_phone, right), (wrong_phone, wrong)):
        tags[phone] = poll(phone, live)["ETag"]
        with django_capture_on_commit_callbacks(execute=True):
            phone.post(f"/learning/live/{live.pk}/play/", {"index": "0", "answer": str(answer).lower()})
    with django_capture_on_commit_callbacks(execute=True):
        services.advance_live_round(live, actor=host)  # the answer shows
    points = LiveAnswer.objects.get(user__username="dung").points
    with django_assert_num_queries(0):
        shown_right = poll(right_phone, live, tags[right_phone]).content.decode()
        shown_wrong = poll(wrong_phone, live, tags[wrong_phone]).content.decode()
    assert f'class="badge ok">Đúng: +{points}<' in shown_right and f"Điểm của bạn: {points}<" in shown_right
    assert 'class="badge wrong"' not in shown_right and "dung" in shown_right and "sai" in shown_right  # top five
    assert 'class="badge wrong">Sai<' in shown_wrong and "Điểm của bạn: 0<" in shown_wrong
    assert 'class="badge ok"' not in shown_wrong


def test_a_phone_that_changes_language_is_not_answered_from_the_vietnamese_cache(live, host, tree):
    phone = join(make_user("citizen", tree.new_khe_dua), live)
    tag = poll(phone, live)["ETag"]
    services.advance_live_round(live, actor=host)
    phone.cookies["tinhso_language"] = "en"
    english = poll(phone, live, tag)
    assert english.status_code == 200 and "Question 1/2" in english.content.decode()
    assert poll(phone, live, english["ETag"]).status_code == 304
