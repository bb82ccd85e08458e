"""On PostgreSQL the bridge publishes a broadcast's playlists as soon as its transaction commits (NOTIFY),
not at its next look at the outbox: an emergency does not wait for the poll."""

import threading
import time

import pytest
from django.db import connection

from tinhso.radio import bridge as bridge_module
from tinhso.radio.models import PlaylistOutbox

pytestmark = pytest.mark.django_db(transaction=True)


class QuietBroker:
    """Stands in for paho: no network; keeps what the bridge publishes, with the time it did."""

    def __init__(self):
        self.sent: list[tuple[str, float]] = []

    def publish(self, topic, body, qos, retain):
        self.sent.append((topic, time.monotonic()))

    def connect_async(self, *args, **kwargs):
        pass

    def loop_start(self):
        pass

    def loop_stop(self):
        pass

    def disconnect(self):
        pass


def test_a_committed_broadcast_wakes_the_bridge_at_once_whatever_its_poll(radio, broadcast_emergency, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY: PostgreSQL only (on SQLite the bridge polls)")
    monkeypatch.setattr(bridge_module, "POLL_INTERVAL", 30.0)
    running = bridge_module.Bridge("mqtt://127.0.0.1:1")
    running.client = QuietBroker()
    running.connected.set()
    stop = threading.Event()
    loop = threading.Thread(target=running.run, args=(stop,))
    loop.start()
    try:
        assert running.listener.listening.wait(10), "the bridge is not listening for the outbox"
        time.sleep(0.3)  # the wake-up of LISTEN itself has been handled: the bridge now waits for 30 s
        committed = time.monotonic()
        broadcast_emergency(radio.officer, radio.tree.new_xuan_ai)
        deadline = committed + 10
        while len(running.client.sent) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert len(running.client.sent) == 3
        assert running.client.sent[-1][1] - committed < 2.0
        assert not PlaylistOutbox.objects.filter(published_at__isnull=True).exists()
    finally:
        stop.set()
        running.arrived.set()
        loop.join(10)
