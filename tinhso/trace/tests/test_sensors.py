import pytest

from tinhso.core.context import acting_as
from tinhso.core.testing import api_client
from tinhso.trace import services
from tinhso.trace.models import SensorReading

pytestmark = pytest.mark.django_db
URL = "/api/v1/trace/sensors/{}/readings/"


@pytest.fixture
def device(tea):
    with acting_as(None, source="test"):
        device, token = services.register_device(actor=None, unit=tea.commune, device_id="sg-01", tree=tea.tree1)
    device.token = token
    return device


def post(device_id, token, payload):
    return api_client().post(URL.format(device_id), payload, format="json", HTTP_AUTHORIZATION=f"Device {token}")


READINGS = {
    "readings": [
        {"time": "2025-04-01T08:00:00+07:00", "temperature": 18.5, "humidity": 91, "soil_moisture": 33},
        {"time": "2025-04-01T09:00:00+07:00", "temperature": 19.0, "humidity": 89},
    ]
}


def test_a_device_posts_readings_with_its_token(device):
    response = post("sg-01", device.token, READINGS)
    assert response.status_code == 201
    assert response.json() == {"stored": 2, "duplicates": 0}
    assert SensorReading.objects.filter(device=device, tree=device.tree).count() == 2


def test_posting_the_same_readings_again_stores_nothing_twice(device):
    post("sg-01", device.token, READINGS)
    again = post("sg-01", device.token, READINGS)
    assert again.status_code == 200
    assert again.json() == {"stored": 0, "duplicates": 2}
    single = post("sg-01", device.token, {"time": "2025-04-01T01:00:00Z", "temperature": 18.5})
    assert single.json() == {"stored": 0, "duplicates": 1}  # 08:00+07:00 is 01:00 UTC
    assert SensorReading.objects.count() == 2


@pytest.mark.parametrize("device_id, token", [("sg-01", "wrong"), ("sg-99", "anything"), ("sg-01", "")])
def test_an_unknown_device_or_wrong_token_is_refused(device, device_id, token):
    response = post(device_id, token, READINGS)
    assert response.status_code in (401, 403)
    assert "Thiết bị" in response.json()["detail"]
    assert SensorReading.objects.count() == 0


def test_a_revoked_device_is_refused(device):
    with acting_as(None, source="test"):
        services.revoke_device(device, actor=None)
    assert post("sg-01", device.token, READINGS).status_code in (401, 403)
    assert SensorReading.objects.count() == 0


@pytest.mark.parametrize(
    "payload",
    [
        {"readings": [{"time": "yesterday", "temperature": 20}]},
        {"readings": [{"time": "2025-04-01T08:00:00+07:00", "humidity": 140}]},
        {"readings": []},
        {"readings": [{"time": "2025-04-01T08:00:00+07:00", "temperature": 20}, {"temperature": "hot"}]},
        ["not", "an", "object"],
    ],
)
def test_hostile_readings_are_refused_and_nothing_is_stored(device, payload):
    response = post("sg-01", device.token, payload)
    assert 400 <= response.status_code < 500
    assert SensorReading.objects.count() == 0


def test_a_garbage_body_is_a_400(device):
    response = api_client().post(
        URL.format("sg-01"), b"{not json", content_type="application/json", HTTP_AUTHORIZATION=f"Device {device.token}"
    )
    assert response.status_code == 400
