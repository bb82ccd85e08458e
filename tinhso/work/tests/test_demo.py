"""The demo: Xuân Ái's and the DX centre's staff, a year of work, monthly scores, year grades within the quota."""

import io

import pytest
from django.core.management import call_command

from tinhso.core.testing import api_client
from tinhso.work import appeals, evaluation
from tinhso.work.models import Appeal, MonthlyReview, StaffMember, WorkItem

pytestmark = pytest.mark.django_db


def test_the_demo_gives_canbo_xuanai_work_and_scores_and_respects_the_quota():
    call_command("seed_demo", "--only", "units", "users", "work", stdout=io.StringIO())
    officer = StaffMember.objects.get(user__username="canbo.xuanai")
    chairman = StaffMember.objects.get(user__username="chutich.xuanai")
    assert chairman.is_head and chairman in officer.managers()
    assert WorkItem.objects.filter(assignee=officer.user).count() >= 60
    assert MonthlyReview.objects.filter(staff=officer, evaluation__isnull=False).exists()
    for organisation in {chairman.organisation, StaffMember.objects.get(user__username="trungtam.cds").organisation}:
        year = int(MonthlyReview.objects.latest("period").period[:4])
        assert not evaluation.quota_check(organisation, year).breached
    review = MonthlyReview.objects.filter(staff=officer).order_by("period").first()
    period = f"{review.period[:4]}-{review.period[4:]}"
    answer = api_client(chairman.user).get("/api/v1/evaluations/", {"person": officer.user_id, "period": period})
    assert answer.status_code == 200 and answer.json()["explanation"]
    appeal = Appeal.objects.get(staff=officer)
    assert appeal.status == "pending" and appeals.may_decide(chairman.user, appeal)
    call_command("seed_demo", "--only", "units", "users", "work", stdout=io.StringIO())
    assert StaffMember.objects.filter(user__username="canbo.xuanai").count() == 1
    assert Appeal.objects.count() == 1
