"""What a person finds to do: the inbox lists the reports they must send and those they must decide (never
their own submissions), "awaiting my approval" on the report list, and filters that only offer what the
person may see."""

import datetime

import pytest
from django.utils import timezone

from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client, web_client
from tinhso.plans import services
from tinhso.plans.models import Report
from tinhso.plans.testing import make_data_set, make_plan, report

from .test_permission_matrix import task_data

TODAY = timezone.localdate()


@pytest.fixture
def village_set(tree):
    return make_data_set("THON_THANG", "month", "village", [("HO", "Số hộ")])


def last_month() -> str:
    """A month the old villages reported (they ended with the reform); due dates are set where they matter."""
    return "202406"


def link(obj) -> str:
    return f'href="{obj.get_absolute_url()}"'


def test_the_commune_officer_is_asked_to_decide_the_villages_submitted_reports(tree, village_set):
    officer = make_user("commune_officer", tree.xuan_ai)
    waiting = report(village_set, tree.khe_dua, last_month(), {"HO": 120}, status="submitted")
    draft = report(village_set, tree.na_hau, last_month(), {"HO": 80}, status="draft")
    elsewhere = report(village_set, tree.dong_tam, last_month(), {"HO": 150}, status="submitted")
    page = web_client(officer).get("/plans/inbox/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert link(waiting) in page
    assert link(elsewhere) not in page
    listed = web_client(officer).get("/plans/reports/", {"awaiting_me": "on"}).content.decode()
    assert link(waiting) in listed and link(draft) not in listed and link(elsewhere) not in listed


def test_nobody_is_asked_to_approve_what_they_submitted_themselves(tree, village_set):
    officer = make_user("commune_officer", tree.xuan_ai)
    opened = services.open_report(village_set, tree.khe_dua, last_month(), actor=officer)
    services.save_report_values(opened, {"HO": ("120", "")}, actor=officer)
    services.submit_report(opened, actor=officer)
    page = web_client(officer).get("/plans/inbox/").content.decode()
    assert link(opened) not in page
    other = make_user("commune_officer", tree.xuan_ai)
    assert link(opened) in web_client(other).get("/plans/inbox/").content.decode()


def test_the_team_leader_is_asked_to_send_the_villages_report_due_this_week(tree, village_set):
    leader = make_user("village_team_leader", tree.khe_dua)
    soon = report(village_set, tree.khe_dua, last_month(), {"HO": 120}, status="draft")
    Report.objects.filter(pk=soon.pk).update(due_date=TODAY + datetime.timedelta(days=3))
    later = report(village_set, tree.khe_dua, "202401", {"HO": 120}, status="draft")
    Report.objects.filter(pk=later.pk).update(due_date=TODAY + datetime.timedelta(days=30))
    sent = report(village_set, tree.khe_dua, "202402", {"HO": 120}, status="submitted")
    Report.objects.filter(pk=sent.pk).update(due_date=TODAY)
    page = web_client(leader).get("/plans/inbox/").content.decode()
    assert link(soon) in page
    assert link(later) not in page and link(sent) not in page


def test_a_returned_report_is_back_in_the_inbox_to_send(tree, village_set):
    leader = make_user("village_team_leader", tree.khe_dua)
    returned = report(village_set, tree.khe_dua, last_month(), {"HO": 120}, status="returned")
    Report.objects.filter(pk=returned.pk).update(due_date=TODAY - datetime.timedelta(days=2))
    assert link(returned) in web_client(leader).get("/plans/inbox/").content.decode()


def test_overdue_tasks_of_my_commune_are_in_my_inbox_not_in_my_neighbours(tree, commune_plan, committee):
    task = services.create_task(
        actor=None, data={**task_data(commune_plan, committee), "due_date": TODAY - datetime.timedelta(days=5)}
    )
    services.flag_overdue_tasks()
    mine = web_client(make_user("commune_officer", tree.xuan_ai)).get("/plans/inbox/").content.decode()
    theirs = web_client(make_user("commune_officer", tree.khanh_hoa)).get("/plans/inbox/").content.decode()
    assert link(task) in mine and link(task) not in theirs


def test_the_plan_filter_offers_only_plans_the_person_reads(tree, commune_plan, committee):
    services.create_task(actor=None, data=task_data(commune_plan, committee))
    hidden = make_plan(tree.khanh_hoa, number="3/KH-UBND")
    officer = make_user("commune_officer", tree.xuan_ai)
    page = web_client(officer).get("/plans/tasks/").content.decode()
    assert f'value="{commune_plan.pk}"' in page and f'value="{hidden.pk}"' not in page
    refused = api_client(officer).get("/api/v1/tasks/", {"plan": hidden.pk})
    assert refused.status_code == 400 and "plan" in refused.json()
    chosen = api_client(officer).get("/api/v1/tasks/", {"plan": commune_plan.pk}).json()
    assert chosen["count"] == 1


def test_tasks_are_found_by_words_of_the_title_or_the_lead_organisation_without_marks(tree, commune_plan, committee):
    services.create_task(actor=None, data={**task_data(commune_plan, committee), "title": "Lắp wifi nhà văn hóa"})
    services.create_task(actor=None, data={**task_data(commune_plan, committee), "title": "Số hóa hồ sơ địa chính"})
    client = web_client(make_user("commune_officer", tree.xuan_ai))
    assert "Lắp wifi nhà văn hóa" in client.get("/plans/tasks/", {"q": "wifi"}).content.decode()
    by_owner = client.get("/plans/tasks/", {"q": "ubnd xa xuan ai"}).content.decode()
    assert "Lắp wifi nhà văn hóa" in by_owner and "Số hóa hồ sơ địa chính" in by_owner
    none = client.get("/plans/tasks/", {"q": "cáp quang"}).content.decode()
    assert "Lắp wifi" not in none


def test_reports_are_found_by_the_units_name_without_marks_or_by_its_code(tree, village_set):
    khe_dua = report(village_set, tree.khe_dua, "202401", {"HO": 1}, status="draft")
    na_hau = report(village_set, tree.na_hau, "202401", {"HO": 1}, status="draft")
    client = web_client(make_user("commune_officer", tree.xuan_ai))
    by_name = client.get("/plans/reports/", {"q": "khe dua"}).content.decode()
    assert link(khe_dua) in by_name and link(na_hau) not in by_name
    by_code = client.get("/plans/reports/", {"q": "04441-02"}).content.decode()
    assert link(na_hau) in by_code and link(khe_dua) not in by_code
