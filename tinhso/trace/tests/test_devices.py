"""Sensor devices: an officer registers one and copies its token once, revokes it, issues a new one."""

import re

import pytest

from tinhso.core.testing import web_client
from tinhso.trace.models import Device
from tinhso.trace.services import hash_token

pytestmark = pytest.mark.django_db


def post_reading(token, device_id="sg-sensor-09"):
    from tinhso.core.testing import api_client

    body = {"readings": [{"time": "2025-04-02T07:30:00+07:00", "temperature": 18.5, "humidity": 90}]}
    client = api_client()
    return client.post(
        f"/api/v1/trace/sensors/{device_id}/readings/", body, format="json", HTTP_AUTHORIZATION=f"Device {token}"
    )


def token_on(page) -> str:
    found = re.search(r'data-token[^>]*value="([^"]+)"|value="([^"]+)"[^>]*data-token', page)
    return found.group(1) or found.group(2)


def register(web, tea, **changes):
    payload = {"device_id": "sg-sensor-09", "garden": tea.garden.pk, "tree_number": "SG-0001", **changes}
    return web.post("/trace/devices/add/", payload)


def test_the_token_is_shown_once_and_works(tea):
    web = web_client(tea.officer)
    response = register(web, tea)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    token = token_on(response.content.decode())
    device = Device.objects.get(device_id="sg-sensor-09")
    assert device.tree == tea.tree1 and device.unit == tea.commune and device.token_hash == hash_token(token)
    listing = web.get("/trace/devices/").content.decode()
    assert "sg-sensor-09" in listing and token not in listing
    assert post_reading(token).status_code in (200, 201)


def test_a_revoked_device_is_refused_and_a_new_token_replaces_the_old(tea):
    web = web_client(tea.officer)
    old = token_on(register(web, tea).content.decode())
    device = Device.objects.get()
    assert web.post(f"/trace/devices/{device.pk}/revoke/").status_code == 302
    assert post_reading(old).status_code in (401, 403)
    new = token_on(web.post(f"/trace/devices/{device.pk}/token/").content.decode())
    assert new != old and post_reading(new).status_code in (200, 201) and post_reading(old).status_code in (401, 403)


@pytest.mark.parametrize(
    "changes",
    [
        {"device_id": "a/b"},
        {"device_id": "x" * 65},
        {"device_id": ""},
        {"device_id": "sg 01"},
        {"tree_number": "SG-9999"},
        {"garden": "999999"},
        {"tree_number": "KH-0001"},  # another commune's tree
    ],
)
def test_a_bad_device_is_refused_and_nothing_is_written(tea, changes):
    response = register(web_client(tea.officer), tea, **changes)
    assert response.status_code == 200 and b"errorlist" in response.content and b"data-token" not in response.content
    assert not Device.objects.exists()


def test_the_same_device_id_twice_is_refused(tea):
    web = web_client(tea.officer)
    register(web, tea)
    again = register(web, tea)
    assert b"data-token" not in again.content and Device.objects.count() == 1


@pytest.mark.parametrize("who", ["other_officer", "village_head", "citizen"])
def test_outsiders_cannot_see_register_or_revoke(tea, who):
    register(web_client(tea.officer), tea)
    device = Device.objects.get()
    web = web_client(getattr(tea, who))
    assert "sg-sensor-09" not in web.get("/trace/devices/").content.decode()
    assert web.post(f"/trace/devices/{device.pk}/revoke/").status_code in (403, 404)
    assert web.post(f"/trace/devices/{device.pk}/token/").status_code in (403, 404)
    assert b"data-token" not in register(web, tea, device_id="intruder").content
    assert Device.objects.get().revoked_at is None and Device.objects.count() == 1


def test_an_unknown_action_is_404(tea):
    register(web_client(tea.officer), tea)
    device = Device.objects.get()
    assert web_client(tea.officer).post(f"/trace/devices/{device.pk}/delete/").status_code == 404
    assert web_client(tea.officer).get(f"/trace/devices/{device.pk}/revoke/").status_code == 405
