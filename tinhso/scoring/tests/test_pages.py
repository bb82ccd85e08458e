from decimal import Decimal as D

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.scoring import services
from tinhso.scoring.models import CriteriaSet, Criterion, Score

from .test_services import provider, subjects


@pytest.fixture
def evaluation(tree):
    criteria_set = CriteriaSet.objects.create(
        code="TCD",
        name="Bộ chỉ số Tổ CĐS thôn",
        subject_kind="test.village",
        unit=tree.yen_bai,
        first_period="2024",
        verifying_level="commune",
    )
    Criterion.objects.create(
        criteria_set=criteria_set,
        code="1",
        name="Hộ được hướng dẫn",
        max_points=D(10),
        rule="ratio",
        source="computed",
        source_key="households",
    )
    Criterion.objects.create(
        criteria_set=criteria_set, code="2", name="Đánh giá của xã", max_points=D(5), rule="manual"
    )
    return services.evaluate(criteria_set, "2024", subjects(tree)[:1], provider, actor=None)[0]


def test_the_evaluation_page_explains_every_score(evaluation, tree):
    page = web_client(make_user("commune_officer", tree.xuan_ai)).get(evaluation.get_absolute_url())
    assert page.status_code == 200
    assert "90/100 = 90% × 10 = 9 điểm" in page.content.decode()


def test_a_commune_officer_enters_points_then_verifies(evaluation, tree):
    client = web_client(make_user("commune_officer", tree.xuan_ai))
    manual = Score.objects.get(evaluation=evaluation, criterion__code="2")
    client.post(f"/scoring/scores/{manual.pk}/", {"points": "4", "evidence_note": "Biên bản số 3"})
    client.post(f"/scoring/evaluations/{evaluation.pk}/verify/", {"note": ""})
    evaluation.refresh_from_db()
    assert (evaluation.total, evaluation.status) == (D(13), "verified")


def test_a_village_team_leader_can_read_but_not_score(evaluation, tree):
    client = web_client(make_user("village_team_leader", tree.khe_dua))
    manual = Score.objects.get(evaluation=evaluation, criterion__code="2")
    assert client.get(evaluation.get_absolute_url()).status_code == 200
    client.post(f"/scoring/scores/{manual.pk}/", {"points": "5"})
    manual.refresh_from_db()
    assert manual.entered_points is None
