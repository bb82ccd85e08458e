"""The bridge's publishing turn: what an emergency to every village costs it, and what it hands to MQTT."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tinhso.radio import services
from tinhso.radio.models import PlaylistOutbox, SpeakerCluster
from tinhso.radio.playlist import dumps, playlist_for


def turn(radio, make_bridge, broadcast_emergency):
    """An emergency to every cluster of the commune, then the bridge's turn: its queries and what it sent."""
    broadcast_emergency(radio.officer, radio.tree.new_xuan_ai)
    bridge = make_bridge()
    with CaptureQueriesContext(connection) as queries:
        bridge.publish_outbox()
    return [query["sql"] for query in queries.captured_queries], bridge.client.sent


@pytest.mark.django_db
def test_a_publishing_turn_costs_the_same_queries_for_10_and_50_clusters(
    radio, add_clusters, make_bridge, broadcast_emergency
):
    add_clusters(7, "ten")  # with the 3 clusters of Xuân Ái: 10
    small, sent_small = turn(radio, make_bridge, broadcast_emergency)
    add_clusters(40, "fifty")
    large, sent_large = turn(radio, make_bridge, broadcast_emergency)
    assert (len(sent_small), len(sent_large)) == (10, 50)
    assert len(large) == len(small)
    # No query lists the clusters one by one: 50 clusters' SQL is as long as 10's (the timestamps may differ
    # by a digit or two), where five IN lists of 40 more ids each made it hundreds of characters longer.
    assert abs(sum(map(len, large)) - sum(map(len, small))) < 40


@pytest.mark.django_db
def test_the_published_playlists_are_the_protocol_payloads_byte_for_byte(
    radio, add_clusters, bridge, broadcast_emergency
):
    add_clusters(5, "more")
    broadcast_emergency(radio.officer, radio.tree.new_xuan_ai)
    services.enqueue_playlists([radio.khanh_hoa.pk])  # outside the commune: an empty playlist
    bridge.publish_outbox()
    assert len(bridge.client.sent) == 9
    for topic, body in bridge.client.sent:
        cluster = SpeakerCluster.objects.get(device_id=topic.split("/")[-2])
        expected = playlist_for(cluster, timezone.datetime.fromisoformat(json.loads(body)["sent_at"]))
        assert body == dumps(expected)
        assert len(expected["items"]) == (0 if cluster.pk == radio.khanh_hoa.pk else 1)
    assert not PlaylistOutbox.objects.filter(published_at__isnull=True).exists()


@pytest.mark.django_db
def test_playlists_that_did_not_reach_the_broker_go_out_on_the_next_turn(radio, make_bridge, broadcast_emergency):
    broadcast_emergency(radio.officer, radio.tree.new_xuan_ai)
    with pytest.raises(OSError):
        make_bridge(fail=True).publish_outbox()
    assert PlaylistOutbox.objects.filter(published_at__isnull=True).count() == 3
    bridge = make_bridge()
    bridge.publish_outbox()
    assert len(bridge.client.sent) == 3
    assert not PlaylistOutbox.objects.filter(published_at__isnull=True).exists()
