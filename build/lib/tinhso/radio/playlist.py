"""The playlist a cluster gets: what the bridge publishes to `tinhso/v1/devices/<id>/playlist` (protocol v1)."""

import datetime
import functools

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .choices import BulletinKind, DeliveryState
from .models import Bulletin, Delivery, SpeakerCluster

OPEN_DELIVERY_STATES = (DeliveryState.PENDING, DeliveryState.SENT, DeliveryState.PLAYING)
# Deliveries of recurring bulletins are written this far ahead (the bridge extends them), and sent this far ahead.
HORIZON = datetime.timedelta(days=2)


@functools.lru_cache(maxsize=256)
def device_audio_url(sha256: str) -> str:
    base = getattr(settings, "RADIO_DEVICE_BASE_URL", "") or settings.SITE_URL
    return base.rstrip("/") + reverse("radio:device_audio", args=[sha256])


def iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _item(delivery: Delivery) -> dict:
    bulletin = delivery.bulletin
    is_relay = bulletin.kind == BulletinKind.RELAY
    return {
        "item": delivery.item,
        "bulletin": bulletin.pk,
        "title": bulletin.title,
        "level": delivery.chain_level,
        "rank": delivery.rank,
        "kind": "relay" if is_relay else "audio",
        "audio_url": None if is_relay else device_audio_url(bulletin.audio_sha256),
        "sha256": None if is_relay else bulletin.audio_sha256,
        "duration": bulletin.duration,
        "starts_at": iso(delivery.starts_at),
        "expires_at": iso(delivery.expires_at),
        "repeat": delivery.repeat,
        "volume": delivery.volume,
        "stream_url": bulletin.stream_url or None if is_relay else None,
        "fallback_url": device_audio_url(bulletin.fallback_sha256) if is_relay and bulletin.fallback_sha256 else None,
        "fallback_sha256": bulletin.fallback_sha256 or None if is_relay else None,
        "ends_at": iso(delivery.expires_at) if is_relay else None,
    }


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


def playlists_for(clusters, now) -> dict[int, dict]:
    """playlist_for of many clusters in two queries (an emergency reaches every village at once)."""
    by_cluster: dict[int, list] = {cluster.pk: [] for cluster in clusters}
    deliveries = list(current_deliveries(now).select_related(None).filter(cluster_id__in=list(by_cluster)))
    bulletins = Bulletin.objects.in_bulk({delivery.bulletin_id for delivery in deliveries})
    for delivery in deliveries:
        delivery.bulletin = bulletins[delivery.bulletin_id]  # the same few bulletins for every cluster
        by_cluster[delivery.cluster_id].append(delivery)
    return {cluster.pk: payload(cluster, by_cluster[cluster.pk], now) for cluster in clusters}
