"""The radio bridge: the only server process holding an MQTT connection.

It publishes each cluster's playlist (retained, QoS 1, rising version) when the outbox asks for it, and
turns what devices send (status, events, the broker's last will) into service calls. Everything that
touches the database runs in the bridge's own loop thread; paho's network thread only queues messages.
"""

import datetime
import json
import logging
import queue
import threading
import time
from urllib.parse import urlparse

import paho.mqtt.client as mqtt
from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from tinhso.core import health

from . import services, topics
from .models import PlaylistOutbox, SpeakerCluster

logger = logging.getLogger(__name__)

POLL_INTERVAL = 0.1
# Device reports are stored in slices of at most this long, so that an outbox row (a cancel) never waits
# behind the thousands of reports an emergency to every village brings back.
INCOMING_BUDGET = 0.2
CHECK_INTERVAL = 5.0
BATCH = 2000  # an emergency to every village of a province goes out in one turn
KEEP_PUBLISHED = 3600  # seconds an outbox row stays after publishing, for diagnosis
HEARTBEAT_INTERVAL = 5.0
HEARTBEAT_LIMIT = 20  # /healthz/ fails when the bridge has not beaten for this long (so within 30 s)


class Bridge:
    def __init__(self, url: str | None = None, *, username=None, password=None, client_id="tinhso-bridge"):
        self.url = urlparse(url or settings.MQTT_URL)
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False)
        self.client.username_pw_set(username or topics.bridge_user(), password or topics.bridge_password())
        if self.url.scheme == "mqtts":
            self.client.tls_set()
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.client.reconnect_delay_set(min_delay=1, max_delay=10)
        self.incoming: queue.Queue = queue.Queue()
        self.connected = threading.Event()
        self.resync_wanted = False
        self.last_check = 0.0
        self.last_beat = 0.0
        self.silent: set[int] = set()

    # --- paho's thread: only flags and a queue ---------------------------------------------

    def _on_connect(self, client, userdata, flags, reason_code, properties):
        if reason_code.is_failure:
            logger.error("broker refused the bridge: %s", reason_code)
            return
        client.subscribe([(topics.STATUS_FILTER, 1), (topics.EVENTS_FILTER, 1)])
        # A restarted broker may have lost the retained playlists: publish every cluster's again.
        self.resync_wanted = True
        self.connected.set()
        logger.info("bridge connected to %s", self.url.netloc)

    def _on_disconnect(self, client, userdata, flags, reason_code, properties):
        self.connected.clear()
        logger.warning("bridge disconnected (%s); paho reconnects", reason_code)

    def _on_message(self, client, userdata, message):
        self.incoming.put((message.topic, message.payload))

    # --- the loop thread -------------------------------------------------------------------

    def start(self) -> None:
        self.client.connect_async(self.url.hostname or "127.0.0.1", self.url.port or 1883, keepalive=30)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def run(self, stop: threading.Event) -> None:
        self.start()
        try:
            while not stop.is_set():
                try:
                    self.step()
                except Exception:  # a database hiccup must not leave every cluster without its playlist
                    logger.exception("bridge step failed; retrying")
                    stop.wait(1.0)
                stop.wait(POLL_INTERVAL)
        finally:
            self.stop()
            connection.close()  # this thread's own connection

    def step(self) -> None:
        """One turn: store what devices said, publish what changed, and now and then check the clock."""
        close_old_connections()
        self.beat()
        if self.connected.is_set():
            if self.resync_wanted:
                self.resync_wanted = False
                services.enqueue_playlists(SpeakerCluster.objects.values_list("pk", flat=True))
            self.publish_outbox()
        self.handle_incoming()
        if time.monotonic() - self.last_check >= CHECK_INTERVAL:
            self.last_check = time.monotonic()
            self.periodic_check()

    def beat(self) -> None:
        """Tell /healthz/ the bridge is alive and connected, at most every few seconds."""
        if self.connected.is_set() and time.monotonic() - self.last_beat >= HEARTBEAT_INTERVAL:
            self.last_beat = time.monotonic()
            health.beat("bridge")

    def handle_incoming(self, budget: float = INCOMING_BUDGET) -> None:
        """Store queued reports for up to `budget` seconds, in one transaction (a commit per report
        was most of the cost); each report has its own savepoint, so a bad one loses only itself."""
        deadline = time.monotonic() + budget
        with transaction.atomic():
            while time.monotonic() < deadline:
                try:
                    topic, payload = self.incoming.get_nowait()
                except queue.Empty:
                    return
                self.handle(topic, payload)

    def handle(self, topic: str, payload: bytes) -> None:
        parsed = topics.parse_device_topic(topic)
        if parsed is None or not payload:
            return
        device_id, kind = parsed
        try:
            data = json.loads(payload)
        except ValueError:
            logger.warning("unreadable %s from %s", kind, device_id)
            return
        if not isinstance(data, dict):
            return
        try:
            with transaction.atomic():
                if kind == "status":
                    services.record_status(device_id, data)
                elif kind == "events":
                    services.record_event(device_id, data)
        except Exception:  # one bad report must not stop the bridge for every other cluster
            logger.exception("could not store %s of %s", kind, device_id)

    def publish_outbox(self) -> int:
        rows = list(PlaylistOutbox.objects.filter(published_at__isnull=True).order_by("id")[:BATCH])
        if not rows:
            return 0
        now = timezone.now()
        for cluster, payload in services.next_playlists([row.cluster_id for row in rows], now):
            body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
            self.client.publish(topics.playlist_topic(cluster.device_id), body, qos=1, retain=True)
        PlaylistOutbox.objects.filter(pk__in=[row.pk for row in rows]).update(published_at=now)
        return len(rows)

    def periodic_check(self) -> None:
        now = timezone.now()
        services.advance(now)
        silent = {cluster.pk: cluster for cluster in services.silent_clusters(now)}
        for pk in silent.keys() - self.silent:
            logger.warning("cluster %s (%s) is silent", silent[pk], silent[pk].device_id)
        self.silent = set(silent)
        cutoff = now - datetime.timedelta(seconds=KEEP_PUBLISHED)
        PlaylistOutbox.objects.filter(published_at__lt=cutoff).delete()
