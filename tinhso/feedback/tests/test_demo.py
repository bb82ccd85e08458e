import pytest
from django.test import Client

from tinhso.accounts.testing import make_user
from tinhso.feedback.demo import seed_feedback
from tinhso.feedback.models import Report

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_a_year_of_reports_once(tree):
    make_user("citizen", tree.new_khe_dua, username="congdan")
    for number in range(3):
        make_user("citizen", tree.new_khe_dua, username=f"congdan.xuanai.{number:04d}")
    seed_feedback()
    seed_feedback()
    reports = Report.objects.all()
    assert reports.count() == 363
    assert reports.filter(status="closed").exists() and reports.filter(rating__isnull=False).exists()
    assert reports.filter(status__in=("open", "in_progress")).exists()
    assert reports.filter(reporter__username="congdan").count() == 3
    days = reports.order_by("submitted_at").values_list("submitted_at", flat=True)
    assert (days.last() - days.first()).days > 300
    assert len(Client().get("/open311/v2/requests.json").json()) > 50
