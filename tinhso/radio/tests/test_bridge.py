"""The bridge against real brokers: playlists reach devices retained, cancels republish, reports come back,
and the ACL keeps each device to its own topics."""

import datetime
import json
import queue
import threading
import time
from urllib.parse import urlparse

import paho.mqtt.client as mqtt
import pytest
from django.db import connection
from django.utils import timezone

from tinhso.radio import services, topics
from tinhso.radio.bridge import Bridge
from tinhso.radio.models import SpeakerCluster

from .brokers import embedded_broker, mosquitto

pytestmark = pytest.mark.django_db(transaction=True)
WAIT = 20.0  # generous: a slow CI machine, not a speed requirement


class Device:
    """A test stand-in for a speaker agent: subscribes to its playlist, publishes status with a last will."""

    def __init__(self, url, device_id, password, *, will=True):
        self.device_id = device_id
        self.messages: queue.Queue = queue.Queue()
        self.granted: queue.Queue = queue.Queue()
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=device_id)
        self.client.username_pw_set(device_id, password)
        if will:
            self.client.will_set(self.topic("status"), json.dumps({"online": False}), qos=1, retain=True)
        self.topics: list[str] = []  # every topic a message arrived on, in order
        self.client.on_message = lambda client, userdata, message: (
            self.topics.append(message.topic),
            self.messages.put(message),
        )
        self.client.on_subscribe = lambda client, userdata, mid, codes, properties: self.granted.put(codes)
        self.answered = threading.Event()
        self.refused = False
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        parsed = urlparse(url)
        self.client.connect(parsed.hostname, parsed.port, keepalive=30)
        self.client.loop_start()
        assert self.answered.wait(WAIT) and not self.refused, "the device could not log in"

    def _on_disconnect(self, *args):
        if not self.answered.is_set():  # a broker may close the socket instead of answering
            self.refused = True
            self.answered.set()

    def _on_connect(self, client, userdata, flags, code, properties):
        self.refused = code.is_failure
        self.answered.set()

    def topic(self, kind, device_id=None):
        return f"tinhso/v1/devices/{device_id or self.device_id}/{kind}"

    def subscribe(self, topic):
        self.client.subscribe(topic, qos=1)
        return self.granted.get(timeout=WAIT)

    def next_playlist(self, topic=None):
        found = []

        def arrived():
            while not self.messages.empty():
                message = self.messages.get()
                if message.topic == (topic or self.topic("playlist")):
                    found.append(json.loads(message.payload))
                    return True
            return False

        assert until(arrived), "no playlist arrived"
        return found[0]

    def send_status(self, **status):
        self.client.publish(self.topic("status"), json.dumps({"online": True, **status}), qos=1, retain=True)

    def close_refused(self):
        self.client.loop_stop()

    def drop_connection(self):
        """The network goes away: no DISCONNECT, so the broker publishes the last will."""
        self.client.socket().close()
        self.client.loop_stop()

    def close(self):
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture(params=["mosquitto", "amqtt"])
def broker(request, radio, tmp_path):
    with mosquitto(tmp_path) if request.param == "mosquitto" else embedded_broker() as url:
        yield url


PUMPS: list = []


@pytest.fixture
def bridge(broker):
    """The bridge in its own thread, as in production. SQLite's shared in-memory test database locks across
    threads, so there the test thread turns the bridge's loop itself (paho still runs its network thread)."""
    running = Bridge(broker, client_id="tinhso-bridge-test")
    if connection.vendor == "sqlite":
        running.start()
        PUMPS.append(running.step)
        assert running.connected.wait(WAIT), "the bridge could not log in"
        yield running
        PUMPS.clear()
        running.stop()
        return
    stop = threading.Event()
    thread = threading.Thread(target=running.run, args=(stop,), daemon=True)
    thread.start()
    assert running.connected.wait(WAIT), "the bridge could not log in"
    yield running
    stop.set()
    thread.join(WAIT)


def until(condition):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        for pump in PUMPS:
            pump()
        if condition():
            return True
        time.sleep(0.05)
    return False


def relay(radio):
    return services.create_bulletin(
        actor=radio.officer,
        title="Tiếp sóng VOV1",
        kind="relay",
        stream_url="http://radio.example.vn/vov1",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
        targets=[radio.tree.new_khe_dua],
    )


def test_a_broadcast_reaches_the_device_as_the_retained_playlist_and_a_cancel_removes_it(radio, broker, bridge):
    bulletin = relay(radio)
    services.broadcast(bulletin, actor=radio.officer)
    cluster = radio.khe_dua_1
    assert until(lambda: SpeakerCluster.objects.get(pk=cluster.pk).playlist_version >= 1)
    device = Device(broker, cluster.device_id, cluster.password)  # connects after the publish: retained
    device.subscribe(device.topic("playlist"))
    playlist = device.next_playlist()
    while not playlist["items"]:  # the bridge's start-up resync may have come first
        playlist = device.next_playlist()
    assert [item["bulletin"] for item in playlist["items"]] == [bulletin.pk]
    services.cancel(bulletin, actor=radio.officer)
    after = device.next_playlist()
    # The start-up resync and the broadcast may have gone out in two turns (the bridge wakes at each commit):
    # the device may get the broadcast's own publish before the cancel's. Never more than one such.
    if after["items"]:
        after = device.next_playlist()
    assert after["items"] == [] and after["version"] > playlist["version"]
    device.close()


def test_status_and_the_last_will_update_the_cluster(radio, broker, bridge):
    cluster = radio.khe_dua_2
    device = Device(broker, cluster.device_id, cluster.password)
    device.send_status(agent_version="0.9", volume=65, keepalive=30, playing=None)
    assert until(lambda: SpeakerCluster.objects.get(pk=cluster.pk).status == "online")
    assert SpeakerCluster.objects.get(pk=cluster.pk).agent_version == "0.9"
    device.drop_connection()
    assert until(lambda: SpeakerCluster.objects.get(pk=cluster.pk).status == "offline")


def test_a_device_cannot_read_or_write_another_devices_topics(radio, broker, bridge):
    mine, other = radio.khe_dua_1, radio.xuan_ai_centre
    services.broadcast(relay(radio), actor=radio.officer)
    device = Device(broker, mine.device_id, mine.password)
    device.subscribe(device.topic("playlist", other.device_id))  # Mosquitto grants it, then delivers nothing
    device.subscribe(device.topic("playlist"))
    device.client.publish(device.topic("status", other.device_id), json.dumps({"online": True}), qos=1)
    device.send_status(agent_version="mine")
    assert until(lambda: SpeakerCluster.objects.get(pk=mine.pk).agent_version == "mine")
    own = device.next_playlist()
    assert own is not None
    assert SpeakerCluster.objects.get(pk=other.pk).is_online is False
    received = []
    while not device.messages.empty():
        received.append(device.messages.get().topic)
    assert device.topic("playlist", other.device_id) not in received
    device.close()


def test_a_device_that_logs_in_receives_no_other_devices_retained_messages(radio, broker, bridge):
    """Other clusters' retained status (ids, online state) and playlists stay with the bridge: a device that
    connects while the bridge subscribes to everything receives its own playlist and nothing else."""
    mine, other = radio.khe_dua_1, radio.xuan_ai_centre
    neighbour = Device(broker, other.device_id, other.password)
    neighbour.send_status(agent_version="0.9", volume=40, keepalive=30, playing=None)
    assert until(lambda: SpeakerCluster.objects.get(pk=other.pk).status == "online")
    services.broadcast(relay(radio), actor=radio.officer)  # retained playlists for both Khe Dứa clusters
    assert until(lambda: SpeakerCluster.objects.get(pk=mine.pk).playlist_version >= 1)
    device = Device(broker, mine.device_id, mine.password)
    device.subscribe(device.topic("playlist"))
    device.next_playlist()  # what came before it on this connection is all the device was given
    assert set(device.topics) == {device.topic("playlist")}
    device.close()
    neighbour.close()


def test_wrong_credentials_are_refused(radio, broker):
    with pytest.raises(AssertionError, match="could not log in"):
        Device(broker, radio.khe_dua_1.device_id, "not-the-password")


def test_the_acl_gives_the_bridge_everything_and_a_device_its_own_topics():
    bridge = topics.bridge_user()
    assert topics.may_use(bridge, "tinhso/v1/#", "subscribe")
    assert topics.may_use("c-1", "tinhso/v1/devices/c-1/playlist", "subscribe")
    assert not topics.may_use("c-1", "tinhso/v1/devices/c-2/playlist", "subscribe")
    assert not topics.may_use("c-1", "tinhso/v1/devices/+/playlist", "subscribe")
    assert topics.may_use("c-1", "tinhso/v1/devices/c-1/events", "publish")
    assert not topics.may_use("c-1", "tinhso/v1/devices/c-1/playlist", "publish")


def test_reports_pending_when_the_bridge_stops_are_stored_after_its_restart_and_only_once(request, radio, broker):
    """A report is acknowledged only once stored: what the bridge had received but not stored when it
    stopped, the broker sends again to the restarted bridge (same persistent session), and a report sent
    twice is logged once. Both bridges are turned by the test thread, on every database."""
    from tinhso.radio.models import Delivery, PlayEvent

    if "amqtt" in request.node.name:
        request.applymarker(
            pytest.mark.xfail(
                strict=True,
                reason="amqtt does not send a persistent session's unacknowledged QoS 1 messages again on "
                "reconnection (Mosquitto does): with the embedded broker a bridge restart can still lose reports",
            )
        )

    bulletin = relay(radio)
    services.broadcast(bulletin, actor=radio.officer)
    cluster = radio.khe_dua_1
    item = Delivery.objects.get(bulletin=bulletin, cluster=cluster).item
    first = Bridge(broker, client_id="tinhso-bridge-restart")
    first.start()
    assert first.connected.wait(WAIT), "the bridge could not log in"
    device = Device(broker, cluster.device_id, cluster.password)
    start = timezone.now().replace(microsecond=0)
    reports = [
        {
            "event": "play",
            "item": item,
            "bulletin": bulletin.pk,
            "repetition": i,
            "at": (start + datetime.timedelta(seconds=i)).isoformat(),
        }
        for i in range(1, 41)
    ]
    for report in reports:
        device.client.publish(device.topic("events"), json.dumps(report), qos=1)
    device.client.publish(device.topic("events"), json.dumps(reports[0]), qos=1)  # sent again
    # Mosquitto sends at most max_inflight_messages (20) unacknowledged reports; the rest wait at the broker.
    assert until(lambda: first.incoming.qsize() >= 10), "the bridge did not receive the reports"
    first.stop()  # received, never stored: nothing acknowledged
    assert PlayEvent.objects.filter(cluster=cluster).count() == 0

    second = Bridge(broker, client_id="tinhso-bridge-restart")
    second.start()
    PUMPS.append(second.step)
    try:
        assert until(lambda: PlayEvent.objects.filter(cluster=cluster).count() >= len(reports))
        second.step()  # anything still queued
        logged = PlayEvent.objects.filter(cluster=cluster, event="play")
        assert sorted(logged.values_list("repetition", flat=True)) == list(range(1, 41))
        assert Delivery.objects.get(bulletin=bulletin, cluster=cluster).plays == len(reports)
    finally:
        PUMPS.clear()
        second.stop()
        device.close()
