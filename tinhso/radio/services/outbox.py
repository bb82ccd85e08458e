"""The playlist outbox: web requests write PlaylistOutbox rows in their transaction; the bridge publishes them.

Nothing here talks to the broker: MQTT leaves the server only through the radio bridge (bridge.py).
"""

import json

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from ..choices import DeliveryState
from ..models import Delivery, PlaylistOutbox, SpeakerCluster
from ..playlist import HORIZON, serialized_playlists

# PostgreSQL tells the bridge (LISTEN) the moment a transaction that wrote outbox rows commits.
OUTBOX_CHANNEL = "radio_outbox"


def enqueue_playlists(cluster_ids) -> None:
    """Ask the bridge to publish these clusters' playlists once the transaction commits.

    On PostgreSQL the same transaction sends a NOTIFY: delivered at its commit (never before, never for a
    rollback), it wakes the bridge at once instead of at its next poll. Other databases keep the poll.
    """
    rows = [PlaylistOutbox(cluster_id=pk) for pk in sorted(set(cluster_ids))]
    if not rows:
        return
    PlaylistOutbox.objects.bulk_create(rows)
    _wake_the_bridge()


def enqueue_playlists_of(cluster_ids) -> None:
    """enqueue_playlists for the clusters a query selects (a queryset of `cluster_id` values), written by the
    database itself in one INSERT … SELECT: an emergency's 1,356 rows without 1,356 instances."""
    quote = connection.ops.quote_name
    table = quote(PlaylistOutbox._meta.db_table)
    source, params = cluster_ids.order_by().query.sql_with_params()
    sql = (
        f"INSERT INTO {table} (cluster_id, created_at) "  # published_at: NULL, pending
        f"SELECT DISTINCT chosen.cluster_id, %s FROM ({source}) chosen ORDER BY chosen.cluster_id"
    )
    now = PlaylistOutbox._meta.get_field("created_at").get_db_prep_save(timezone.now(), connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, *params])
    _wake_the_bridge()


def _wake_the_bridge() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {OUTBOX_CHANNEL}")


# --- Playlists (what the bridge publishes) ---------------------------------------------------


def _next(cluster_ids, now) -> list[tuple[int, str, str]]:
    """Bump the versions of the clusters `cluster_ids` selects, serialize their playlists, mark their items sent.

    `cluster_ids` goes into every query as given (a short list, or the bridge's outbox subquery): a handful of
    queries whatever the number of clusters, none of them carrying one parameter per cluster.
    """
    SpeakerCluster.objects.filter(pk__in=cluster_ids).update(playlist_version=F("playlist_version") + 1)
    clusters = SpeakerCluster.objects.filter(pk__in=cluster_ids).order_by("pk")
    rows = list(clusters.values_list("pk", "device_id", "volume", "playlist_version"))
    published = serialized_playlists(rows, cluster_ids, now)
    sent = Delivery.objects.filter(cluster_id__in=cluster_ids, state=DeliveryState.PENDING, starts_at__lt=now + HORIZON)
    sent.filter(expires_at__gt=now).update(state=DeliveryState.SENT, sent_at=now)
    return published


@transaction.atomic
def publish_turn(now, limit: int) -> list[tuple[str, str]]:
    """The bridge's turn: claim up to `limit` pending outbox rows (oldest first) and return (device id, JSON
    body) of each of their clusters' playlists, version one higher than its last; their items count as sent.

    The claimed rows are marked published at `now` first, and every later query finds the clusters through
    them (`published_at = now`): the same set in each query, never a list of 1,356 ids. If the caller cannot
    hand the bodies to MQTT it calls `unclaim(now)`; if the bridge dies before, its reconnection republishes
    every playlist.
    """
    if not PlaylistOutbox.objects.filter(published_at__isnull=True).exists():
        return []
    oldest = PlaylistOutbox.objects.filter(published_at__isnull=True).order_by("id").values("pk")[:limit]
    if not PlaylistOutbox.objects.filter(pk__in=oldest).update(published_at=now):
        return []
    claimed = PlaylistOutbox.objects.filter(published_at=now).values("cluster_id")
    return [(device_id, body) for _pk, device_id, body in _next(claimed, now)]


def unclaim(now) -> None:
    """Put a turn's outbox rows back (its playlists did not reach MQTT): the next turn publishes them."""
    PlaylistOutbox.objects.filter(published_at=now).update(published_at=None)


@transaction.atomic
def next_playlists(cluster_ids, now=None) -> list[tuple[SpeakerCluster, dict]]:
    """The playlists of these clusters to publish now, each with a version one higher than its last; their
    items count as sent. Each payload is the published JSON read back (the bridge uses publish_turn)."""
    now = now or timezone.now()
    ids = sorted(set(cluster_ids))
    return [(SpeakerCluster(pk=pk, device_id=device_id), json.loads(body)) for pk, device_id, body in _next(ids, now)]


def next_playlist(cluster_id: int, now=None) -> tuple[SpeakerCluster, dict] | None:
    found = next_playlists([cluster_id], now)
    return found[0] if found else None
