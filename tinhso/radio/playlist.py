"""The playlist a cluster gets: what the bridge publishes to `tinhso/v1/devices/<id>/playlist` (protocol v1)."""

import datetime
import functools
import json

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .choices import BulletinKind, DeliveryState
from .models import Delivery, SpeakerCluster

OPEN_DELIVERY_STATES = (DeliveryState.PENDING, DeliveryState.SENT, DeliveryState.PLAYING)
# Deliveries of recurring bulletins are written this far ahead (the bridge extends them), and sent this far ahead.
HORIZON = datetime.timedelta(days=2)


@functools.lru_cache(maxsize=256)
def device_audio_url(sha256: str) -> str:
    base = getattr(settings, "RADIO_DEVICE_BASE_URL", "") or settings.SITE_URL
    return base.rstrip("/") + reverse("radio:device_audio", args=[sha256])


def iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


# What a playlist item is made of, read as plain rows (no model instances): the delivery, then its bulletin.
ITEM_FIELDS = (
    "item",
    "chain_level",
    "rank",
    "starts_at",
    "expires_at",
    "repeat",
    "volume",
    "bulletin_id",
    "bulletin__title",
    "bulletin__kind",
    "bulletin__audio_sha256",
    "bulletin__duration",
    "bulletin__stream_url",
    "bulletin__fallback_sha256",
)


def item_payload(row) -> dict:
    """One playlist item from a row of ITEM_FIELDS (protocol v1: docs/radio-protocol.md)."""
    (
        item,
        level,
        rank,
        starts_at,
        expires_at,
        repeat,
        volume,
        bulletin,
        title,
        kind,
        sha256,
        duration,
        stream,
        fallback,
    ) = row
    is_relay = kind == BulletinKind.RELAY
    return {
        "item": item,
        "bulletin": bulletin,
        "title": title,
        "level": level,
        "rank": rank,
        "kind": "relay" if is_relay else "audio",
        "audio_url": None if is_relay else device_audio_url(sha256),
        "sha256": None if is_relay else sha256,
        "duration": duration,
        "starts_at": iso(starts_at),
        "expires_at": iso(expires_at),
        "repeat": repeat,
        "volume": volume,
        "stream_url": stream or None if is_relay else None,
        "fallback_url": device_audio_url(fallback) if is_relay and fallback else None,
        "fallback_sha256": fallback or None if is_relay else None,
        "ends_at": iso(expires_at) if is_relay else None,
    }


def _item(delivery: Delivery) -> dict:
    bulletin = delivery.bulletin
    return item_payload(
        (
            delivery.item,
            delivery.chain_level,
            delivery.rank,
            delivery.starts_at,
            delivery.expires_at,
            delivery.repeat,
            delivery.volume,
            bulletin.pk,
            bulletin.title,
            bulletin.kind,
            bulletin.audio_sha256,
            bulletin.duration,
            bulletin.stream_url,
            bulletin.fallback_sha256,
        )
    )


def dumps(value) -> str:
    """The JSON the bridge publishes: compact, UTF-8 as is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def current_deliveries(now):
    """Deliveries a playlist carries: still open, not expired, starting within the horizon; play order."""
    return (
        Delivery.objects.filter(state__in=OPEN_DELIVERY_STATES, expires_at__gt=now, starts_at__lt=now + HORIZON)
        .select_related("bulletin")
        .order_by("rank", "starts_at", "item")
    )


def payload(cluster: SpeakerCluster, deliveries, now) -> dict:
    return {
        "version": cluster.playlist_version,
        "sent_at": iso(now),
        "volume": cluster.volume,
        "items": [_item(delivery) for delivery in deliveries],
    }


def playlist_for(cluster: SpeakerCluster, now) -> dict:
    """Everything this cluster should play now or later, smallest rank first (the device re-sorts anyway)."""
    return payload(cluster, current_deliveries(now).filter(cluster=cluster), now)


def serialized_playlists(clusters, cluster_ids, now) -> list[tuple[int, str, str]]:
    """(cluster pk, device id, JSON body) of each cluster's playlist, byte for byte `dumps(payload(...))`.

    `clusters` are rows (pk, device_id, volume, playlist_version); `cluster_ids` selects the same clusters in
    SQL (a list, or a subquery such as the bridge's claimed outbox rows). One query for every item of every
    cluster, read as rows; each distinct item is serialized once and each distinct list of items once, so an
    emergency to every village of the province is one item and one list, joined to 1,356 short headers.
    """
    rows = current_deliveries(now).select_related(None).filter(cluster_id__in=cluster_ids)
    by_cluster: dict[int, list] = {}
    for cluster_id, *fields in rows.values_list("cluster_id", *ITEM_FIELDS):
        by_cluster.setdefault(cluster_id, []).append(tuple(fields))
    items: dict[tuple, str] = {}
    lists: dict[tuple, str] = {(): "[]"}
    sent_at = dumps(iso(now))
    published = []
    for pk, device_id, volume, version in clusters:
        key = tuple(by_cluster.get(pk, ()))
        body = lists.get(key)
        if body is None:
            for row in key:
                if row not in items:
                    items[row] = dumps(item_payload(row))
            body = lists[key] = "[" + ",".join(items[row] for row in key) + "]"
        header = '{"version":' + dumps(version) + ',"sent_at":' + sent_at + ',"volume":' + dumps(volume)
        published.append((pk, device_id, header + ',"items":' + body + "}"))
    return published


def playlists_for(clusters, now) -> dict[int, dict]:
    """playlist_for of many clusters in one query (an emergency reaches every village at once)."""
    rows = [(cluster.pk, cluster.device_id, cluster.volume, cluster.playlist_version) for cluster in clusters]
    return {pk: json.loads(body) for pk, _device, body in serialized_playlists(rows, [row[0] for row in rows], now)}
