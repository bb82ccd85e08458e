"""The playlist outbox: web requests write PlaylistOutbox rows in their transaction; the bridge publishes them.

Nothing here talks to the broker: MQTT leaves the server only through the radio bridge (bridge.py).
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..choices import DeliveryState
from ..models import Delivery, PlaylistOutbox, SpeakerCluster
from ..playlist import HORIZON, playlists_for


def enqueue_playlists(cluster_ids) -> None:
    """Ask the bridge to publish these clusters' playlists once the transaction commits."""
    PlaylistOutbox.objects.bulk_create([PlaylistOutbox(cluster_id=pk) for pk in sorted(set(cluster_ids))])


# --- Playlists (what the bridge publishes) ---------------------------------------------------


@transaction.atomic
def next_playlists(cluster_ids, now=None) -> list[tuple[SpeakerCluster, dict]]:
    """The playlists to publish now, each with a version one higher than its last; their items count as sent.

    A handful of queries whatever the number of clusters: an emergency to 1,356 villages must go out in
    well under a second.
    """
    now = now or timezone.now()
    ids = sorted(set(cluster_ids))
    SpeakerCluster.objects.filter(pk__in=ids).update(playlist_version=F("playlist_version") + 1)
    clusters = list(SpeakerCluster.objects.filter(pk__in=ids).only("pk", "device_id", "volume", "playlist_version"))
    payloads = playlists_for(clusters, now)
    sent = Delivery.objects.filter(cluster_id__in=ids, state=DeliveryState.PENDING, starts_at__lt=now + HORIZON)
    sent.filter(expires_at__gt=now).update(state=DeliveryState.SENT, sent_at=now)
    return [(cluster, payloads[cluster.pk]) for cluster in clusters]


def next_playlist(cluster_id: int, now=None) -> tuple[SpeakerCluster, dict] | None:
    found = next_playlists([cluster_id], now)
    return found[0] if found else None
