"""The bridge stores a batch of device reports (status and play events alike) in one transaction with a
handful of queries, whatever the number of clusters, and acknowledges them to the broker only after it."""

import datetime
import json

import pytest
from django.utils import timezone

from tinhso.core.models import Message
from tinhso.radio import services
from tinhso.radio.bridge import Bridge
from tinhso.radio.models import Delivery, PlayEvent, SpeakerCluster

CLUSTERS = 60


class RecordingBroker:
    """Stands in for paho: the test sees what the bridge acknowledges and publishes."""

    def __init__(self):
        self.acked: list[int] = []

    def ack(self, mid, qos):
        self.acked.append(mid)

    def publish(self, topic, body, qos, retain):
        pass


@pytest.fixture
def bridge():
    running = Bridge("mqtt://127.0.0.1:1")
    running.client = RecordingBroker()
    return running


@pytest.fixture
def many_clusters(radio):
    return SpeakerCluster.objects.bulk_create(
        SpeakerCluster(
            name=f"Cụm loa {number}",
            unit=radio.tree.new_khe_dua,
            device_id=f"batch-{number:03d}",
            password_hash="-",
            mosquitto_hash="-",
        )
        for number in range(CLUSTERS)
    )


def receive(bridge, reports):
    """The broker hands the bridge these (device, kind, payload) reports, with message ids 1, 2, ..."""
    for mid, (device_id, kind, payload) in enumerate(reports, start=1):
        bridge.incoming.put((f"tinhso/v1/devices/{device_id}/{kind}", json.dumps(payload).encode(), mid, 1))


def emergency(radio):
    bulletin = services.create_bulletin(
        actor=radio.admin,
        title="Cảnh báo lũ quét",
        kind="relay",
        level="emergency",
        stream_url="http://radio.example.vn/canh-bao",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
        targets=[radio.tree.lao_cai],
    )
    services.broadcast(bulletin, actor=radio.admin)
    return bulletin


def test_every_cluster_coming_online_is_stored_in_a_few_queries_and_acknowledged(
    radio, many_clusters, bridge, django_assert_max_num_queries
):
    status = {"online": True, "agent_version": "1.4.0", "volume": 80, "keepalive": 30, "playing": None}
    receive(bridge, [(cluster.device_id, "status", status) for cluster in many_clusters])
    with django_assert_max_num_queries(12):
        assert bridge.handle_incoming() == CLUSTERS
    online = SpeakerCluster.objects.filter(device_id__startswith="batch-", is_online=True, agent_version="1.4.0")
    assert online.count() == CLUSTERS
    assert sorted(bridge.client.acked) == list(range(1, CLUSTERS + 1))


def test_an_emergency_s_plays_and_statuses_are_stored_together_in_a_few_queries(
    radio, many_clusters, bridge, django_assert_max_num_queries
):
    bulletin = emergency(radio)
    deliveries = list(Delivery.objects.filter(bulletin=bulletin).select_related("cluster"))
    at = timezone.now().isoformat()
    reports = []
    for delivery in deliveries:
        device_id = delivery.cluster.device_id
        playing = {"item": delivery.item, "bulletin": bulletin.pk, "level": "emergency"}
        reports.append((device_id, "events", {"event": "play", "item": delivery.item, "repetition": 1, "at": at}))
        reports.append((device_id, "status", {"online": True, "volume": 100, "playing": playing}))
    receive(bridge, reports)
    with django_assert_max_num_queries(25):
        bridge.handle_incoming()
    assert PlayEvent.objects.filter(bulletin=bulletin, event="play").count() == len(deliveries)
    shown = SpeakerCluster.objects.filter(pk__in=[d.cluster_id for d in deliveries]).values_list("playing", flat=True)
    assert {each["title"] for each in shown} == {"Cảnh báo lũ quét"}
    assert len(bridge.client.acked) == len(reports)


def test_in_a_batch_a_cluster_that_went_away_is_told_and_one_back_gets_what_fell_due(radio, bridge, settings):
    settings.NOTIFY_QUIET_HOURS = ""
    leaving, returning = radio.xuan_ai_centre, radio.khe_dua_1
    services.record_status(leaving.device_id, {"online": True})
    bulletin = emergency(radio)
    goodbye, hello = {"online": False}, {"online": True}
    receive(bridge, [(leaving.device_id, "status", goodbye), (returning.device_id, "status", hello)])
    bridge.handle_incoming()
    assert SpeakerCluster.objects.get(pk=leaving.pk).status == "offline"
    assert Message.objects.filter(kind="radio.cluster_offline", recipient=radio.officer).count() == 1
    caught_up = PlayEvent.objects.get(cluster=returning, event="delivered_on_reconnection")
    assert caught_up.bulletin == bulletin


def test_statuses_of_unknown_devices_are_acknowledged_and_change_nothing(radio, bridge):
    receive(bridge, [("nobody", "status", {"online": True}), (radio.khanh_hoa.device_id, "status", {"online": 1})])
    bridge.handle_incoming()
    assert SpeakerCluster.objects.get(pk=radio.khanh_hoa.pk).is_online
    assert sorted(bridge.client.acked) == [1, 2]
