"""The fixed API names of the issue, answered in the caller's scope, with Vietnamese errors."""

import datetime

from django.utils import timezone

from tinhso.core.testing import api_client
from tinhso.radio.models import Bulletin, Delivery, PlayEvent

LATER = (timezone.now() + datetime.timedelta(hours=2)).isoformat()


def relay_body(**extra):
    body = {
        "title": "Tiếp sóng VOV1",
        "kind": "relay",
        "stream_url": "http://radio.example.vn/vov1",
        "expires_at": LATER,
        "targets": ["04441"],
    }
    return {**body, **extra}


def test_creating_a_cluster_returns_its_device_id_and_a_one_time_password(radio):
    response = api_client(radio.officer).post(
        "/api/v1/radio/clusters/", {"name": "Cụm loa Nà Hẩu", "unit": "04441-01"}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["device_id"].startswith("c-") and len(body["password"]) >= 16
    again = api_client(radio.officer).get(f"/api/v1/radio/clusters/{body['id']}/").json()
    assert "password" not in again and again["status"] == "offline"


def test_clusters_are_listed_within_the_callers_units(radio):
    names = {c["name"] for c in api_client(radio.officer).get("/api/v1/radio/clusters/").json()["results"]}
    assert "Cụm loa Khánh Hòa" not in names and "Cụm loa Khe Dứa 1" in names
    assert api_client(radio.citizen).get("/api/v1/radio/clusters/").status_code == 403


def test_a_bulletin_is_created_broadcast_and_cancelled_through_the_api(radio):
    client = api_client(radio.officer)
    created = client.post("/api/v1/radio/bulletins/", relay_body(), format="json")
    assert created.status_code == 201, created.json()
    bulletin_id = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["targets"] == ["04441"]
    sent = client.post(f"/api/v1/radio/bulletins/{bulletin_id}/broadcast/")
    assert sent.status_code == 200 and sent.json()["clusters_reached"] == 3
    assert sent.json()["deliveries"] == {"pending": 3}
    cancelled = client.post(f"/api/v1/radio/bulletins/{bulletin_id}/cancel/")
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["deliveries"] == {"cancelled": 3}


def test_bad_input_gets_a_vietnamese_error_and_nothing_is_created(radio):
    client = api_client(radio.officer)
    past = (timezone.now() - datetime.timedelta(hours=3)).isoformat()
    response = client.post("/api/v1/radio/bulletins/", relay_body(send_at=past), format="json")
    assert response.status_code == 400 and "send_at" in response.json()
    assert "Thời điểm phát đã qua" in str(response.json()["send_at"])
    outside = client.post("/api/v1/radio/bulletins/", relay_body(targets=["04300"]), format="json")
    assert outside.status_code == 400 and "Khánh Hòa" in str(outside.json()["targets"])
    unknown = client.post("/api/v1/radio/bulletins/", relay_body(targets=["99999"]), format="json")
    assert unknown.status_code == 400 and "99999" in str(unknown.json()["targets"])
    assert Bulletin.objects.count() == 0


def test_a_village_head_cannot_broadcast_to_the_whole_commune(radio):
    client = api_client(radio.village_head)
    response = client.post("/api/v1/radio/bulletins/", relay_body(), format="json")
    assert response.status_code == 400
    own = client.post("/api/v1/radio/bulletins/", relay_body(targets=["04441-01"]), format="json")
    assert own.status_code == 201
    assert client.post(f"/api/v1/radio/bulletins/{own.json()['id']}/broadcast/").json()["clusters_reached"] == 2


def test_a_bulletin_outside_ones_scope_cannot_be_cancelled(radio):
    created = api_client(radio.admin).post(
        "/api/v1/radio/bulletins/", relay_body(unit="15", targets=["04300"]), format="json"
    )
    bulletin_id = created.json()["id"]
    api_client(radio.admin).post(f"/api/v1/radio/bulletins/{bulletin_id}/broadcast/")
    response = api_client(radio.officer).post(f"/api/v1/radio/bulletins/{bulletin_id}/cancel/")
    assert response.status_code == 404
    assert set(Delivery.objects.values_list("state", flat=True)) == {"pending"}


def test_the_play_log_is_listed_with_filters(radio):
    from tinhso.radio import services

    services.record_event(radio.khe_dua_1.device_id, {"event": "failed", "detail": "loa hỏng"})
    services.record_event(radio.khanh_hoa.device_id, {"event": "failed", "detail": "mất điện"})
    client = api_client(radio.officer)
    rows = client.get("/api/v1/radio/events/", {"event": "failed"}).json()["results"]
    assert [row["detail"] for row in rows] == ["loa hỏng"]
    assert PlayEvent.objects.count() == 2


def test_a_cap_document_that_fails_the_schema_is_refused(radio):
    response = api_client(radio.admin).post(
        "/api/v1/radio/cap/", b"<alert><identifier>x</identifier></alert>", content_type="application/cap+xml"
    )
    assert response.status_code == 400
    assert Bulletin.objects.count() == 0


def test_normalize_returns_the_reading(radio):
    response = api_client(radio.officer).get("/api/v1/radio/normalize/", {"text": "UBND xã"})
    assert response.status_code == 200 and "ủy ban nhân dân" in response.json()["text"].lower()


def test_a_draft_can_be_edited_but_not_once_broadcast(radio):
    client = api_client(radio.officer)
    bulletin_id = client.post("/api/v1/radio/bulletins/", relay_body(), format="json").json()["id"]
    edited = client.patch(f"/api/v1/radio/bulletins/{bulletin_id}/", {"title": "Tiếp sóng VOV2"}, format="json")
    assert edited.status_code == 200 and edited.json()["title"] == "Tiếp sóng VOV2"
    client.post(f"/api/v1/radio/bulletins/{bulletin_id}/broadcast/")
    refused = client.patch(f"/api/v1/radio/bulletins/{bulletin_id}/", {"title": "Khác"}, format="json")
    assert refused.status_code == 400 and Bulletin.objects.get().title == "Tiếp sóng VOV2"


def test_a_cap_alert_posted_to_the_api_becomes_an_emergency(radio):
    from .test_broadcast import cap_document

    response = api_client(radio.admin).post(
        "/api/v1/radio/cap/", cap_document("flood-van-yen.xml"), content_type="application/cap+xml"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["bulletin"]["level"] == "emergency"
    assert response.json()["bulletin"]["deliveries"] == {"pending": 4}
    exported = api_client(radio.admin).get(f"/api/v1/radio/bulletins/{response.json()['bulletin']['id']}/cap/")
    assert exported["Content-Type"].startswith("application/cap+xml") and b"VN-15-PCTT-2026-0042" in exported.content


def test_a_cap_alert_posted_twice_answers_already_received_and_sends_nothing_again(radio):
    from .test_broadcast import cap_document

    client = api_client(radio.admin)
    first = client.post("/api/v1/radio/cap/", cap_document("flood-van-yen.xml"), content_type="application/cap+xml")
    deliveries = Delivery.objects.count()
    again = client.post("/api/v1/radio/cap/", cap_document("flood-van-yen.xml"), content_type="application/cap+xml")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["already_received"] is True and "đã nhận" in again.json()["detail"]
    assert again.json()["bulletin"]["id"] == first.json()["bulletin"]["id"]
    assert Bulletin.objects.count() == 1 and Delivery.objects.count() == deliveries
