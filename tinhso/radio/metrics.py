"""What the smart radio tells Prometheus: clusters online / offline / silent, and how old the outbox is."""

from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from .models import PlaylistOutbox, SpeakerCluster


def cluster_states() -> dict[str, int]:
    now = timezone.now()
    counts = {"online": 0, "offline": 0, "silent": 0}
    for cluster in SpeakerCluster.objects.only("is_online", "last_seen_at", "keepalive").iterator():
        if not cluster.is_online:
            counts["offline"] += 1
        elif cluster.last_seen_at is not None and now - cluster.last_seen_at > cluster.silent_after():
            counts["silent"] += 1
        else:
            counts["online"] += 1
    return counts


def collect():
    clusters = GaugeMetricFamily("tinhso_radio_clusters", "Speaker clusters by state", labels=["state"])
    for state, count in cluster_states().items():
        clusters.add_metric([state], count)
    yield clusters
    oldest = PlaylistOutbox.objects.filter(published_at__isnull=True).order_by("created_at").first()
    age = GaugeMetricFamily("tinhso_radio_outbox_age_seconds", "Age of the oldest playlist not yet published")
    age.add_metric([], (timezone.now() - oldest.created_at).total_seconds() if oldest else 0.0)
    yield age
