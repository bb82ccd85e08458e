"""The server's half of an emergency fan-out: broadcast to every village's cluster, then the bridge's turn
that computes and hands to MQTT every playlist; and cancel, then the republish. The network half (broker to
1,356 agents) is bench/radio_fanout.py.

Run: python -m bench.radio_bridge   [CLUSTERS=1356]
"""

import datetime
import os
import time

from .common import measure, setup_django

CLUSTERS = int(os.environ.get("CLUSTERS", "1356"))


class NoNetwork:
    """Stands in for paho: what is measured is the database work and the JSON, not the socket."""

    def publish(self, topic, body, qos, retain):
        self.sent = getattr(self, "sent", 0) + 1


def main() -> None:
    url = setup_django("bench_radio_bridge")
    from django.utils import timezone

    from tinhso.radio import services
    from tinhso.radio.bridge import Bridge
    from tinhso.radio.models import SpeakerCluster
    from tinhso.units.testing import build_unit_tree

    tree = build_unit_tree()
    village = tree.new_khe_dua
    SpeakerCluster.objects.bulk_create(
        SpeakerCluster(name=f"Cụm loa {i}", unit=village, device_id=f"c-{i:06d}", mosquitto_hash="-", password_hash="-")
        for i in range(CLUSTERS)
    )
    bridge = Bridge("mqtt://127.0.0.1:1")
    bridge.client = NoNetwork()
    bulletins = []

    def broadcast():
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
        bulletins.append(bulletin)
        bridge.publish_outbox()

    def cancel():
        services.cancel(bulletins.pop(), actor=None)
        bridge.publish_outbox()

    print(f"database: {url.split(':')[0]}; {CLUSTERS} speaker clusters, one emergency each run")
    figures = {"broadcast + publish": [], "cancel + republish": []}
    for _ in range(5):
        figures["broadcast + publish"].append(measure(broadcast, runs=1, warmup=0)["median_ms"])
        figures["cancel + republish"].append(measure(cancel, runs=1, warmup=0)["median_ms"])
    for name, times in figures.items():
        ordered = sorted(times)
        print(f"{name}: median {ordered[len(ordered) // 2]:.0f} ms, max {ordered[-1]:.0f} ms (5 runs)")
    print(f"playlists handed to MQTT: {bridge.client.sent}")
    reports_per_second(bridge, services, timezone, tree.new_xuan_ai)


def reports_per_second(bridge, services, timezone, unit) -> None:
    """The bridge storing every cluster's play and stop of one emergency, each with its status: reports/s
    through its batch path (parse, one transaction per batch, play log, deliveries, clusters), as MQTT
    hands them over."""
    import json

    from tinhso.radio.models import Delivery, PlayEvent, SpeakerCluster

    bridge.client.ack = lambda mid, qos: None
    rates = []
    for run in range(3):
        bulletin = services.create_bulletin(
            actor=None,
            unit=unit,
            title=f"Cảnh báo {run}",
            kind="relay",
            level="emergency",
            stream_url="http://radio.example.vn/canh-bao",
            expires_at=timezone.now() + datetime.timedelta(hours=1),
            targets=[unit],
        )
        services.broadcast(bulletin, actor=None)
        bridge.publish_outbox()
        at = timezone.now().isoformat()
        rows = Delivery.objects.filter(bulletin=bulletin).values_list("cluster__device_id", "item")
        for event in ("play", "stop"):
            for device_id, item in rows:
                body = {"event": event, "item": item, "bulletin": bulletin.pk, "repetition": 1, "at": at}
                if event == "stop":
                    body["reason"] = "finished"
                bridge.incoming.put((f"tinhso/v1/devices/{device_id}/events", json.dumps(body).encode(), 1, 1))
                # and the status the agent sends with each play and stop (what it plays now)
                playing = {"item": item, "bulletin": bulletin.pk, "level": "emergency"} if event == "play" else None
                status = {"online": True, "agent_version": "bench", "volume": 100, "playing": playing}
                bridge.incoming.put((f"tinhso/v1/devices/{device_id}/status", json.dumps(status).encode(), 1, 1))
        total = bridge.incoming.qsize()
        started = time.perf_counter()
        while not bridge.incoming.empty():
            bridge.handle_incoming()
        elapsed = time.perf_counter() - started
        stored = PlayEvent.objects.filter(bulletin=bulletin, event__in=("play", "stop")).count()
        assert stored == total // 2, f"{stored}/{total // 2} events stored"
        assert not SpeakerCluster.objects.exclude(playing=None).exists(), "a status was not stored"
        rates.append(total / elapsed)
    rates.sort()
    print(f"reports stored: median {rates[1]:.0f}/s, min {rates[0]:.0f}/s (3 runs of {total} reports each)")


if __name__ == "__main__":
    main()
