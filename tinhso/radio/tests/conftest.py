"""A small radio world on the test tree (tinhso.units.testing.build_unit_tree), as it is today (after the
2025 reform): clusters in the village Khe Dứa and the commune Xuân Ái, one in Khánh Hòa; people with
each role."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.radio import services
from tinhso.radio.bridge import Bridge
from tinhso.radio.models import SpeakerCluster


def make_cluster(unit, name):
    with acting_as(None, source="test"):
        cluster, password = services.create_cluster(actor=None, unit=unit, name=name)
    cluster.password = password
    return cluster


@pytest.fixture
def radio(tree):
    w = SimpleNamespace(tree=tree)
    w.khe_dua_1 = make_cluster(tree.new_khe_dua, "Cụm loa Khe Dứa 1")
    w.khe_dua_2 = make_cluster(tree.new_khe_dua, "Cụm loa Khe Dứa 2")
    w.xuan_ai_centre = make_cluster(tree.new_xuan_ai, "Cụm loa trung tâm xã Xuân Ái")
    w.khanh_hoa = make_cluster(tree.new_khanh_hoa, "Cụm loa Khánh Hòa")
    w.admin = make_user("province_admin", tree.lao_cai)
    w.centre = make_user("dx_centre_staff", tree.lao_cai)
    w.officer = make_user("commune_officer", tree.new_xuan_ai)
    w.village_head = make_user("village_team_leader", tree.new_khe_dua)
    w.citizen = make_user("citizen", tree.new_xuan_ai)
    return w


# --- The bridge without a network (the batch and outbox tests) ------------------------------------------


class FakeBroker:
    """Stands in for paho: keeps what the bridge publishes and acknowledges; `fail` makes publishing raise."""

    def __init__(self, fail=False):
        self.fail = fail
        self.sent: list[tuple[str, str]] = []
        self.acked: list[int] = []

    def publish(self, topic, body, qos, retain):
        if self.fail:
            raise OSError("broker gone")
        self.sent.append((topic, body))

    def ack(self, mid, qos):
        self.acked.append(mid)


@pytest.fixture
def make_bridge():
    """make_bridge(fail=False): a bridge whose MQTT client is a FakeBroker (`bridge.client`)."""

    def make(fail=False):
        running = Bridge("mqtt://127.0.0.1:1")
        running.client = FakeBroker(fail=fail)
        return running

    return make


@pytest.fixture
def bridge(make_bridge):
    return make_bridge()


@pytest.fixture
def add_clusters(radio):
    """add_clusters(number, prefix): that many more clusters in the village Khe Dứa, device ids prefix-0000…"""

    def add(number, prefix):
        return SpeakerCluster.objects.bulk_create(
            SpeakerCluster(
                name=f"Cụm loa {prefix} {i}",
                unit=radio.tree.new_khe_dua,
                device_id=f"{prefix}-{i:04d}",
                mosquitto_hash="-",
                password_hash="-",
            )
            for i in range(number)
        )

    return add


@pytest.fixture
def broadcast_emergency():
    """broadcast_emergency(actor, target): an emergency relay to every cluster of `target`, on air for an hour."""

    def broadcast(actor, target):
        bulletin = services.create_bulletin(
            actor=actor,
            title="Cảnh báo lũ quét",
            kind="relay",
            level="emergency",
            stream_url="http://radio.example.vn/canh-bao",
            expires_at=timezone.now() + datetime.timedelta(hours=1),
            targets=[target],
        )
        services.broadcast(bulletin, actor=actor)
        return bulletin

    return broadcast
