"""The farmer's phone form: records kept offline are sent later, possibly twice; each is recorded once."""

import uuid

import pytest

from tinhso.core.testing import web_client
from tinhso.trace.models import Event

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def record(which, **changes):
    return {
        "tree": which.pk,
        "kind": "harvesting",
        "event_time": "2025-04-02T07:30",
        "quantity_kg": "2,5",
        "performed_by": "Giàng A Chu",
        "event_id": f"urn:uuid:{uuid.uuid4()}",
        **changes,
    }


def test_the_page_gives_each_record_its_own_id_and_loads_the_outbox_script(tea):
    page = web_client(tea.officer).get("/trace/events/add/").content.decode()
    assert 'name="event_id"' in page and "urn:uuid:" in page and "core/offline-form.js" in page


def test_a_record_sent_three_times_is_recorded_once(tea):
    web, data = web_client(tea.officer), record(tea.tree1)
    first = web.post("/trace/events/add/", data, **JSON)
    assert first.status_code == 201 and first.json()["created"] is True
    for _ in range(2):
        again = web.post("/trace/events/add/", data, **JSON)
        assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    event = Event.objects.get()
    assert event.event_id == data["event_id"] and float(event.quantity_kg) == 2.5
    assert event.recorded_by == tea.officer


def test_two_records_made_offline_are_two_events(tea):
    web = web_client(tea.officer)
    for _ in range(2):
        assert web.post("/trace/events/add/", record(tea.tree1), **JSON).status_code == 201
    assert Event.objects.count() == 2


def test_the_same_id_with_other_details_is_a_conflict_and_writes_nothing(tea):
    web, data = web_client(tea.officer), record(tea.tree1)
    web.post("/trace/events/add/", data, **JSON)
    changed = web.post("/trace/events/add/", {**data, "quantity_kg": "9"}, **JSON)
    assert changed.status_code == 409
    someone_else = web_client(tea.admin).post("/trace/events/add/", data, **JSON)
    assert someone_else.status_code == 409
    assert Event.objects.count() == 1 and float(Event.objects.get().quantity_kg) == 2.5


def test_without_javascript_the_plain_form_is_idempotent_too(tea):
    web, data = web_client(tea.officer), record(tea.tree1)
    assert web.post("/trace/events/add/", data).status_code == 302
    assert web.post("/trace/events/add/", data).status_code == 302
    assert Event.objects.count() == 1
    conflict = web.post("/trace/events/add/", {**data, "kind": "pruning"})
    assert conflict.status_code == 200 and Event.objects.count() == 1
    assert data["event_id"] not in conflict.content.decode()  # the form offers a new id for a deliberate resend


@pytest.mark.parametrize(
    "changes",
    [
        {"event_id": "urn:uuid:not-a-uuid"},
        {"event_id": "x" * 500},
        {"quantity_kg": "-1"},
        {"quantity_kg": "1e400"},
        {"quantity_kg": "99999999"},
        {"event_time": "2999-01-01T00:00"},
        {"event_time": "yesterday"},
        {"kind": "sensor_reporting"},
        {"tree": "1 OR 1=1"},
        {"note": "\u202egnp.exe"},
    ],
)
def test_hostile_records_are_refused_with_the_reason_and_nothing_written(tea, changes):
    response = web_client(tea.officer).post("/trace/events/add/", record(tea.tree1, **changes), **JSON)
    assert response.status_code == 400 and response.json()
    assert not Event.objects.exists()


def test_a_tree_of_another_commune_or_a_logged_out_phone_is_refused(tea):
    response = web_client(tea.officer).post("/trace/events/add/", record(tea.other_tree), **JSON)
    assert response.status_code == 400
    logged_out = web_client(None).post("/trace/events/add/", record(tea.tree1), **JSON)
    assert logged_out.status_code == 401 and "application/json" in logged_out["Content-Type"]
    citizen = web_client(tea.citizen).post("/trace/events/add/", record(tea.tree1), **JSON)
    assert citizen.status_code == 403
    assert not Event.objects.exists()


def test_the_service_worker_is_scoped_to_the_form_and_keeps_nothing_else(tea):
    page = web_client(tea.officer).get("/trace/events/add/").content.decode()
    assert 'data-worker="/trace/events/sw.js"' in page
    response = web_client(tea.officer).get("/trace/events/sw.js")
    script = response.content.decode()
    assert response["Content-Type"].startswith("text/javascript") and response["Cache-Control"] == "no-cache"
    assert 'var PAGE = "/trace/events/add/"' in script and 'if (request.method !== "GET") { return; }' in script
