"""The completion dashboard: work due, accepted, on time and overdue by body; drill-down by unit and into a
body's people; grades against the quota only for those who see every score of the body."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tinhso.accounts.roles import Role
from tinhso.core.context import acting_as
from tinhso.core.periods import parse_period
from tinhso.core.testing import web_client
from tinhso.work import dashboard
from tinhso.work.models import YearGrade

from .conftest import assign, finish, staff
from .test_permissions import SEES_THE_ITEM, role_user

pytestmark = pytest.mark.django_db
AFTER = datetime.date(2026, 4, 15)


@pytest.fixture
def march(world):
    """Xuân Ái: 3 items due in March — on time, 3 days late, still open (overdue). Khánh Hòa: 1 open."""
    with acting_as(None, source="test"):
        finish(world, assign(world, due=datetime.date(2026, 3, 10)), quality="good")
        late = assign(world, world.colleague, due=datetime.date(2026, 3, 12))
        finish(world, late, submitted=datetime.date(2026, 3, 15))
        assign(world, world.personnel, due=datetime.date(2026, 3, 20))
        assign(world, world.stranger, actor=world.stranger.user, due=datetime.date(2026, 3, 20), product=None)
    return world


def test_a_body_row_counts_what_was_due(march):
    rows = dashboard.bodies(march.chairman.user, parse_period("202603"), today=AFTER)
    assert [(r.name, r.total, r.accepted, r.on_time, r.overdue) for r in rows] == [("UBND xã Xuân Ái", 3, 2, 1, 1)]
    assert rows[0].done_percent == Decimal("66.7") and rows[0].on_time_percent == Decimal("33.3")


def test_work_not_yet_due_is_not_counted_against_the_body(march):
    rows = dashboard.bodies(march.chairman.user, parse_period("2026"), today=datetime.date(2026, 3, 11))
    assert [(r.total, r.accepted, r.overdue) for r in rows] == [(1, 1, 0)]


def test_the_province_drills_down_to_a_district_then_a_body(march):
    client = web_client(role_user(march, Role.DX_CENTRE_STAFF))
    top = client.get("/work/dashboard/?year=2026").content.decode()
    assert "UBND xã Xuân Ái" in top and "UBND xã Khánh Hòa" in top
    narrowed = client.get(f"/work/dashboard/?unit={march.tree.van_yen.pk}&year=2026").content.decode()
    assert "UBND xã Xuân Ái" in narrowed and "UBND xã Khánh Hòa" not in narrowed
    assert "Văn Yên" in narrowed  # the trail back up
    body = client.get(f"/work/dashboard/{march.committee.pk}/?year=2026").content.decode()
    assert str(march.colleague) in body
    # Centre staff are not on the body's staff list: no score, no grade, not even the distribution.
    assert f"/work/evaluations/{march.officer.pk}/" not in body and "Scores are private" in body.replace(
        "Điểm là riêng tư", "Scores are private"
    )


@pytest.mark.parametrize("raw", ["abc", "999999", "-1"])
def test_an_unknown_or_foreign_unit_is_a_404(march, raw):
    assert web_client(march.officer.user).get(f"/work/dashboard/?unit={raw}").status_code == 404


def test_a_commune_officer_cannot_drill_into_another_commune(march):
    client = web_client(march.officer.user)
    assert client.get(f"/work/dashboard/?unit={march.tree.khanh_hoa.pk}").status_code == 404
    assert client.get(f"/work/dashboard/{march.other_body.pk}/").status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_every_role_sees_only_its_units_bodies(march, role):
    client = web_client(role_user(march, role))
    page = client.get("/work/dashboard/?year=2026")
    sees = role in SEES_THE_ITEM
    assert page.status_code == (200 if sees else 404)
    if sees:
        assert "UBND xã Xuân Ái" in page.content.decode()
    assert client.get(f"/work/dashboard/{march.committee.pk}/?year=2026").status_code == (200 if sees else 404)


def grades(world, codes):
    members = [staff(world.committee, world.tree.xuan_ai, f"cb{i}", manager=world.chairman) for i in range(len(codes))]
    for member, code in zip(members, codes, strict=True):
        YearGrade.objects.create(staff=member, year=2026, score=Decimal(80), months=12, grade=code)


def test_the_head_sees_the_grades_against_the_quota_and_a_breach(march):
    grades(march, ["excellent", "excellent", "good", "good", "good"])  # 5 good or above → 1 excellent allowed
    rows = dashboard.bodies(march.chairman.user, parse_period("2026"), today=AFTER)
    assert rows[0].grades == {"excellent": 2, "good": 3}
    assert (rows[0].excellent, rows[0].allowed_excellent, rows[0].quota_breached) == (2, 1, True)
    page = web_client(march.chairman.user).get("/work/dashboard/?year=2026").content.decode()
    assert "2 / 1" in page and "Hoàn thành xuất sắc nhiệm vụ: 2, Hoàn thành tốt nhiệm vụ: 3" in page


@pytest.mark.parametrize("who", ["officer", "deputy", "colleague"])
def test_who_does_not_see_every_score_of_the_body_sees_no_distribution(march, who):
    grades(march, ["excellent", "good"])
    rows = dashboard.bodies(getattr(march, who).user, parse_period("2026"), today=AFTER)
    assert rows[0].grades == {} and rows[0].allowed_excellent is None


def test_in_a_body_a_colleague_sees_the_work_but_not_the_scores(march):
    YearGrade.objects.create(staff=march.officer, year=2026, score=Decimal(93), months=12, grade="excellent")
    rows = {
        r.key: r for r in dashboard.people(march.colleague.user, march.committee, parse_period("2026"), today=AFTER)
    }
    assert rows[march.officer.pk].total == 1 and not rows[march.officer.pk].sees_scores
    assert rows[march.officer.pk].year_grade is None
    mine = {r.key: r for r in dashboard.people(march.chairman.user, march.committee, parse_period("2026"), today=AFTER)}
    assert mine[march.officer.pk].year_grade.grade == "excellent"
    page = web_client(march.colleague.user).get(f"/work/dashboard/{march.committee.pk}/?year=2026").content.decode()
    assert "excellent" not in page


@pytest.mark.parametrize(
    "query", ["month=2026-13", "month=abc", "year=99999", "year=x", "month=9999-12", "month=0000-01", "unit=²"]
)
def test_hostile_query_strings_never_500(march, query):
    assert web_client(march.chairman.user).get(f"/work/dashboard/?{query}").status_code in (200, 404)


@pytest.mark.parametrize("page", ["/work/dashboard/", "/work/dashboard/{body}/", "/work/evaluations/"])
@pytest.mark.parametrize("year", ["x", "99999", "1999", "２０２６", "2026.0"])
def test_a_bad_year_shows_this_year_and_says_so(march, page, year):
    this_year = timezone.localdate().year
    answer = web_client(march.chairman.user).get(page.format(body=march.committee.pk), {"year": year})
    text = answer.content.decode()
    assert answer.status_code == 200
    assert f"{this_year}" in text and 'class="messages"' in text
    assert f"không phải là một năm từ 2000 đến 2100; hiển thị năm {this_year}" in text


@pytest.mark.parametrize("month", ["2026-13", "9999-12", "0000-01", "tháng ba"])
def test_a_bad_month_shows_the_year_and_says_so(march, month):
    answer = web_client(march.chairman.user).get("/work/dashboard/", {"month": month, "year": "2026"})
    text = answer.content.decode()
    assert answer.status_code == 200 and "Năm 2026" in text
    assert "không phải là một tháng dạng 2026-03" in text


def test_a_good_year_says_nothing(march):
    text = web_client(march.chairman.user).get("/work/dashboard/", {"year": "2026"}).content.decode()
    assert 'class="messages"' not in text


def test_the_body_page_names_a_persons_year_grade_in_words_not_its_code(march):
    YearGrade.objects.create(staff=march.officer, year=2026, score=Decimal(93), months=12, grade="excellent")
    text = web_client(march.chairman.user).get(f"/work/dashboard/{march.committee.pk}/?year=2026").content.decode()
    assert "Hoàn thành xuất sắc nhiệm vụ" in text and ">excellent<" not in text


def test_a_nul_character_in_the_query_is_refused_before_any_query(march):
    """Core's middleware answers 400 to a NUL in the address (PostgreSQL cannot hold one)."""
    assert web_client(march.chairman.user).get("/work/dashboard/?unit=%00").status_code == 400


def test_the_year_and_the_units_in_the_pages_addresses_are_plain_numbers(march):
    """Vietnamese number formatting wrote 2026 as “2.026” in the filter and the links, which then fell back to
    this year (the browser test of the drill-down found it)."""
    page = web_client(march.chairman.user).get(f"/work/dashboard/?unit={march.tree.xuan_ai.pk}&year=2026")
    text = page.content.decode()
    assert 'value="2026"' in text and "year=2.026" not in text
    assert f"?unit={march.tree.xuan_ai.pk}&amp;year=2026" in text or f"?unit={march.tree.xuan_ai.pk}&year=2026" in text
    body = web_client(march.chairman.user).get(f"/work/dashboard/{march.committee.pk}/?year=2026").content.decode()
    assert "year=2.026" not in body and "year=2026" in body
    home = web_client(march.chairman.user).get("/work/evaluations/?year=2026").content.decode()
    assert "2.026" not in home
