"""Giving work, reporting on it, accepting or returning it: what officials notice."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tinhso.core.testing import api_client
from tinhso.work import services
from tinhso.work.models import WorkItem

from .conftest import MARCH, assign, finish

pytestmark = pytest.mark.django_db


def test_the_chairman_gives_work_and_the_officer_finds_it_in_her_inbox(world):
    item = assign(world)
    assert item.status == "assigned" and item.unit == world.tree.xuan_ai
    answer = api_client(world.officer.user).get("/api/v1/work/", {"assignee": world.officer.user.pk})
    assert [row["id"] for row in answer.json()["results"]] == [item.pk]


def test_submitted_work_is_accepted_with_a_quality_rating(world):
    item = assign(world)
    client = api_client(world.officer.user)
    assert client.post(f"/api/v1/work/{item.pk}/submit/", {"note": "Đã gửi"}).status_code == 200
    answer = api_client(world.chairman.user).post(f"/api/v1/work/{item.pk}/accept/", {"quality": "excellent"})
    assert answer.status_code == 200
    assert answer.json()["status"] == "accepted" and answer.json()["quality"] == "excellent"


def test_returned_work_goes_back_to_the_officer_with_the_reason(world):
    item = assign(world)
    services.submit(item, actor=world.officer.user)
    answer = api_client(world.deputy.user).post(f"/api/v1/work/{item.pk}/return/", {"reason": "Thiếu số liệu thôn"})
    assert answer.status_code == 200
    item.refresh_from_db()
    assert (item.status, item.return_reason, item.times_returned) == ("returned", "Thiếu số liệu thôn", 1)
    services.submit(item, actor=world.officer.user)
    assert WorkItem.objects.get(pk=item.pk).status == "submitted"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"due_date": "2026-03-01", "assigned_on": "2026-03-05"}, "due_date"),
        ({"quantity": "-3"}, "quantity"),
        ({"quantity": "ba"}, "quantity"),
        ({"quantity": "NaN"}, "quantity"),
        ({"due_date": "ngày mai"}, "due_date"),
        ({"assignee": 999999}, "assignee"),
    ],
)
def test_bad_work_is_refused_in_vietnamese_and_nothing_is_saved(world, change, field):
    data = {"title": "Rà soát hộ nghèo", "assignee": world.officer.user.pk, "due_date": "2026-03-20", **change}
    answer = api_client(world.chairman.user).post("/api/v1/work/", data, format="json")
    assert answer.status_code == 400
    assert field in answer.json()
    assert WorkItem.objects.count() == 0


def test_an_officer_cannot_accept_her_own_work(world):
    item = assign(world, world.officer, actor=world.officer.user)
    services.submit(item, actor=world.officer.user)
    answer = api_client(world.officer.user).post(f"/api/v1/work/{item.pk}/accept/", {"quality": "excellent"})
    assert answer.status_code == 403
    assert "của chính mình" in answer.json()["detail"] or "own work" in answer.json()["detail"]
    assert WorkItem.objects.get(pk=item.pk).status == "submitted"


def test_a_quality_outside_the_list_is_refused(world):
    item = assign(world)
    services.submit(item, actor=world.officer.user)
    answer = api_client(world.chairman.user).post(f"/api/v1/work/{item.pk}/accept/", {"quality": "perfect"})
    assert answer.status_code == 400
    assert WorkItem.objects.get(pk=item.pk).status == "submitted"


def test_an_officer_cannot_give_work_to_her_manager(world):
    with pytest.raises(PermissionDenied):
        assign(world, world.deputy, actor=world.officer.user)
    assert WorkItem.objects.count() == 0


def test_overdue_and_due_before_filters(world):
    late = assign(world, due=datetime.date(2026, 3, 3), title="Quá hạn")
    later = assign(world, due=datetime.date(2099, 1, 1), title="Còn xa")
    client = api_client(world.chairman.user)
    overdue = client.get("/api/v1/work/", {"overdue": "true"}).json()["results"]
    assert [row["id"] for row in overdue] == [late.pk]
    before = client.get("/api/v1/work/", {"due_before": "2030-01-01"}).json()["results"]
    assert [row["id"] for row in before] == [late.pk]
    assert later.pk in [row["id"] for row in client.get("/api/v1/work/", {"status": "assigned"}).json()["results"]]


def test_another_communes_work_is_not_there(world):
    item = assign(world)
    client = api_client(world.stranger.user)
    assert client.get(f"/api/v1/work/{item.pk}/").status_code == 404
    assert client.post(f"/api/v1/work/{item.pk}/submit/").status_code == 404


def test_a_submitted_item_cannot_be_accepted_twice_or_submitted_again(world):
    item = finish(world, assign(world))
    with pytest.raises(ValidationError):
        services.accept(item, actor=world.chairman.user, quality="good")
    with pytest.raises(ValidationError):
        services.submit(item, actor=world.officer.user)


def test_the_phone_inbox_shows_mine_overdue_and_due_soon(world):
    from tinhso.core.testing import web_client

    assign(world, due=datetime.date(2026, 3, 3), title="Báo cáo quá hạn")
    page = web_client(world.officer.user).get("/work/?tab=overdue")
    assert page.status_code == 200
    assert "Báo cáo quá hạn" in page.content.decode()
    for tab in ("mine", "unit", "soon"):
        assert web_client(world.officer.user).get(f"/work/?tab={tab}").status_code == 200


def test_the_item_page_lets_the_assignee_report_progress(world):
    from tinhso.core.testing import web_client

    item = assign(world, assigned_on=MARCH)
    client = web_client(world.officer.user)
    assert client.get(f"/work/{item.pk}/").status_code == 200
    client.post(f"/work/{item.pk}/progress/", {"progress": "40", "note": "Đã thu thập số liệu"})
    item.refresh_from_db()
    assert (item.status, item.progress) == ("in_progress", 40)
    assert item.comments.get().text == "Đã thu thập số liệu"


def _plan_task(world):
    from tinhso.plans.models import Plan, Task

    plan = Plan.objects.create(
        unit=world.tree.xuan_ai,
        number="12/KH-UBND",
        title="Kế hoạch chuyển đổi số 2026",
        issued_on=datetime.date(2026, 1, 5),
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    return Task.objects.create(plan=plan, unit=world.tree.xuan_ai, title="Phổ cập kỹ năng số cho người dân")


def test_a_plan_task_breaks_down_into_personal_items_that_roll_up(world):
    task = _plan_task(world)
    first = assign(world, source=task, title="Phần của cán bộ")
    assign(world, world.colleague, source=task, title="Phần của đồng nghiệp")
    finish(world, first)
    assert first.source_kind == "plan_task"
    assert services.rollup(task) == {"items": 2, "accepted": 1, "progress": 50}


def test_a_source_no_domain_registered_is_refused(world):
    with pytest.raises(ValidationError):
        assign(world, source=world.committee)
    assert WorkItem.objects.count() == 0


def test_the_line_cannot_loop(world):
    world.chairman.manager = world.officer
    with pytest.raises(ValidationError):
        services.save_staff_member(world.chairman, actor=None)
