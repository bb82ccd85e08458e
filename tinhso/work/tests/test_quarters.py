"""Quarter grades: the mean of the quarter's months graded by the configured rule (edges included),
proposed until its three months are approved; the API (period=2026Q1) and the page keep scores private."""

from decimal import Decimal

import pytest

from tinhso.accounts.roles import Role
from tinhso.core.testing import api_client, web_client
from tinhso.scoring.models import Evaluation
from tinhso.work import evaluation
from tinhso.work.choices import ReviewStatus
from tinhso.work.models import MonthlyReview

from .test_permissions import VIEWERS, role_user

pytestmark = pytest.mark.django_db


def months(world, member, totals: dict[str, str], *, approved=()):
    """Scored months with the given totals (straight on the scoring evaluations)."""
    for period, total in totals.items():
        evaluation.score_month([member], period)
        review = MonthlyReview.objects.get(staff=member, period=period)
        Evaluation.objects.filter(pk=review.evaluation_id).update(total=Decimal(total))
        if period in approved:
            MonthlyReview.objects.filter(pk=review.pk).update(status=ReviewStatus.APPROVED)


@pytest.mark.parametrize(
    "totals, score, grade",
    [
        (("90", "90", "90"), "90.00", "excellent"),
        (("90", "90", "89.97"), "89.99", "good"),
        (("70", "70", "70"), "70.00", "good"),
        (("70", "70", "69.97"), "69.99", "done"),
        (("50", "50", "50"), "50.00", "done"),
        (("50", "50", "49.97"), "49.99", "not_done"),
    ],
)
def test_a_quarter_is_the_mean_of_its_months_graded_at_the_edges(world, totals, score, grade):
    months(world, world.officer, dict(zip(["202601", "202602", "202603"], totals, strict=True)))
    q1 = evaluation.quarter_grades([world.officer.pk], 2026)[world.officer.pk][0]
    assert (q1.code, q1.score, q1.grade, q1.months) == ("2026Q1", Decimal(score), grade, 3)


def test_a_quarter_is_proposed_until_its_three_months_are_approved(world):
    months(world, world.officer, {"202604": "80", "202605": "92"}, approved={"202604", "202605"})
    q2 = evaluation.quarter_grades([world.officer.pk], 2026)[world.officer.pk][1]
    assert q2.score == Decimal("86.00") and q2.months == 2 and not q2.is_final
    months(world, world.officer, {"202606": "95"}, approved={"202606"})
    q2 = evaluation.quarter_grades([world.officer.pk], 2026)[world.officer.pk][1]
    assert q2.is_final and q2.score == Decimal("89.00") and q2.grade == "good"
    quarters = evaluation.quarter_grades([world.officer.pk], 2026)[world.officer.pk]
    assert [q.score for q in quarters] == [None, Decimal("89.00"), None, None]


def test_the_api_answers_a_quarter_with_its_months(world):
    months(world, world.officer, {"202601": "91", "202602": "93"})
    answer = api_client(world.officer.user).get(
        "/api/v1/evaluations/", {"person": world.officer.user.pk, "period": "2026-Q1"}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["period"] == "2026Q1"
    assert Decimal(body["score"]) == Decimal("92.00")
    assert body["grade"] == "excellent" and body["status"] == "proposed"
    assert [line["code"] for line in body["explanation"]] == ["202601", "202602"]


@pytest.mark.parametrize("who, expected", VIEWERS.items())
def test_a_quarter_is_seen_by_the_official_her_line_and_personnel_only(world, who, expected):
    months(world, world.officer, {"202601": "91"})
    user = getattr(world, who).user
    answer = api_client(user).get("/api/v1/evaluations/", {"person": world.officer.user.pk, "period": "2026Q1"})
    assert answer.status_code == expected
    page = web_client(user).get(f"/work/evaluations/{world.officer.pk}/2026Q1/")
    assert page.status_code == expected
    if expected == 200:
        assert "91" in page.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_no_role_alone_sees_a_quarter(world, role):
    months(world, world.officer, {"202601": "91"})
    user = role_user(world, role)
    assert web_client(user).get(f"/work/evaluations/{world.officer.pk}/2026Q1/").status_code == 404


@pytest.mark.parametrize("code", ["2026Q5", "2026S1", "20261", "Q1"])
def test_a_bad_quarter_on_the_page_is_a_404(world, code):
    assert web_client(world.officer.user).get(f"/work/evaluations/{world.officer.pk}/{code}/").status_code == 404


def test_the_evaluation_table_has_the_quarters_next_to_the_months_and_the_year(world):
    months(world, world.officer, {"202601": "91", "202602": "93"})
    page = web_client(world.chairman.user).get("/work/evaluations/?year=2026").content.decode()
    assert f"/work/evaluations/{world.officer.pk}/2026Q1/" in page
    assert ">Q1<" in page and ">Q4<" in page
    assert "92" in page


def test_each_cell_of_the_table_links_its_period_and_reads_like_a_vietnamese_number(world):
    from tinhso.work.models import YearGrade

    months(world, world.officer, {"202601": "91.25", "202602": "93", "202603": "90"}, approved=("202601",))
    YearGrade.objects.create(staff=world.officer, year=2026, score=Decimal("91.42"), months=3, grade="excellent")
    page = web_client(world.chairman.user).get("/work/evaluations/?year=2026").content.decode()
    officer = f"/work/evaluations/{world.officer.pk}"
    assert f'<td><a href="{officer}/202601/">91,3</a> ✓</td>' in page  # approved: frozen
    assert f'<td><a href="{officer}/202602/">93</a></td>' in page
    assert f'<a href="{officer}/2026Q1/" title="Hoàn thành xuất sắc nhiệm vụ">91,4</a></td>' in page
    assert f'<td><a href="{officer}/2026/">91,4</a><br><a href="/work/dossier/{world.officer.pk}/2026.pdf">PDF' in page
    assert "<td>—</td>" in page  # April has no score yet


def test_the_year_page_lists_its_months(world):
    months(world, world.officer, {"202601": "91", "202602": "93"})
    page = web_client(world.officer.user).get(f"/work/evaluations/{world.officer.pk}/2026/")
    assert page.status_code == 200
    assert f"/work/evaluations/{world.officer.pk}/202601/" in page.content.decode()
