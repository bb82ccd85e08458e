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
from django.db import (
    DEFAULT_DB_ALIAS,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    connections,
    transaction,
)
from django.utils import timezone

from tinhso.core import health

from . import services, topics
from .models import PlaylistOutbox, SpeakerCluster

logger = logging.getLogger(__name__)

POLL_INTERVAL = 0.1  # the outbox is looked at this often at least (on PostgreSQL NOTIFY wakes it at once)
LISTEN_RETRY = 5.0  # seconds before the outbox listener reconnects to PostgreSQL
# Device reports are stored in slices of at most this long, so that an outbox row (a cancel) never waits
# behind the thousands of reports an emergency to every village brings back.
INCOMING_BUDGET = 0.2
CHECK_INTERVAL = 5.0
# Reports stored in one transaction at most. Small enough that a batch takes about the budget on a busy
# machine (its locks on the bulletin and deliveries are what a cancel waits for, and the outbox is looked at
# between batches), large enough that the handful of queries per batch costs little (≥ 2,000 reports/s).
REPORT_BATCH = 500
BATCH = 2000  # an emergency to every village of a province goes out in one turn
KEEP_PUBLISHED = 3600  # seconds an outbox row stays after publishing, for diagnosis
HEARTBEAT_INTERVAL = 5.0
HEARTBEAT_LIMIT = 20  # /healthz/ fails when the bridge has not beaten for this long (so within 30 s)


class Bridge:
    def __init__(self, url: str | None = None, *, username=None, password=None, client_id="tinhso-bridge"):
        self.url = urlparse(url or settings.MQTT_URL)
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=False, manual_ack=True
        )
        # manual_ack: a report (QoS 1) is acknowledged to the broker only once it is stored. If the bridge
        # stops before that, the broker keeps it in the bridge's persistent session and sends it again.
        self.client.username_pw_set(username or topics.bridge_user(), password or topics.bridge_password())
        # An emergency is one playlist per cluster, all at once: paho's default of 20 QoS 1 messages awaiting
        # the broker's PUBACK would send 1,356 in 68 round trips, each waiting for paho's thread to get the
        # GIL back from the loop storing reports. Unlimited: the messages are held until acked either way.
        self.client.max_inflight_messages_set(0)
        if self.url.scheme == "mqtts":
            self.client.tls_set()
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.client.reconnect_delay_set(min_delay=1, max_delay=10)
        self.incoming: queue.Queue = queue.Queue()
        self.arrived = threading.Event()
        self.retry: list = []  # a batch the database could not take (it went away): stored first next turn
        self.connected = threading.Event()
        self.resync_wanted = False
        self.last_check = 0.0
        self.last_beat = 0.0
        self.silent: set[int] = set()
        self.listener = OutboxListener(self.arrived)

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
        self.incoming.put((message.topic, message.payload, message.mid, message.qos))
        self.arrived.set()

    # --- the loop thread -------------------------------------------------------------------

    def start(self) -> None:
        self.client.connect_async(self.url.hostname or "127.0.0.1", self.url.port or 1883, keepalive=30)
        self.client.loop_start()
        self.listener.start()

    def stop(self) -> None:
        self.listener.stop()
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
                # Wake as soon as a report arrives: the broker sends only a few unacknowledged reports at a
                # time (Mosquitto's max_inflight_messages), so an idle pause here would cap the rate. And as
                # soon as a transaction that wrote outbox rows commits (PostgreSQL's NOTIFY, OutboxListener).
                if self.incoming.empty() and not self.retry:
                    self.arrived.wait(POLL_INTERVAL)
                self.arrived.clear()
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

    def handle_incoming(self, budget: float = INCOMING_BUDGET) -> int:
        """Store queued reports in batches: every report of a batch (play events and statuses) in one
        transaction with a handful of queries, then acknowledge them to the broker. Returns how many were taken.

        Nothing is acknowledged before its transaction commits, so a bridge that stops or fails loses no
        report: the broker sends the unacknowledged ones again (the write is idempotent on a natural key).
        """
        deadline = time.monotonic() + budget
        taken = 0
        while time.monotonic() < deadline:
            batch, self.retry = self.retry, []
            while len(batch) < REPORT_BATCH:
                try:
                    batch.append(self.incoming.get_nowait())
                except queue.Empty:
                    break
            if not batch:
                break
            self.store(batch)
            taken += len(batch)
        return taken

    def store(self, batch) -> None:
        """One transaction for the whole batch: play events (services.record_events) and statuses
        (services.record_statuses), each a handful of queries whatever their number; then the acks."""
        reports: dict[str, list] = {"events": [], "status": []}
        for message in batch:
            report = self.parse(message[0], message[1])
            if report is not None and report[1] in reports:
                reports[report[1]].append(report)
        try:
            with transaction.atomic():
                services.record_events([(device_id, data) for device_id, _kind, data in reports["events"]])
                services.record_statuses([(device_id, data) for device_id, _kind, data in reports["status"]])
        except (OperationalError, InterfaceError):  # no database: keep the batch, unacknowledged, for later
            self.retry = batch
            raise
        except Exception:  # one bad report must not cost the others: store them one by one
            logger.exception("batch of %s reports failed; storing them one by one", len(batch))
            for report in reports["events"] + reports["status"]:
                self.handle_one(*report)
        for _topic, _payload, mid, qos in batch:
            if qos:
                self.client.ack(mid, qos)

    def parse(self, topic: str, payload: bytes):
        parsed = topics.parse_device_topic(topic)
        if parsed is None or not payload:
            return None
        device_id, kind = parsed
        try:
            data = json.loads(payload)
        except ValueError:
            logger.warning("unreadable %s from %s", kind, device_id)
            return None
        if not isinstance(data, dict):
            return None
        return device_id, kind, data

    def handle(self, topic: str, payload: bytes) -> None:
        report = self.parse(topic, payload)
        if report is not None:
            self.handle_one(*report)

    def handle_one(self, device_id: str, kind: str, data: dict) -> None:
        try:
            with transaction.atomic():
                if kind == "status":
                    services.record_status(device_id, data)
                elif kind == "events":
                    services.record_events([(device_id, data)])
        except Exception:  # one bad report must not stop the bridge for every other cluster
            logger.exception("could not store %s of %s", kind, device_id)

    def publish_outbox(self) -> int:
        """Publish the playlists the outbox asks for: one turn of a handful of queries however many clusters
        (services.publish_turn), each distinct playlist serialized once."""
        now = timezone.now()
        published = services.publish_turn(now, BATCH)
        try:
            for device_id, body in published:
                self.client.publish(topics.playlist_topic(device_id), body, qos=1, retain=True)
        except Exception:
            services.unclaim(now)
            raise
        return len(published)

    def periodic_check(self) -> None:
        now = timezone.now()
        services.advance(now)
        silent = {cluster.pk: cluster for cluster in services.silent_clusters(now)}
        for pk in silent.keys() - self.silent:
            logger.warning("cluster %s (%s) is silent", silent[pk], silent[pk].device_id)
        self.silent = set(silent)
        cutoff = now - datetime.timedelta(seconds=KEEP_PUBLISHED)
        PlaylistOutbox.objects.filter(published_at__lt=cutoff).delete()


class OutboxListener:
    """Wakes the bridge the moment a transaction that wrote playlist outbox rows commits: a thread of its own
    with its own PostgreSQL connection LISTENing on services.OUTBOX_CHANNEL (enqueue_playlists NOTIFYs it).

    Only a shortcut: the bridge still polls the outbox every POLL_INTERVAL, so nothing is lost while the
    connection is down (it reconnects) or on a database without NOTIFY (SQLite: no thread at all).
    """

    def __init__(self, wake: threading.Event):
        self.wake = wake
        self.listening = threading.Event()  # LISTEN is in place: every later commit wakes the bridge
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        if connection.vendor != "postgresql" or self.thread is not None:
            return
        self.thread = threading.Thread(target=self._run, name="radio-outbox-listener", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(2)

    def _run(self) -> None:
        while not self.stopping.is_set():
            try:
                self._listen()
            except Exception:  # the database went away: the poll carries on meanwhile
                logger.warning("outbox listener lost its connection; polling until it is back", exc_info=True)
            self.listening.clear()
            self.stopping.wait(LISTEN_RETRY)

    def _listen(self) -> None:
        import psycopg

        database = connections.create_connection(DEFAULT_DB_ALIAS)
        with psycopg.connect(**database.get_connection_params(), autocommit=True) as listening:
            listening.execute(f"LISTEN {services.OUTBOX_CHANNEL}")
            self.listening.set()
            self.wake.set()  # rows committed before LISTEN: look now
            while not self.stopping.is_set():
                for _notice in listening.notifies(timeout=1.0):
                    self.wake.set()
