"""The bridge's publishing turn alone: an emergency on the air at every village's cluster, every cluster in the
outbox, one `Bridge.publish_outbox()` (claim the outbox rows, bump the versions, read the items, serialize the
playlists, mark the items sent, hand the bodies to a stand-in for paho). What bench/radio_bridge.py measures
with the broadcast around it, and bench/radio_fanout.py with the network.

Run: python -m bench.radio_outbox   [CLUSTERS=1356 RUNS=9]
"""

import datetime
import os
import statistics
import time

from .common import count_queries, setup_django

CLUSTERS = int(os.environ.get("CLUSTERS", "1356"))
RUNS = int(os.environ.get("RUNS", "9"))


class NoNetwork:
    """Stands in for paho: what is measured is the database work and the JSON, not the socket."""

    sent = 0

    def publish(self, topic, body, qos, retain):
        self.sent += 1


def main() -> None:
    url = setup_django("bench_radio_outbox")
    from django.db import connection
    from django.utils import timezone

    from tinhso.radio import services
    from tinhso.radio.bridge import Bridge
    from tinhso.radio.models import SpeakerCluster
    from tinhso.units.testing import build_unit_tree

    tree = build_unit_tree()
    SpeakerCluster.objects.bulk_create(
        SpeakerCluster(
            name=f"Cụm loa {i}", unit=tree.new_khe_dua, device_id=f"c-{i:06d}", mosquitto_hash="-", password_hash="-"
        )
        for i in range(CLUSTERS)
    )
    bulletin = services.create_bulletin(
        actor=None,
        unit=tree.new_xuan_ai,
        title="Cảnh báo lũ quét",
        kind="relay",
        level="emergency",
        stream_url="http://radio.example.vn/canh-bao",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
        targets=[tree.new_xuan_ai],
    )
    services.broadcast(bulletin, actor=None)
    bridge = Bridge("mqtt://127.0.0.1:1")
    bridge.client = NoNetwork()
    bridge.publish_outbox()  # the broadcast's own turn (warms the connection and caches)
    ids = list(SpeakerCluster.objects.values_list("pk", flat=True))

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"database: {url.split(':')[0]}; {CLUSTERS} clusters, one emergency item each; load average {load}")
    turns(bridge, services, ids, "tables just filled (no statistics yet)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        turns(bridge, services, ids, "after ANALYZE (as autovacuum leaves them)")


def turns(bridge, services, ids, label) -> None:
    times, queries = [], []
    for _ in range(RUNS):
        services.enqueue_playlists(ids)  # what a resync or a cancel asks for: every cluster again
        started = time.perf_counter()
        published = bridge.publish_outbox()
        times.append((time.perf_counter() - started) * 1000)
        assert published == CLUSTERS, published
        services.enqueue_playlists(ids)
        queries.append(count_queries(bridge.publish_outbox))
    print(
        f"publishing turn, {label}: median {statistics.median(times):.0f} ms, min {min(times):.0f}, "
        f"max {max(times):.0f} ({RUNS} runs); {max(queries)} queries per turn"
    )


if __name__ == "__main__":
    main()
