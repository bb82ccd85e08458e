"""What devices report over MQTT (through the bridge): status, play events, silence."""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .. import notices
from ..choices import BulletinStatus, DeliveryState, PlayEventKind
from ..models import Bulletin, Delivery, PlayEvent, SpeakerCluster

logger = logging.getLogger(__name__)

FINAL_DELIVERY_STATES = (DeliveryState.PLAYED, DeliveryState.CANCELLED, DeliveryState.EXPIRED, DeliveryState.FAILED)


def _device_time(value, fallback):
    moment = parse_datetime(value) if isinstance(value, str) else None
    if moment is None:
        return fallback
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _cluster(device_id: str) -> SpeakerCluster | None:
    cluster = SpeakerCluster.objects.filter(device_id=device_id).first()
    if cluster is None:
        logger.warning("report from unknown device %s", device_id)
    return cluster


@transaction.atomic
def record_status(device_id: str, payload: dict, now=None) -> SpeakerCluster | None:
    """A device's retained status. Written with update(): a status every 30 s is not a change to log."""
    now = now or timezone.now()
    cluster = _cluster(device_id)
    if cluster is None:
        return None
    if not payload.get("online"):
        return mark_offline(device_id, cluster=cluster)
    was_offline = not cluster.is_online
    values = {"is_online": True, "last_seen_at": now, "playing": _playing(payload.get("playing"))}
    if payload.get("agent_version"):
        values["agent_version"] = str(payload["agent_version"])[:40]
    if isinstance(payload.get("volume"), int) and 0 <= payload["volume"] <= 100:
        values["reported_volume"] = payload["volume"]
    if isinstance(payload.get("keepalive"), int) and 5 <= payload["keepalive"] <= 3600:
        values["keepalive"] = payload["keepalive"]
    SpeakerCluster.objects.filter(pk=cluster.pk).update(**values)
    if was_offline:
        _log_catch_up(cluster, now)
    cluster.refresh_from_db()
    return cluster


def _playing(playing) -> dict | None:
    """What the device plays, with the bulletin's title so that the cluster list can show it."""
    if not isinstance(playing, dict) or not playing:
        return None
    bulletin_id = playing.get("bulletin")
    title = (
        Bulletin.objects.filter(pk=bulletin_id).values_list("title", flat=True).first()
        if isinstance(bulletin_id, int)
        else None
    )
    return {**playing, "title": title or str(playing.get("item") or "")}


def _log_catch_up(cluster: SpeakerCluster, now) -> None:
    """The log says when a cluster that was away gets what fell due meanwhile (the retained playlist)."""
    due = Delivery.objects.filter(
        cluster=cluster, state__in=(DeliveryState.PENDING, DeliveryState.SENT), starts_at__lte=now, expires_at__gt=now
    )
    PlayEvent.objects.bulk_create(
        PlayEvent(
            cluster=cluster,
            bulletin_id=delivery.bulletin_id,
            item=delivery.item,
            event=PlayEventKind.DELIVERED_ON_RECONNECTION,
            detail=_("Delivered when the cluster came back online."),
            at=now,
            received_at=now,
        )
        for delivery in due
    )


def mark_offline(device_id: str, *, cluster: SpeakerCluster | None = None) -> SpeakerCluster | None:
    cluster = cluster or _cluster(device_id)
    if cluster is None:
        return None
    went_offline = SpeakerCluster.objects.filter(pk=cluster.pk, is_online=True).exists()
    SpeakerCluster.objects.filter(pk=cluster.pk).update(is_online=False, playing=None)
    cluster.refresh_from_db()
    if went_offline:
        notices.cluster_went_offline(cluster)
    return cluster


def silent_clusters(now=None) -> list[SpeakerCluster]:
    """Clusters the broker still holds but that sent no status for 1.5 × their keepalive."""
    now = now or timezone.now()
    candidates = SpeakerCluster.objects.filter(is_online=True, last_seen_at__isnull=False)
    return [cluster for cluster in candidates if now - cluster.last_seen_at > cluster.silent_after()]


DELIVERY_STATE_AFTER_STOP = {
    "cancelled": DeliveryState.CANCELLED,
    "preempted": DeliveryState.SENT,  # re-queued: it plays again from its start
    "expired": DeliveryState.EXPIRED,
    "error": DeliveryState.FAILED,
}


SERVER_DECIDED_STATES = (DeliveryState.CANCELLED, DeliveryState.EXPIRED)


def _delivery_after_event(delivery: Delivery, payload: dict, at) -> None:
    event, reason = payload.get("event"), payload.get("reason") or ""
    changes: dict = {"last_event_at": at}
    if event == "play":
        changes.update(state=DeliveryState.PLAYING, plays=F("plays") + 1)
    elif event == "stop" and reason == "finished":
        repetition = payload.get("repetition")
        last = repetition >= delivery.repeat if isinstance(repetition, int) else delivery.plays >= delivery.repeat
        changes["state"] = DeliveryState.PLAYED if last else DeliveryState.SENT
    elif event == "stop" and reason in DELIVERY_STATE_AFTER_STOP:
        changes["state"] = DELIVERY_STATE_AFTER_STOP[reason]
    elif event == "failed" or (event == "download" and payload.get("detail") not in (None, "", "ok")):
        changes["state"] = DeliveryState.FAILED
    this = Delivery.objects.filter(pk=delivery.pk)
    # The server's decision stands over a late report. Decided in the UPDATE itself, not on the row read
    # earlier: a cancel committed in between must not be turned back into "playing".
    if "state" in changes and this.exclude(state__in=SERVER_DECIDED_STATES).update(**changes):
        return
    changes.pop("state", None)
    this.update(**changes)


@transaction.atomic
def record_event(device_id: str, payload: dict, now=None) -> PlayEvent | None:
    """Append the device's event to the play log and move the delivery along."""
    now = now or timezone.now()
    cluster = _cluster(device_id)
    if cluster is None or payload.get("event") not in PlayEventKind.values:
        return None
    at = _device_time(payload.get("at"), now)
    item = str(payload.get("item") or "")[:40]
    delivery = Delivery.objects.filter(cluster=cluster, item=item).first() if item else None
    bulletin_id = delivery.bulletin_id if delivery else _existing_bulletin_id(payload.get("bulletin"))
    repetition = payload.get("repetition")
    event = PlayEvent.objects.create(
        cluster=cluster,
        bulletin_id=bulletin_id,
        item=item,
        event=payload["event"],
        reason=str(payload.get("reason") or "")[:20],
        detail=str(payload.get("detail") or "")[:300],
        level=str(payload.get("level") or "")[:20],
        repetition=repetition if isinstance(repetition, int) and 0 <= repetition < 1000 else None,
        at=at,
        received_at=now,
    )
    if delivery is not None:
        _delivery_after_event(delivery, payload, at)
        _finish_if_done(delivery.bulletin_id)
    return event


def _existing_bulletin_id(value) -> int | None:
    if not isinstance(value, int):
        return None
    return value if Bulletin.objects.filter(pk=value).exists() else None


def _finish_if_done(bulletin_id: int) -> None:
    bulletin = Bulletin.objects.filter(pk=bulletin_id, status=BulletinStatus.ON_AIR, recurrence__isnull=True)
    still_open = Delivery.objects.filter(bulletin_id=bulletin_id).exclude(state__in=FINAL_DELIVERY_STATES)
    if not still_open.exists():
        bulletin.update(status=BulletinStatus.FINISHED)
