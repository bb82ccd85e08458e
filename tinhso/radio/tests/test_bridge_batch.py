"""The bridge stores a batch of device reports (status and play events alike) in one transaction with a
handful of queries, whatever the number of clusters, and acknowledges them to the broker only after it."""

import json

import pytest
from django.utils import timezone

from tinhso.core.models import Message
from tinhso.radio import services
from tinhso.radio.models import Delivery, PlayEvent, SpeakerCluster

CLUSTERS = 60


@pytest.fixture
def many_clusters(add_clusters):
    return add_clusters(CLUSTERS, "batch")


def receive(bridge, reports):
    """The broker hands the bridge these (device, kind, payload) reports, with message ids 1, 2, ..."""
    for mid, (device_id, kind, payload) in enumerate(reports, start=1):
        bridge.incoming.put((f"tinhso/v1/devices/{device_id}/{kind}", json.dumps(payload).encode(), mid, 1))


def emergency(radio, broadcast_emergency):
    return broadcast_emergency(radio.admin, radio.tree.lao_cai)


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
    radio, many_clusters, bridge, broadcast_emergency, django_assert_max_num_queries
):
    bulletin = emergency(radio, broadcast_emergency)
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


def test_in_a_batch_a_cluster_that_went_away_is_told_and_one_back_gets_what_fell_due(
    radio, bridge, broadcast_emergency, settings
):
    settings.NOTIFY_QUIET_HOURS = ""
    leaving, returning = radio.xuan_ai_centre, radio.khe_dua_1
    services.record_status(leaving.device_id, {"online": True})
    bulletin = emergency(radio, broadcast_emergency)
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
