"""Participation reports in the provincial reports' words, the Excel export, and the demo's figures."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.learning.demo import ATTEMPTS_2025, PARTICIPANTS_2025, _attempt_counts
from tinhso.learning.demo_bank import bank_questions
from tinhso.learning.formats import check_data
from tinhso.learning.models import Attempt

from .factories import make_contest, stock_bank

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest_with_people(tree):
    stock_bank(tree.lao_cai, count=3)
    contest = make_contest(tree.lao_cai)
    for unit, times in ((tree.new_khe_dua, 2), (tree.new_khe_dua, 1), (tree.new_khanh_hoa, 1)):
        client = web_client(make_user("citizen", unit))
        for _time in range(times):
            client.post(f"/learning/contests/{contest.pk}/start/")
            client.post(f"/learning/attempts/{Attempt.objects.filter(status='open').get().pk}/", {"finish": ""})
    return contest


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
