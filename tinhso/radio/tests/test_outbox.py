"""The bridge's publishing turn: what an emergency to every village costs it, and what it hands to MQTT."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tinhso.radio import services
from tinhso.radio.bridge import Bridge
from tinhso.radio.models import PlaylistOutbox, SpeakerCluster
from tinhso.radio.playlist import dumps, playlist_for


class Recorder:
    """Stands in for paho: keeps what the bridge publishes."""

    def __init__(self, fail=False):
        self.fail, self.sent = fail, []

    def publish(self, topic, body, qos, retain):
        if self.fail:
            raise OSError("broker gone")
        self.sent.append((topic, body))


def bridge(client):
    found = Bridge("mqtt://127.0.0.1:1")
    found.client = client
    return found


def add_clusters(radio, number, prefix):
    SpeakerCluster.objects.bulk_create(
        SpeakerCluster(
            name=f"Cụm loa {prefix} {i}",
            unit=radio.tree.new_khe_dua,
            device_id=f"{prefix}-{i:04d}",
            mosquitto_hash="-",
            password_hash="-",
        )
        for i in range(number)
    )


def emergency(radio):
    bulletin = services.create_bulletin(
        actor=radio.officer,
        title="Cảnh báo lũ quét",
        kind="relay",
        level="emergency",
        stream_url="http://radio.example.vn/canh-bao",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
        targets=[radio.tree.new_xuan_ai],
    )
    services.broadcast(bulletin, actor=radio.officer)
    return bulletin


def turn(radio):
    """An emergency to every cluster of the commune, then the bridge's turn: its queries and what it sent."""
    emergency(radio)
    client = Recorder()
    with CaptureQueriesContext(connection) as queries:
        bridge(client).publish_outbox()
    return [query["sql"] for query in queries.captured_queries], client.sent


@pytest.mark.django_db
def test_a_publishing_turn_costs_the_same_queries_for_10_and_50_clusters(radio):
    add_clusters(radio, 7, "ten")  # with the 3 clusters of Xuân Ái: 10
    small, sent_small = turn(radio)
    add_clusters(radio, 40, "fifty")
    large, sent_large = turn(radio)
    assert (len(sent_small), len(sent_large)) == (10, 50)
    assert len(large) == len(small)
    # No query lists the clusters one by one: 50 clusters' SQL is as long as 10's (the timestamps may differ
    # by a digit or two), where five IN lists of 40 more ids each made it hundreds of characters longer.
    assert abs(sum(map(len, large)) - sum(map(len, small))) < 40


@pytest.mark.django_db
def test_the_published_playlists_are_the_protocol_payloads_byte_for_byte(radio):
    add_clusters(radio, 5, "more")
    emergency(radio)
    services.enqueue_playlists([radio.khanh_hoa.pk])  # outside the commune: an empty playlist
    client = Recorder()
    bridge(client).publish_outbox()
    assert len(client.sent) == 9
    for topic, body in client.sent:
        cluster = SpeakerCluster.objects.get(device_id=topic.split("/")[-2])
        expected = playlist_for(cluster, timezone.datetime.fromisoformat(json.loads(body)["sent_at"]))
        assert body == dumps(expected)
        assert len(expected["items"]) == (0 if cluster.pk == radio.khanh_hoa.pk else 1)
    assert not PlaylistOutbox.objects.filter(published_at__isnull=True).exists()


@pytest.mark.django_db
def test_playlists_that_did_not_reach_the_broker_go_out_on_the_next_turn(radio):
    emergency(radio)
    with pytest.raises(OSError):
        bridge(Recorder(fail=True)).publish_outbox()
    assert PlaylistOutbox.objects.filter(published_at__isnull=True).count() == 3
    client = Recorder()
    bridge(client).publish_outbox()
    assert len(client.sent) == 3
    assert not PlaylistOutbox.objects.filter(published_at__isnull=True).exists()
