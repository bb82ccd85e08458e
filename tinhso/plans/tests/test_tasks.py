"""Tasks are published only when "5 rõ"; progress rolls up; reminders and overdue flags; the inbox."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client, web_client
from tinhso.plans import services
from tinhso.plans.choices import TaskEventKind, TaskStatus
from tinhso.plans.models import Task, TaskEvent, TaskUpdate
from tinhso.plans.testing import make_plan
from tinhso.units.models import Organisation

TODAY = timezone.localdate()


@pytest.fixture
def plan(tree):
    return make_plan(tree.yen_bai)


@pytest.fixture
def department(tree):
    return Organisation.objects.create(
        name="Sở Khoa học và Công nghệ", short_name="Sở KH&CN", kind="department", unit=tree.yen_bai
    )


def complete(plan, department, **changes) -> dict:
    data = {
        "plan": plan.pk,
        "kind": "key_task",
        "title": "Phủ Internet băng rộng cố định đến thôn, bản chưa có",
        "owner_organisation": department.pk,
        "responsible_person": "Ông Nguyễn Thúc Mạnh, Phó Giám đốc Sở",
        "start_date": "2024-04-01",
        "due_date": "2024-10-31",
        "expected_output": "Trên 98% thôn, bản có Internet băng rộng cố định",
        "budget_vnd": "1500000000",
        "budget_source": "provincial",
        "staffing": "3 cán bộ, phối hợp doanh nghiệp viễn thông",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_task_missing_every_clarity_is_refused_naming_each_in_vietnamese(tree, plan):
    client = api_client(make_user("dx_centre_staff", tree.yen_bai))
    response = client.post("/api/v1/tasks/", {"plan": plan.pk}, format="json", HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    body = response.json()
    assert body["title"] == ["Rõ việc: hãy nêu việc phải làm."]
    assert body["owner_organisation"] == ["Rõ người: hãy chọn cơ quan chủ trì."]
    assert body["responsible_person"] == ["Rõ người: hãy ghi người chịu trách nhiệm."]
    assert body["start_date"] == ["Rõ thời gian: hãy ghi ngày bắt đầu."]
    assert body["due_date"] == ["Rõ thời gian: hãy ghi hạn hoàn thành."]
    assert body["expected_output"] == ["Rõ sản phẩm: hãy nêu sản phẩm, kết quả đầu ra."]
    assert body["budget_vnd"][0].startswith("Rõ nguồn lực: hãy ghi kinh phí")
    assert body["budget_source"] == ["Rõ nguồn lực: hãy chọn nguồn kinh phí."]
    assert body["staffing"] == ["Rõ nguồn lực: hãy ghi người, lực lượng thực hiện."]
    assert "chưa đủ “5 rõ”" in body["non_field_errors"][0]
    assert not Task.objects.exists()


def test_a_due_date_before_the_start_is_refused(tree, plan, department):
    client = api_client(make_user("dx_centre_staff", tree.yen_bai))
    response = client.post(
        "/api/v1/tasks/", complete(plan, department, due_date="2024-03-01"), format="json", HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 400
    assert response.json()["due_date"] == ["Rõ thời gian: hạn hoàn thành trước ngày bắt đầu."]
    assert not Task.objects.exists()


def test_a_complete_task_is_published_for_the_lead_organisations_unit(tree, plan, department):
    client = api_client(make_user("dx_centre_staff", tree.yen_bai))
    response = client.post("/api/v1/tasks/", complete(plan, department), format="json")
    assert response.status_code == 201, response.json()
    task = Task.objects.get()
    assert (task.status, task.unit, task.budget_vnd) == (TaskStatus.IN_PROGRESS, tree.yen_bai, 1_500_000_000)
    assert response.json()["unit_code"] == "15"


def test_a_draft_may_be_incomplete_but_cannot_be_published(tree, plan):
    staff = make_user("dx_centre_staff", tree.yen_bai)
    draft = services.create_task(actor=staff, data={"plan": plan, "title": "Ý tưởng"}, publish=False)
    assert draft.status == TaskStatus.DRAFT
    with pytest.raises(services.ValidationError):
        services.publish_task(draft, actor=staff)
    assert Task.objects.get().status == TaskStatus.DRAFT


def test_a_commune_officer_cannot_add_tasks_to_the_provinces_plan(tree, plan, department):
    client = api_client(make_user("commune_officer", tree.xuan_ai))
    response = client.post("/api/v1/tasks/", complete(plan, department), format="json")
    assert response.status_code == 403
    assert not Task.objects.exists()


def published(plan, department, **fields) -> Task:
    data = {**complete(plan, department), "plan": plan, "owner_organisation": department, **fields}
    data["start_date"] = datetime.date.fromisoformat(str(data["start_date"]))
    data["due_date"] = datetime.date.fromisoformat(str(data["due_date"]))
    return services.create_task(actor=None, data=data)


def test_sub_tasks_roll_their_progress_up(tree, plan, department):
    parent = published(plan, department, title="Phát triển hạ tầng số")
    first = published(plan, department, parent=parent, title="Phủ sóng 5G")
    second = published(plan, department, parent=parent, title="Phủ băng rộng")
    services.post_task_update(first, actor=None, progress=100, note="Xong")
    services.post_task_update(second, actor=None, progress=50, note="Đang làm")
    parent.refresh_from_db()
    assert (parent.progress, parent.status) == (75, TaskStatus.IN_PROGRESS)
    services.post_task_update(second, actor=None, progress=100, note="Xong")
    parent.refresh_from_db()
    assert (parent.progress, parent.status) == (100, TaskStatus.COMPLETED)


def test_department_staff_report_progress_only_on_their_own_tasks(tree, plan, department):
    other = Organisation.objects.create(name="Sở Y tế", short_name="Sở Y tế", kind="department", unit=tree.yen_bai)
    staff = make_user("department_staff", tree.yen_bai, organisation=department)
    own = published(plan, department)
    theirs = published(plan, other, title="Bệnh án điện tử")
    response = api_client(staff).post(f"/api/v1/tasks/{own.pk}/progress/", {"progress": 60, "note": "Đã lắp 30 trạm"})
    assert response.status_code == 200, response.json()
    assert response.json()["progress"] == 60
    with pytest.raises(PermissionDenied):
        services.post_task_update(theirs, actor=staff, progress=90, note="Không phải việc của tôi")
    assert not TaskUpdate.objects.filter(task=theirs).exists()


def test_reminders_seven_days_ahead_and_the_daily_overdue_flag(tree, plan, department):
    soon = published(plan, department, start_date=TODAY, due_date=TODAY + datetime.timedelta(days=7))
    late = published(
        plan, department, start_date=TODAY - datetime.timedelta(days=30), due_date=TODAY - datetime.timedelta(days=1)
    )
    done = published(
        plan, department, start_date=TODAY - datetime.timedelta(days=30), due_date=TODAY - datetime.timedelta(days=2)
    )
    services.post_task_update(done, actor=None, progress=100, note="Xong")
    Task.objects.update(is_overdue=False)
    # The day is TODAY's, not the clock's: a run that crosses midnight in Hà Nội must not move it.
    assert services.send_due_reminders(TODAY) == 1
    assert services.send_due_reminders(TODAY) == 0
    assert services.flag_overdue_tasks(TODAY) == 1
    assert list(Task.objects.filter(is_overdue=True)) == [late]
    assert TaskEvent.objects.filter(task=soon, kind=TaskEventKind.REMINDER).exists()


def test_the_inbox_shows_what_is_due_and_overdue_for_my_organisation(tree, plan, department):
    staff = make_user("department_staff", tree.yen_bai, organisation=department)
    published(plan, department, title="Việc sắp đến hạn", start_date=TODAY, due_date=TODAY + datetime.timedelta(days=3))
    published(
        plan,
        department,
        title="Việc quá hạn",
        start_date=TODAY - datetime.timedelta(days=40),
        due_date=TODAY - datetime.timedelta(days=4),
    )
    page = web_client(staff).get("/plans/inbox/").content.decode()
    assert "Việc sắp đến hạn" in page and "Việc quá hạn" in page


def test_the_task_page_shows_the_five_clarities(tree, plan, department):
    task = published(plan, department)
    page = web_client(make_user("department_staff", tree.yen_bai)).get(
        task.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "Rõ việc" in text and "Rõ nguồn lực" in text and "1.500.000.000" in text
