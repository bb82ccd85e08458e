"""Participation reports in the provincial reports' words, the Excel export, and the demo's figures."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.learning.demo import ATTEMPTS_2025, PARTICIPANTS_2025, _attempt_counts
from tinhso.learning.demo_bank import bank_questions
from tinhso.learning.formats import check_data

pytestmark = pytest.mark.django_db


def test_the_dx_centre_reads_participation_per_commune(contest_with_people, tree):
    staff = web_client(make_user("dx_centre_staff", tree.lao_cai))
    page = staff.get(f"/learning/contests/{contest_with_people.pk}/report/").content.decode()
    assert "3 người tham gia dự thi, với 4 lượt người dự thi." in page
    assert "Xã Xuân Ái" in page and "Xã Khánh Hòa" in page


def test_a_commune_officer_sees_only_the_commune(contest_with_people, tree):
    officer = web_client(make_user("commune_officer", tree.new_khanh_hoa))
    page = officer.get(f"/learning/contests/{contest_with_people.pk}/report/").content.decode()
    assert "1 người tham gia dự thi, với 1 lượt người dự thi." in page and "Xuân Ái" not in page


def test_the_report_exports_to_excel(contest_with_people, tree):
    staff = web_client(make_user("dx_centre_staff", tree.lao_cai))
    response = staff.get(f"/learning/contests/{contest_with_people.pk}/report/?export=xlsx")
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert sorted((name, people, attempts) for name, people, attempts, _avg in rows) == [
        ("Xã Khánh Hòa", 1, 1),
        ("Xã Xuân Ái", 2, 3),
    ]


def test_a_citizen_may_not_read_the_report(contest_with_people, tree):
    citizen = web_client(make_user("citizen", tree.new_khe_dua))
    assert citizen.get(f"/learning/contests/{contest_with_people.pk}/report/").status_code == 403


def test_last_years_contest_has_the_reported_figures():
    counts = _attempt_counts(__import__("random").Random(1))
    assert (len(counts), sum(counts), PARTICIPANTS_2025, ATTEMPTS_2025) == (13498, 23094, 13498, 23094)
    assert set(counts) == {1, 2, 3}


def test_the_demo_bank_holds_over_200_sound_vietnamese_questions():
    questions = list(bank_questions())
    assert len({text for _t, _d, _l, _k, text, _data in questions}) == len(questions) >= 200
    assert all(not check_data(kind, data) for _t, _d, _l, kind, _text, data in questions)
    assert {kind for _t, _d, _l, kind, _text, _data in questions} == {
        "single",
        "multiple",
        "truefalse",
        "short",
        "numeric",
        "matching",
    }
    assert {domain for _t, domain, *_rest in questions} == {1, 2, 3, 4, 5, 6}


def test_the_organiser_exports_the_winners_in_the_leaderboards_order(contest_with_people, tree):
    from tinhso.learning.models import Participation

    grades = iter([(80.0, 300), (80.0, 120), (95.0, 600)])
    for row in Participation.objects.order_by("pk"):
        grade, seconds = next(grades)
        Participation.objects.filter(pk=row.pk).update(grade=grade, seconds=seconds)
    staff = web_client(make_user("dx_centre_staff", tree.lao_cai))
    book = load_workbook(BytesIO(staff.get(f"/learning/contests/{contest_with_people.pk}/report/?export=xlsx").content))
    sheet = book["Người đoạt giải"]
    table = list(sheet.iter_rows(min_row=3, values_only=True))
    assert table[0] == ("Hạng", "Họ và tên", "Đơn vị", "Cơ quan, đơn vị", "Điểm", "Thời gian (giây)", "Số lượt dự thi")
    assert [(rank, unit, grade, seconds) for rank, _name, unit, _org, grade, seconds, _n in table[1:]] == [
        (1, "Xã Khánh Hòa", 95, 600),  # the best grade first
        (2, "Thôn Khe Dứa", 80, 120),  # a tie broken by the shorter time
        (3, "Thôn Khe Dứa", 80, 300),
    ]
    # A commune officer's winners are the commune's.
    officer = web_client(make_user("commune_officer", tree.new_khanh_hoa))
    own = load_workbook(
        BytesIO(officer.get(f"/learning/contests/{contest_with_people.pk}/report/?export=xlsx").content)
    )
    assert [row[2] for row in own["Người đoạt giải"].iter_rows(min_row=4, values_only=True)] == ["Xã Khánh Hòa"]
