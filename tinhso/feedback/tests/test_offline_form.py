"""The report form as the phone's script (core/offline-form.js) sends it: JSON answers, so that the draft kept on
the phone is forgotten only once the report is recorded, and a resend after a lost answer files nothing new."""

import pytest

from tinhso.core.testing import web_client
from tinhso.feedback.models import Report

from .conftest import photo_file

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def filled(world, **changes) -> dict:
    return {
        "service": world.road.pk,
        "place": world.tree.new_khe_dua.pk,
        "description": "Cống qua đường bị tắc.",
        "idempotency_key": "draft-1",
        **changes,
    }


def test_the_page_loads_the_core_offline_script_and_keeps_no_neighbours_phone_in_the_draft(world):
    page = web_client(world.citizen).get("/feedback/new/").content.decode()
    assert "core/offline-form.js" in page and 'data-keep="draft"' in page
    kept = page.split('data-draft-fields="', 1)[1].split('"', 1)[0].split()
    assert "description" in kept and "idempotency_key" in kept and "contact_phone" not in kept


def test_a_report_sent_by_the_script_answers_its_address_and_a_resend_files_nothing_new(world):
    client = web_client(world.citizen)
    sent = client.post("/feedback/new/", {**filled(world), "photos": [photo_file()]}, **JSON)
    report = Report.objects.get()
    assert sent.status_code == 201 and sent.json()["url"] == f"/feedback/{report.pk}/"
    again = client.post("/feedback/new/", filled(world), **JSON)
    assert again.status_code == 200 and again.json()["id"] == report.pk
    assert Report.objects.count() == 1 and report.photos.count() == 1
    assert "Đã gửi phản ánh số" in client.get(sent.json()["url"]).content.decode()  # the message waits for the page


def test_the_same_key_with_other_details_is_a_conflict_and_writes_nothing(world):
    client = web_client(world.citizen)
    client.post("/feedback/new/", filled(world), **JSON)
    changed = client.post("/feedback/new/", filled(world, description="Một chuyện khác hẳn."), **JSON)
    assert changed.status_code == 409 and changed.json()["detail"]
    assert Report.objects.count() == 1


def test_a_form_with_mistakes_answers_the_errors_by_field_in_vietnamese(world):
    response = web_client(world.citizen).post("/feedback/new/", filled(world, place="", service="x"), **JSON)
    assert response.status_code == 400
    assert "service" in response.json() and response.json()["service"][0]["message"]
    assert not Report.objects.exists()
