"""A commune officer runs a task from the pages: a task published without its “5 rõ” comes back with every
missing clarity shown and nothing saved; a draft is kept; progress with a document is reported at once."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.plans.choices import TaskStatus
from tinhso.plans.models import Evidence, Task, TaskUpdate

from .test_permission_matrix import task_data


@pytest.fixture
def officer(tree):
    return make_user("commune_officer", tree.xuan_ai)


def form_data(plan, committee, **changes) -> dict:
    data = {**task_data(plan, committee, ids=True), "kind": "key_task", **changes}
    return {key: ("" if value is None else str(value)) for key, value in data.items()}


def test_publishing_without_the_five_clarities_shows_each_and_saves_nothing(tree, officer, commune_plan, committee):
    data = form_data(commune_plan, committee, responsible_person=None, budget_vnd=None, staffing=None)
    response = web_client(officer).post("/plans/tasks/add/", {**data, "publish": "1"}, HTTP_ACCEPT_LANGUAGE="vi")
    page = response.content.decode()
    assert response.status_code == 200
    for message in ("hãy ghi người chịu trách nhiệm", "hãy ghi kinh phí", "hãy ghi người, lực lượng thực hiện"):
        assert message in page
    assert 'value="Phủ sóng 4G' in page  # what was typed stays on the form
    assert not Task.objects.exists()


def test_the_same_incomplete_task_is_kept_as_a_draft(tree, officer, commune_plan, committee):
    data = form_data(commune_plan, committee, responsible_person=None)
    response = web_client(officer).post("/plans/tasks/add/", data)
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == task.get_absolute_url()
    assert task.status == TaskStatus.DRAFT and task.unit == tree.xuan_ai


def test_a_complete_task_is_published_from_the_page(tree, officer, commune_plan, committee):
    response = web_client(officer).post("/plans/tasks/add/", {**form_data(commune_plan, committee), "publish": "1"})
    task = Task.objects.get()
    assert response.status_code == 302
    assert task.status == TaskStatus.IN_PROGRESS and task.published_at is not None


def test_progress_with_a_document_is_reported_and_read_back(tree, officer, commune_plan, committee):
    web_client(officer).post("/plans/tasks/add/", {**form_data(commune_plan, committee), "publish": "1"})
    task = Task.objects.get()
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban", content_type="application/pdf")
    response = web_client(officer).post(
        f"/plans/tasks/{task.pk}/progress/",
        {"progress": "60", "status": "in_progress", "note": "Đã lắp 3 trạm", "file": upload, "title": "Biên bản"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.progress == 60 and TaskUpdate.objects.get().note == "Đã lắp 3 trạm"
    evidence = Evidence.objects.get()
    page = web_client(officer).get(task.get_absolute_url()).content.decode()
    assert "Đã lắp 3 trạm" in page and f"/plans/evidence/{evidence.pk}/file/" in page


def test_progress_posted_by_a_neighbour_is_refused_and_nothing_changes(tree, officer, commune_plan, committee):
    web_client(officer).post("/plans/tasks/add/", {**form_data(commune_plan, committee), "publish": "1"})
    task = Task.objects.get()
    neighbour = make_user("commune_officer", tree.khanh_hoa)
    response = web_client(neighbour).post(
        f"/plans/tasks/{task.pk}/progress/", {"progress": "100", "status": "completed", "note": "Xong"}
    )
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.progress == 0 and not TaskUpdate.objects.exists()
