"""What devices report over MQTT (through the bridge): status, play events, silence."""

import json
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


def record_status(device_id: str, payload: dict, now=None) -> SpeakerCluster | None:
    """One device's retained status: record_statuses with one report."""
    record_statuses([(device_id, payload)], now)
    return _cluster(device_id)


def mark_offline(device_id: str) -> SpeakerCluster | None:
    """The broker's last will for the device (or the device saying goodbye)."""
    return record_status(device_id, {"online": False})


def _bulletin_ref(value) -> int | None:
    """A bulletin id as a device sent it, if it can be one (a huge integer must not reach the database)."""
    return value if type(value) is int and 0 < value < 2**63 else None


def _status_values(payload: dict, now) -> dict:
    """What one status sets on its cluster. Offline (a last will): offline and playing nothing."""
    if not payload.get("online"):
        return {"is_online": False, "playing": None}
    playing = payload.get("playing") if isinstance(payload.get("playing"), dict) else None
    values = {"is_online": True, "last_seen_at": now, "playing": playing or None}
    if payload.get("agent_version"):
        values["agent_version"] = str(payload["agent_version"])[:40]
    if type(payload.get("volume")) is int and 0 <= payload["volume"] <= 100:
        values["reported_volume"] = payload["volume"]
    if type(payload.get("keepalive")) is int and 5 <= payload["keepalive"] <= 3600:
        values["keepalive"] = payload["keepalive"]
    return values


@transaction.atomic
def record_statuses(reports, now=None) -> int:
    """Store many devices' statuses at once (the bridge's batch): a handful of queries whatever their number.

    Written with update(), grouped by identical values: a status every 30 s is not a change to log, and the
    statuses of an emergency (every cluster playing the same item) are one UPDATE. A cluster that comes back
    online gets in the play log what fell due meanwhile; the operators of one that went offline are told.
    Clusters are locked in primary key order. Returns the number of clusters updated.
    """
    now = now or timezone.now()
    reports = [(d, p) for d, p in reports if isinstance(p, dict)]
    if not reports:
        return 0
    locked = SpeakerCluster.objects.select_for_update(no_key=True).filter(device_id__in={d for d, _p in reports})
    clusters, online = {}, {}
    for pk, device_id, is_online in locked.order_by("pk").values_list("pk", "device_id", "is_online"):
        clusters[device_id], online[pk] = pk, is_online
    values: dict[int, dict] = {}
    came_back: set[int] = set()
    went_away: set[int] = set()
    for device_id, payload in reports:
        pk = clusters.get(device_id)
        if pk is None:
            logger.warning("report from unknown device %s", device_id)
            continue
        changes = _status_values(payload, now)
        if changes["is_online"] != online[pk]:
            (came_back if changes["is_online"] else went_away).add(pk)
        online[pk] = changes["is_online"]
        values.setdefault(pk, {}).update(changes)
    _add_titles(values.values())
    groups: dict[str, tuple[dict, list[int]]] = {}
    for pk, changes in values.items():
        key = json.dumps(changes, sort_keys=True, default=str)
        groups.setdefault(key, (changes, []))[1].append(pk)
    for changes, pks in groups.values():
        SpeakerCluster.objects.filter(pk__in=pks).update(**changes)
    if came_back:
        _log_catch_up(came_back, now)
    if went_away:
        notices.clusters_went_offline(
            SpeakerCluster.objects.filter(pk__in=went_away).select_related("unit").order_by("pk")
        )
    return len(values)


def _add_titles(all_values) -> None:
    """What each device plays, with the bulletin's title so that the cluster list can show it (one query)."""
    playing = [values["playing"] for values in all_values if values.get("playing")]
    wanted = {pk for each in playing if (pk := _bulletin_ref(each.get("bulletin")))}
    titles = dict(Bulletin.objects.filter(pk__in=wanted).values_list("pk", "title")) if wanted else {}
    for values in all_values:
        if each := values.get("playing"):
            title = titles.get(_bulletin_ref(each.get("bulletin")))
            values["playing"] = {**each, "title": title or str(each.get("item") or "")}


def _log_catch_up(cluster_ids, now) -> None:
    """The log says when a cluster that was away gets what fell due meanwhile (the retained playlist)."""
    due = Delivery.objects.filter(
        cluster_id__in=cluster_ids,
        state__in=(DeliveryState.PENDING, DeliveryState.SENT),
        starts_at__lte=now,
        expires_at__gt=now,
    )
    PlayEvent.objects.bulk_create(
        PlayEvent(
            cluster_id=delivery.cluster_id,
            bulletin_id=delivery.bulletin_id,
            item=delivery.item,
            event=PlayEventKind.DELIVERED_ON_RECONNECTION,
            detail=_("Delivered when the cluster came back online."),
            at=now,
            received_at=now,
        )
        for delivery in due.only("cluster_id", "bulletin_id", "item")
    )


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
    value = _bulletin_ref(value)
    return value if value and Bulletin.objects.filter(pk=value).exists() else None


def _finish_if_done(bulletin_id: int) -> None:
    bulletin = Bulletin.objects.filter(pk=bulletin_id, status=BulletinStatus.ON_AIR, recurrence__isnull=True)
    still_open = Delivery.objects.filter(bulletin_id=bulletin_id).exclude(state__in=FINAL_DELIVERY_STATES)
    if not still_open.exists():
        bulletin.update(status=BulletinStatus.FINISHED)


def _event_key(cluster_id, item, event, at, repetition) -> tuple:
    return (cluster_id, item, event, at, repetition)


@transaction.atomic
def record_events(reports, now=None) -> int:
    """Store many devices' events at once (the bridge's batch): a handful of queries whatever their number.

    Idempotent on the natural key (cluster, item, event, device time, repetition): an event the broker sends
    again (it was stored but not yet acknowledged when the bridge stopped) is not logged twice. Locks are
    taken in one fixed order, bulletins then deliveries by primary key, the order cancel() uses, so that the
    two never deadlock. Returns the number of new play-log rows.
    """
    now = now or timezone.now()
    reports = [(d, p) for d, p in reports if isinstance(p, dict) and p.get("event") in PlayEventKind.values]
    if not reports:
        return 0
    clusters = dict(
        SpeakerCluster.objects.filter(device_id__in={d for d, _p in reports}).values_list("device_id", "pk")
    )
    rows = []
    for device_id, payload in reports:
        cluster_id = clusters.get(device_id)
        if cluster_id is None:
            logger.warning("report from unknown device %s", device_id)
            continue
        repetition = payload.get("repetition")
        rows.append(
            (
                cluster_id,
                str(payload.get("item") or "")[:40],
                payload,
                _device_time(payload.get("at"), now),
                repetition if isinstance(repetition, int) and 0 <= repetition < 1000 else None,
            )
        )
    if not rows:
        return 0
    wanted = {(cluster_id, item) for cluster_id, item, *_rest in rows if item}
    delivery_ids = {
        (cluster_id, item): pk
        for pk, cluster_id, item in Delivery.objects.filter(
            cluster_id__in={c for c, _i in wanted}, item__in={i for _c, i in wanted}
        ).values_list("pk", "cluster_id", "item")
        if (cluster_id, item) in wanted
    }
    bulletin_ids = set(
        Delivery.objects.filter(pk__in=delivery_ids.values()).values_list("bulletin_id", flat=True).distinct()
    )
    # The fixed lock order: bulletins (as cancel takes its own), then deliveries, each by primary key.
    list(Bulletin.objects.select_for_update(no_key=True).filter(pk__in=bulletin_ids).order_by("pk").values("pk"))
    deliveries = {
        d.pk: d
        for d in Delivery.objects.select_for_update(no_key=True).filter(pk__in=delivery_ids.values()).order_by("pk")
    }
    plays_before = {pk: d.plays for pk, d in deliveries.items()}
    explicit = {b for _c, _i, p, _a, _r in rows if (b := _bulletin_ref(p.get("bulletin")))}
    existing_bulletins = set(Bulletin.objects.filter(pk__in=explicit).values_list("pk", flat=True))
    seen = set(
        PlayEvent.objects.filter(
            cluster_id__in={r[0] for r in rows}, at__gte=min(r[3] for r in rows), at__lte=max(r[3] for r in rows)
        ).values_list("cluster_id", "item", "event", "at", "repetition")
    )
    new, changed = [], {}
    for cluster_id, item, payload, at, repetition in rows:
        key = _event_key(cluster_id, item, payload["event"], at, repetition)
        if key in seen:
            continue
        seen.add(key)
        delivery = deliveries.get(delivery_ids.get((cluster_id, item))) if item else None
        bulletin_id = payload.get("bulletin") if payload.get("bulletin") in existing_bulletins else None
        new.append(
            PlayEvent(
                cluster_id=cluster_id,
                bulletin_id=delivery.bulletin_id if delivery else bulletin_id,
                item=item,
                event=payload["event"],
                reason=str(payload.get("reason") or "")[:20],
                detail=str(payload.get("detail") or "")[:300],
                level=str(payload.get("level") or "")[:20],
                repetition=repetition,
                at=at,
                received_at=now,
            )
        )
        if delivery is not None:
            _apply_event(delivery, payload, at)
            changed[delivery.pk] = delivery
    PlayEvent.objects.bulk_create(new, batch_size=1000)
    if changed:
        # One UPDATE per distinct outcome (an emergency's plays all look alike), not a CASE per row.
        groups: dict = {}
        for delivery in changed.values():
            key = (delivery.state, delivery.plays - plays_before[delivery.pk], delivery.last_event_at)
            groups.setdefault(key, []).append(delivery.pk)
        for (state, more_plays, last_event_at), pks in groups.items():
            Delivery.objects.filter(pk__in=pks).update(
                state=state, plays=F("plays") + more_plays, last_event_at=last_event_at
            )
        for bulletin_id in sorted({d.bulletin_id for d in changed.values()}):
            _finish_if_done(bulletin_id)
    return len(new)


def _apply_event(delivery: Delivery, payload: dict, at) -> None:
    """_delivery_after_event on a row already locked by record_events: the same rules, in memory."""
    event, reason = payload.get("event"), payload.get("reason") or ""
    delivery.last_event_at = at
    state = None
    if event == "play":
        state = DeliveryState.PLAYING
        delivery.plays += 1
    elif event == "stop" and reason == "finished":
        repetition = payload.get("repetition")
        last = repetition >= delivery.repeat if isinstance(repetition, int) else delivery.plays >= delivery.repeat
        state = DeliveryState.PLAYED if last else DeliveryState.SENT
    elif event == "stop" and reason in DELIVERY_STATE_AFTER_STOP:
        state = DELIVERY_STATE_AFTER_STOP[reason]
    elif event == "failed" or (event == "download" and payload.get("detail") not in (None, "", "ok")):
        state = DeliveryState.FAILED
    # The server's decision stands over a late report (the row is locked: a cancel cannot slip in between).
    if state is not None and delivery.state not in SERVER_DECIDED_STATES:
        delivery.state = state
