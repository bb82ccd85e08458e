"""A broadcast writes its deliveries and outbox rows in the database (INSERT … SELECT), not as one model
instance per cluster: an emergency to a province's 1,356 clusters was mostly Python building and preparing
rows. The rows are those the per-cluster code wrote, ranks by the commune's broadcasting order included."""

import datetime

from django.utils import timezone

from tinhso.radio import services
from tinhso.radio.models import Delivery, PlaylistOutbox, SpeakerCluster


def priority_bulletin(radio, target):
    return services.create_bulletin(
        actor=radio.admin,
        title="Lịch cắt điện",
        kind="relay",
        level="priority",
        stream_url="http://radio.example.vn/thong-bao",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
        targets=[target],
    )


def test_a_province_wide_broadcast_builds_no_row_per_cluster_in_python(radio, add_clusters, monkeypatch):
    add_clusters(40, "many")
    built = []
    original = Delivery.__init__

    def counting(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    bulletin = priority_bulletin(radio, radio.tree.lao_cai)
    monkeypatch.setattr(Delivery, "__init__", counting)
    reached = services.broadcast(bulletin, actor=radio.admin)
    monkeypatch.undo()
    assert reached == SpeakerCluster.objects.count() == 44
    assert len(built) < 5  # before: one Delivery instance per cluster
    assert PlaylistOutbox.objects.filter(published_at__isnull=True).count() == 44


def test_the_rows_written_are_those_the_per_cluster_code_wrote(radio, add_clusters):
    add_clusters(5, "khe")
    services.set_commune_policy(actor=radio.admin, unit=radio.tree.new_xuan_ai, commune_first=True)
    bulletin = priority_bulletin(radio, radio.tree.lao_cai)
    services.broadcast(bulletin, actor=radio.admin)
    bulletin.refresh_from_db()
    clusters = services.clusters_for([radio.tree.lao_cai])
    occurrences = [(1, bulletin.send_at)]
    fields = ("cluster_id", "item", "starts_at", "expires_at", "repeat", "rank", "chain_level", "volume", "state")
    expected = sorted(
        tuple(getattr(row, name) for name in fields)
        for row in services.broadcasting._deliveries(bulletin, clusters, occurrences)
    )
    written = sorted(Delivery.objects.filter(bulletin=bulletin).values_list(*fields))
    assert written == expected
    ranks = dict(Delivery.objects.filter(bulletin=bulletin).values_list("cluster_id", "rank"))
    assert ranks[radio.xuan_ai_centre.pk] != ranks[radio.khanh_hoa.pk]  # Xuân Ái plays its own first
    assert sorted(PlaylistOutbox.objects.values_list("cluster_id", flat=True)) == sorted(ranks)
