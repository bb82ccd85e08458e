"""Broadcasting: deliveries per cluster in the relay chain's order, cancelling, re-ranking, the clock."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.permissions import require
from tinhso.units.models import Unit

from .. import chain, schedule
from ..choices import BulletinKind, BulletinLevel, BulletinStatus, DeliveryState
from ..models import Bulletin, CommuneRadioPolicy, Delivery, SpeakerCluster
from ..playlist import HORIZON, OPEN_DELIVERY_STATES
from .bulletins import prepare_bulletin, render_audio, save_prepared, validate_bulletin
from .clusters import target_clusters
from .fanout import commune_first_by_unit, insert_deliveries, rank_function
from .outbox import enqueue_playlists, enqueue_playlists_of

FULL_VOLUME = 100
# Without an expiry a bulletin stays valid for a day: a cluster that comes back later does not play stale news.
DEFAULT_VALIDITY = datetime.timedelta(days=1)
# One occurrence of a recurring bulletin may be caught up for an hour, then the next one is due anyway.
OCCURRENCE_VALIDITY = datetime.timedelta(hours=1)


def chain_input_level(bulletin: Bulletin) -> str:
    """A relay of normal level takes the relay place of the chain; a priority or emergency relay keeps its level."""
    if bulletin.kind == BulletinKind.RELAY and bulletin.level == BulletinLevel.NORMAL:
        return "relay"
    return bulletin.level


def commune_first_by_cluster(clusters) -> dict[int, bool]:
    """For each cluster, whether its commune chose to play its own priority bulletins first (Circular 39)."""
    by_unit = commune_first_by_unit({cluster.unit for cluster in clusters})
    return {cluster.pk: by_unit[cluster.unit_id] for cluster in clusters}


def _occurrence_starts(bulletin: Bulletin, start, *, after, until) -> list[tuple[int, datetime.datetime]]:
    """(number, start) of each occurrence from `after` to `until`; numbers count from the first occurrence."""
    if bulletin.recurrence is None:
        return [(1, start)] if start < until else []
    every = schedule.occurrences(start, bulletin.recurrence, bulletin.expires_at, after=start, until=until)
    return [(number, moment) for number, moment in enumerate(every, start=1) if moment >= after]


def _occurrence_expiry(bulletin: Bulletin, moment) -> datetime.datetime:
    expires_at = bulletin.expires_at or moment + DEFAULT_VALIDITY  # broadcast() has set it
    if bulletin.recurrence is None:
        return expires_at
    return min(moment + OCCURRENCE_VALIDITY, expires_at)


def _deliveries(bulletin: Bulletin, clusters, occurrences) -> list[Delivery]:
    level = chain_input_level(bulletin)
    origin = bulletin.unit.level
    commune_first = commune_first_by_cluster(clusters)
    position = max(0, min(bulletin.position, chain.MAX_POSITION))
    volume = FULL_VOLUME if bulletin.level == BulletinLevel.EMERGENCY else None
    rows = []
    for cluster in clusters:
        rank = chain.rank_for(level, origin, commune_first=commune_first[cluster.pk], position=position)
        for number_, moment in occurrences:
            rows.append(
                Delivery(
                    bulletin=bulletin,
                    cluster=cluster,
                    item=f"b{bulletin.pk}-r{number_}",
                    starts_at=moment,
                    expires_at=_occurrence_expiry(bulletin, moment),
                    repeat=bulletin.repeat,
                    rank=rank,
                    chain_level=chain.chain_level(level, origin),
                    volume=volume,
                )
            )
    return rows


RENDERED_FIELDS = ("reading", "audio_sha256", "duration")


def _check_draft(bulletin: Bulletin, *, actor, now) -> tuple[list, list]:
    if bulletin.status != BulletinStatus.DRAFT:
        raise ValidationError(_("This bulletin has already been broadcast."))
    units, chosen = list(bulletin.target_units.all()), list(bulletin.target_clusters.all())
    validate_bulletin(bulletin, actor=actor, units=units, clusters=chosen, now=now)
    return units, chosen


def _render_before_lock(bulletin: Bulletin, *, actor, now) -> Bulletin | None:
    """A draft saved without its audio (e.g. by the seed) is rendered here, before any row is locked.

    Returns the rendered copy, or None when the bulletin already has what devices play.
    """
    if bulletin.kind == BulletinKind.RELAY or bulletin.audio_sha256:
        return None
    rendered = Bulletin.objects.select_related("unit").get(pk=bulletin.pk)
    if rendered.audio_sha256:
        return None
    _check_draft(rendered, actor=actor, now=now)
    render_audio(rendered)
    return rendered


def _take_rendering(bulletin: Bulletin, rendered: Bulletin | None) -> None:
    """Copy the audio rendered before the lock onto the locked row, if it still says the same."""
    if bulletin.kind == BulletinKind.RELAY or bulletin.audio_sha256 or rendered is None:
        return
    if (rendered.text, rendered.voice, rendered.rate, rendered.chime) != (
        bulletin.text,
        bulletin.voice,
        bulletin.rate,
        bulletin.chime,
    ):
        raise ValidationError(_("The bulletin was changed while it was being prepared; send it again."))
    bulletin.audio.name = rendered.audio.name
    for name in RENDERED_FIELDS:
        setattr(bulletin, name, getattr(rendered, name))


def broadcast(bulletin: Bulletin, *, actor, now=None) -> int:
    """Put the bulletin in the playlist of every target cluster; returns how many clusters get it.

    Speech is rendered first, without a transaction; the bulletin's row is then locked only to store the
    deliveries and the outbox rows the bridge publishes.
    """
    now = now or timezone.now()
    require(actor, "radio.broadcast_bulletin", bulletin)
    rendered = _render_before_lock(bulletin, actor=actor, now=now)
    with transaction.atomic():
        return _put_on_air(bulletin.pk, rendered, actor=actor, now=now)


def _put_on_air(bulletin_id: int, rendered: Bulletin | None, *, actor, now) -> int:
    bulletin = Bulletin.objects.select_for_update(no_key=True).select_related("unit").get(pk=bulletin_id)
    units, chosen = _check_draft(bulletin, actor=actor, now=now)
    _take_rendering(bulletin, rendered)
    targets = target_clusters(units, chosen)
    reached = targets.count()
    if not reached:
        raise ValidationError({"targets": [_("There is no speaker cluster in the chosen targets.")]})
    start = bulletin.send_at or now
    bulletin.send_at = start
    bulletin.expires_at = bulletin.expires_at or start + DEFAULT_VALIDITY
    occurrences = _occurrence_starts(bulletin, start, after=now - OCCURRENCE_VALIDITY, until=now + HORIZON)
    _write_deliveries(bulletin, targets, occurrences)
    enqueue_playlists_of(Delivery.objects.filter(bulletin=bulletin).values("cluster_id"))
    bulletin.status = BulletinStatus.ON_AIR if start <= now else BulletinStatus.SCHEDULED
    bulletin.broadcast_at = now
    bulletin.save()
    return reached


def _write_deliveries(bulletin: Bulletin, targets, occurrences) -> None:
    """The deliveries of each occurrence to every target cluster, written by the database (services.fanout):
    the same rows _deliveries() builds one by one."""
    level, origin = chain_input_level(bulletin), bulletin.unit.level
    rank = rank_function(level, origin, max(0, min(bulletin.position, chain.MAX_POSITION)))
    for number, moment in occurrences:
        fields = {
            "bulletin_id": bulletin.pk,
            "item": f"b{bulletin.pk}-r{number}",
            "starts_at": moment,
            "expires_at": _occurrence_expiry(bulletin, moment),
            "repeat": bulletin.repeat,
            "chain_level": chain.chain_level(level, origin),
            "volume": FULL_VOLUME if bulletin.level == BulletinLevel.EMERGENCY else None,
        }
        insert_deliveries(targets, fields, rank)


def send_now(*, actor, now=None, **fields) -> Bulletin:
    """Create and broadcast in one step (the API's and the composer's "send now").

    The speech is rendered first; saving and broadcasting are then one transaction: nothing half-sent.
    """
    bulletin, units, clusters = prepare_bulletin(actor=actor, now=now, **fields)
    with transaction.atomic():
        save_prepared(bulletin, units, clusters)
        broadcast(bulletin, actor=actor, now=now)
    bulletin.refresh_from_db()
    return bulletin


def _stop_deliveries(bulletin: Bulletin, state: str) -> list[int]:
    deliveries = Delivery.objects.filter(bulletin=bulletin, state__in=OPEN_DELIVERY_STATES)
    # Lock the rows by primary key before the UPDATE (which locks them in whatever order it scans): the
    # bridge's record_events() locks bulletin then deliveries in this same order, so neither waits in a cycle.
    locked = list(deliveries.select_for_update(no_key=True).order_by("pk").values_list("pk", "cluster_id"))
    Delivery.objects.filter(pk__in=[pk for pk, _c in locked]).update(state=state)
    return sorted({cluster_id for _pk, cluster_id in locked})


@transaction.atomic
def cancel(bulletin: Bulletin, *, actor, now=None) -> int:
    """Stop the bulletin everywhere: the next playlist of each cluster no longer has it (devices stop at once)."""
    now = now or timezone.now()
    require(actor, "radio.cancel_bulletin", bulletin)
    # NO KEY: the bridge's play-log rows point at this bulletin and take a key-share lock on it at
    # commit; a plain FOR UPDATE deadlocked with them while this waited for their delivery rows.
    bulletin = Bulletin.objects.select_for_update(no_key=True).get(pk=bulletin.pk)
    if not bulletin.is_open:
        raise ValidationError(_("This bulletin has already ended."))
    cluster_ids = _stop_deliveries(bulletin, DeliveryState.CANCELLED)
    enqueue_playlists(cluster_ids)
    bulletin.status = BulletinStatus.CANCELLED
    bulletin.cancelled_at = now
    bulletin.cancelled_by = actor
    bulletin.save()
    return len(cluster_ids)


@transaction.atomic
def set_position(bulletin: Bulletin, *, actor, position: int) -> Bulletin:
    """The commune's order among clashing priority bulletins (Circular 39); re-ranks what is still to play."""
    require(actor, "radio.change_bulletin", bulletin)
    bulletin.position = position
    bulletin.full_clean(exclude=["unit", "audio", "fallback"])
    if not 0 <= position <= chain.MAX_POSITION:
        raise ValidationError({"position": [_("The order must be between 0 and 99.")]})
    bulletin.save()
    rerank(Delivery.objects.filter(bulletin=bulletin, state__in=OPEN_DELIVERY_STATES))
    return bulletin


def rerank(deliveries) -> None:
    """Recompute ranks (after a commune changed its order or its policy) and republish the playlists."""
    deliveries = list(deliveries.select_related("bulletin__unit", "cluster__unit"))
    commune_first = commune_first_by_cluster({d.cluster for d in deliveries})
    for delivery in deliveries:
        bulletin = delivery.bulletin
        delivery.rank = chain.rank_for(
            chain_input_level(bulletin),
            bulletin.unit.level,
            commune_first=commune_first[delivery.cluster_id],
            position=max(0, min(bulletin.position, chain.MAX_POSITION)),
        )
    Delivery.objects.bulk_update(deliveries, ["rank"])
    enqueue_playlists(d.cluster_id for d in deliveries)


@transaction.atomic
def set_commune_policy(*, actor, unit: Unit, commune_first: bool) -> CommuneRadioPolicy:
    policy = CommuneRadioPolicy.objects.filter(unit=unit).first() or CommuneRadioPolicy(unit=unit)
    require(actor, "radio.change_communeradiopolicy" if policy.pk else "radio.add_communeradiopolicy", policy)
    policy.commune_first = commune_first
    policy.full_clean()
    policy.save()
    clusters = SpeakerCluster.objects.filter(unit__path__startswith=unit.path)
    rerank(Delivery.objects.filter(cluster__in=clusters, state__in=OPEN_DELIVERY_STATES))
    return policy


# --- Time passing: start, extend, expire -----------------------------------------------------


@transaction.atomic
def advance(now=None) -> dict:
    """What the clock does: scheduled bulletins go on air, recurring ones get their next days, old ones expire."""
    now = now or timezone.now()
    started = Bulletin.objects.filter(status=BulletinStatus.SCHEDULED, send_at__lte=now).update(
        status=BulletinStatus.ON_AIR
    )
    extended = sum(_extend(bulletin, now) for bulletin in _recurring_on_air())
    expired = expire(now)
    return {"started": started, "extended": extended, "expired": expired}


def _recurring_on_air():
    open_statuses = (BulletinStatus.SCHEDULED, BulletinStatus.ON_AIR)
    return Bulletin.objects.filter(status__in=open_statuses, recurrence__isnull=False).select_related("unit")


def _extend(bulletin: Bulletin, now) -> int:
    cluster_ids = set(bulletin.deliveries.values_list("cluster_id", flat=True))
    clusters = list(SpeakerCluster.objects.filter(pk__in=cluster_ids).select_related("unit"))
    occurrences = _occurrence_starts(bulletin, bulletin.send_at, after=now, until=now + HORIZON)
    before = bulletin.deliveries.count()
    Delivery.objects.bulk_create(_deliveries(bulletin, clusters, occurrences), ignore_conflicts=True)
    added = bulletin.deliveries.count() - before
    if added:
        enqueue_playlists(cluster_ids)
    return added


def expire(now=None) -> int:
    """Deliveries past their expiry that never finished become expired; so do bulletins past theirs."""
    now = now or timezone.now()
    stale = Delivery.objects.filter(state__in=OPEN_DELIVERY_STATES, expires_at__lte=now)
    stale.update(state=DeliveryState.EXPIRED)
    ended = Bulletin.objects.filter(
        status__in=(BulletinStatus.SCHEDULED, BulletinStatus.ON_AIR), expires_at__lte=now
    ).update(status=BulletinStatus.EXPIRED)
    return ended
