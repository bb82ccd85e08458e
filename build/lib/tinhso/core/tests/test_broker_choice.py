import socket

import pytest

from tinhso.core.management.commands import mqtt_url


@pytest.fixture
def held_port():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_make_run_uses_mqtt_url_when_it_is_set(monkeypatch):
    monkeypatch.setenv("MQTT_URL", "mqtt://broker.tinh.vn:1883")
    monkeypatch.delenv("MQTT_EMBEDDED", raising=False)
    assert mqtt_url.choose_broker() == ("mqtt://broker.tinh.vn:1883", False)


def test_the_embedded_broker_takes_the_standard_port_when_it_is_free(monkeypatch):
    monkeypatch.delenv("MQTT_URL", raising=False)
    port = mqtt_url.free_port("127.0.0.1")
    monkeypatch.setattr(mqtt_url, "DEFAULT_PORT", port)
    assert mqtt_url.choose_broker() == (f"mqtt://127.0.0.1:{port}", True)


def test_the_embedded_broker_moves_to_a_free_port_when_the_standard_one_is_taken(monkeypatch, held_port):
    monkeypatch.delenv("MQTT_URL", raising=False)
    monkeypatch.setattr(mqtt_url, "DEFAULT_PORT", held_port)
    url, embedded = mqtt_url.choose_broker()
    chosen = int(url.rsplit(":", 1)[1])
    assert embedded and chosen != held_port
    assert mqtt_url.port_is_free("127.0.0.1", chosen)
