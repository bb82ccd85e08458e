"""The public contest page (issue 14: "an official or a citizen opens the link on a phone, logs in by phone number
(or registers), takes the attempt"): `/learning/contests/<id>/`, the link an organiser shares."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.learning.choices import Eligibility, Review
from tinhso.learning.models import Attempt
from tinhso.units.models import Organisation

from .factories import make_contest, stock_bank

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(tree):
    stock_bank(tree.lao_cai, count=3)
    return make_contest(
        tree.lao_cai,
        title="Bình dân học vụ số 2026",
        description="Cuộc thi tìm hiểu kỹ năng số.",
        opens_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 8, 0)),
        closes_at=timezone.make_aware(datetime.datetime(2027, 3, 30, 17, 0)),
        attempts_allowed=2,
    )


def page(user, contest):
    return web_client(user).get(f"/learning/contests/{contest.pk}/")


def test_anyone_without_an_account_reads_the_rules_and_is_offered_to_log_in_or_register_back_here(contest):
    response = page(None, contest)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Bình dân học vụ số 2026" in text and "Cuộc thi tìm hiểu kỹ năng số." in text
    assert "từ 08:00 2/3/2026 đến 17:00 30/3/2027" in text  # Vietnamese dates in Asia/Ho_Chi_Minh
    assert "3 câu hỏi" in text and "30 phút" in text and "Đang mở" in text
    assert "Lượt thi cao nhất" in text and "Mọi người có tài khoản" in text
    here = f"next=/learning/contests/{contest.pk}/"
    assert f'href="/accounts/login/?{here}"' in text and f'href="/accounts/register/?{here}"' in text
    assert "attempts/start" not in text and "csrfmiddlewaretoken" not in text


def test_the_anonymous_page_is_the_same_for_everyone_sets_no_cookie_and_may_be_kept_by_a_proxy(contest, tree):
    make_user("citizen", tree.new_khe_dua, full_name="Lò Thị Mai", phone="0912345678")
    first, second = page(None, contest), page(None, contest)
    assert first.content == second.content and not first.cookies
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    assert "Cookie" in first["Vary"]  # a proxy never hands the anonymous copy to someone logged in
    assert "Lò Thị Mai" not in first.content.decode() and "0912345678" not in first.content.decode()


def test_the_page_carries_no_heavy_script(contest):
    text = page(None, contest).content.decode()
    assert "<script" not in text and len(text) < 10_000


def test_a_logged_in_citizen_starts_from_the_page_and_sees_attempts_used_and_left(contest, tree):
    citizen = make_user("citizen", tree.new_khe_dua)
    text = page(citizen, contest).content.decode()
    assert "Đã dùng 0 lượt; còn 2 lượt." in text
    assert f'action="/learning/contests/{contest.pk}/start/"' in text and "Bắt đầu thi" in text
    started = web_client(citizen).post(f"/learning/contests/{contest.pk}/start/")
    attempt = Attempt.objects.get(user=citizen)
    assert started.url == f"/learning/attempts/{attempt.pk}/"
    text = page(citizen, contest).content.decode()
    assert "Tiếp tục làm bài" in text and "Đã dùng 1 lượt; còn 1 lượt." in text
    assert "private" in page(citizen, contest)["Cache-Control"]


def test_an_official_of_another_organisation_is_told_why_he_may_not_take_part(contest, tree):
    committee = Organisation.objects.create(name="UBND xã Xuân Ái", kind="peoples_committee", unit=tree.new_xuan_ai)
    contest.eligibility = Eligibility.OFFICIALS
    contest.save()
    contest.eligible_organisations.set([committee])
    outsider = make_user("citizen", tree.new_khe_dua)
    text = page(outsider, contest).content.decode()
    assert "Cán bộ, công chức của các cơ quan: UBND xã Xuân Ái." in text
    assert "tài khoản của bạn không thuộc cơ quan nào" in text and "Bắt đầu thi" not in text
    refused = web_client(outsider).post(f"/learning/contests/{contest.pk}/start/", follow=True)
    assert "Bạn không thuộc đối tượng dự thi của cuộc thi này." in refused.content.decode()
    assert refused.redirect_chain[-1][0] == f"/learning/contests/{contest.pk}/"
    assert not Attempt.objects.exists()


def test_a_resident_elsewhere_is_told_why(contest, tree):
    contest.eligibility = Eligibility.RESIDENTS
    contest.save()
    contest.eligible_units.set([tree.new_xuan_ai])
    text = page(make_user("citizen", tree.new_khanh_hoa), contest).content.decode()
    assert "nơi ở trong tài khoản của bạn không thuộc các địa bàn đó" in text
    assert "Bắt đầu thi" in page(make_user("citizen", tree.new_khe_dua), contest).content.decode()


def test_before_the_window_the_page_says_not_yet_open_and_after_it_offers_the_leaderboard(contest, tree):
    citizen = make_user("citizen", tree.new_khe_dua)
    contest.opens_at = timezone.now() + datetime.timedelta(days=1)
    contest.save()
    text = page(citizen, contest).content.decode()
    assert "Chưa mở" in text and "Cuộc thi chưa bắt đầu." in text and "Bắt đầu thi" not in text
    contest.opens_at, contest.closes_at = timezone.now() - datetime.timedelta(days=9), timezone.now()
    contest.save()
    text = page(citizen, contest).content.decode()
    assert "Đã đóng" in text and "Bắt đầu thi" not in text
    assert f"/learning/contests/{contest.pk}/leaderboard/" in text
    assert "leaderboard" in page(None, contest).content.decode()
    contest.review = Review.NOTHING
    contest.save()
    assert "leaderboard" not in page(citizen, contest).content.decode()
    assert "leaderboard" not in page(None, contest).content.decode()


def test_a_draft_is_not_found_by_anyone_but_its_organisers_who_see_it_marked(tree, officer):
    draft = make_contest(tree.new_xuan_ai, title="Nháp hội thi", published=False)
    for outsider in (None, make_user("citizen", tree.new_khe_dua), make_user("commune_officer", tree.new_khanh_hoa)):
        response = page(outsider, draft)
        assert response.status_code == 404 and "Nháp hội thi" not in response.content.decode()
    text = page(officer, draft).content.decode()
    assert "Bản nháp" in text and "Bắt đầu thi" not in text and "Cuộc thi đang là bản nháp" in text
    assert page(None, type(draft)(pk=987654)).status_code == 404


def test_the_organiser_sees_the_link_to_share_and_its_qr_and_the_list_links_to_the_page(tree, officer):
    stock_bank(tree.new_xuan_ai, count=3)
    contest = make_contest(tree.new_xuan_ai, title="Hội thi xã Xuân Ái")
    link = f"http://testserver/learning/contests/{contest.pk}/"
    for path in (f"/learning/contests/{contest.pk}/", f"/learning/contests/{contest.pk}/edit/"):
        text = web_client(officer).get(path).content.decode()
        assert f'value="{link}"' in text and re.search(r"<svg[^>]*viewBox", text)
    citizen_view = page(make_user("citizen", tree.new_khe_dua), contest).content.decode()
    assert link not in citizen_view and "<svg" not in citizen_view
    listing = web_client(officer).get("/learning/").content.decode()
    assert f'href="/learning/contests/{contest.pk}/"' in listing


def test_the_page_reads_a_few_queries_whatever_the_attempts(contest, tree):
    client = web_client(make_user("citizen", tree.new_khe_dua))
    with CaptureQueriesContext(connection) as none_yet:
        client.get(f"/learning/contests/{contest.pk}/")
    client.post(f"/learning/contests/{contest.pk}/start/")
    client.post(f"/learning/attempts/{Attempt.objects.get().pk}/", {"finish": ""})
    client.post(f"/learning/contests/{contest.pk}/start/")
    with CaptureQueriesContext(connection) as two:
        assert "Đã dùng 2 lượt" in client.get(f"/learning/contests/{contest.pk}/").content.decode()
    assert len(two.captured_queries) <= len(none_yet.captured_queries) + 2 < 30
