"""People hear about their tasks and reports through the platform's notifications."""

import datetime

import pytest
from django.utils import timezone

from tinhso.accounts.testing import make_user
from tinhso.core.models import Message
from tinhso.plans import services
from tinhso.plans.choices import ValueType
from tinhso.plans.testing import make_data_set, make_plan, report
from tinhso.units.models import Organisation

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _daytime(settings):
    settings.NOTIFY_QUIET_HOURS = ""


def task(tree, *, due_in: int, responsible=None, title="Phủ sóng 4G thôn Khe Dứa"):
    data = {
        "plan": make_plan(tree.yen_bai),
        "kind": "key_task",
        "owner_organisation": Organisation.objects.get_or_create(
            name="UBND xã Xuân Ái", short_name="UBND Xuân Ái", kind="peoples_committee", unit=tree.xuan_ai
        )[0],
        "title": title,
        "responsible_person": "Bà Lý Thị Hoa",
        "responsible_user": responsible,
        "start_date": TODAY - datetime.timedelta(days=30),
        "due_date": TODAY + datetime.timedelta(days=due_in),
        "expected_output": "Thôn có sóng 4G",
        "budget_vnd": "0",
        "budget_source": "provincial",
        "staffing": "1 cán bộ",
    }
    return services.create_task(actor=None, data=data)


def messages_of(person, kind):
    return list(Message.objects.filter(recipient=person, kind=kind))


def test_the_responsible_person_is_reminded_once_seven_days_before(tree, django_capture_on_commit_callbacks):
    hoa = make_user("commune_officer", tree.xuan_ai, email="hoa@xuanai.gov.vn")
    soon = task(tree, due_in=7, responsible=hoa)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_due_reminders()
        services.send_due_reminders()
    [reminder] = messages_of(hoa, "plans.task_reminder")
    assert "Phủ sóng 4G" in reminder.subject and reminder.url == soon.get_absolute_url()
    assert set(reminder.deliveries.values_list("channel", "state")) == {("in_app", "delivered"), ("email", "sent")}


def test_an_overdue_task_without_an_account_tells_the_units_officers(tree):
    officer, village_leader = make_user("commune_officer", tree.xuan_ai), make_user("village_team_leader", tree.xuan_ai)
    task(tree, due_in=-1)
    services.flag_overdue_tasks()
    services.flag_overdue_tasks()
    assert len(messages_of(officer, "plans.task_overdue")) == 1
    assert messages_of(village_leader, "plans.task_overdue") == []


@pytest.fixture
def monthly(tree):
    return make_data_set("XA_THANG", "month", "commune", [("HS_TIEPNHAN", "Hồ sơ", ValueType.NUMBER)], due_days=5)


def test_the_submitter_hears_of_a_return_with_its_reason_and_of_the_approval(tree, monthly):
    officer, district = make_user("commune_officer", tree.xuan_ai), make_user("district_officer", tree.van_yen)
    submitted = report(monthly, tree.xuan_ai, "202411", {"HS_TIEPNHAN": 100}, status="submitted")
    submitted.submitted_by = officer
    submitted.save(update_fields=["submitted_by"])
    services.return_report(submitted, actor=district, reason="Số hồ sơ chưa khớp một cửa")
    [returned] = messages_of(officer, "plans.report_returned")
    assert "Số hồ sơ chưa khớp một cửa" in returned.body and returned.actor == district
    services.submit_report(submitted, actor=officer)
    services.approve_report(submitted, actor=district)
    assert len(messages_of(officer, "plans.report_approved")) == 1
