"""The one write path of the smart radio: clusters, bulletins, broadcasting, cancelling, device reports, CAP.

Pages, the API, commands and the MQTT bridge all call these functions. Web requests never talk to the
broker: a change that devices must see writes PlaylistOutbox rows in the same transaction, and the bridge
publishes them (see bridge.py).
"""

import base64
import datetime
import hashlib
import hmac
import logging
import secrets

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from tinhso.core.permissions import require
from tinhso.units.models import Unit

from . import audio, chain, schedule
from .choices import BulletinKind, BulletinLevel, BulletinStatus, DeliveryState, PlayEventKind
from .models import (
    Board,
    Bulletin,
    CommuneRadioPolicy,
    Delivery,
    PlayEvent,
    PlaylistOutbox,
    PronunciationEntry,
    SpeakerCluster,
)
from .playlist import HORIZON, OPEN_DELIVERY_STATES, playlists_for

logger = logging.getLogger(__name__)

MAX_TEXT = 5000
EMERGENCY_REPEAT = 3
FULL_VOLUME = 100
# Without an expiry a bulletin stays valid for a day: a cluster that comes back later does not play stale news.
DEFAULT_VALIDITY = datetime.timedelta(days=1)
# One occurrence of a recurring bulletin may be caught up for an hour, then the next one is due anyway.
OCCURRENCE_VALIDITY = datetime.timedelta(hours=1)
FINAL_DELIVERY_STATES = (DeliveryState.PLAYED, DeliveryState.CANCELLED, DeliveryState.EXPIRED, DeliveryState.FAILED)
CLUSTER_FIELDS = ("name", "latitude", "longitude", "keepalive", "volume", "note")
BULLETIN_FIELDS = (
    "title",
    "text",
    "level",
    "voice",
    "rate",
    "chime",
    "send_at",
    "recurrence",
    "expires_at",
    "repeat",
    "position",
    "stream_url",
)
MOSQUITTO_ITERATIONS = 101


def number(value: int) -> str:
    """1356 -> 1.356 (Vietnamese thousands separator) for messages."""
    return f"{value:,}".replace(",", ".")


# --- Device credentials ----------------------------------------------------------------------


def new_password() -> str:
    return secrets.token_urlsafe(16)


def mosquitto_hash(password: str, *, salt: bytes | None = None, iterations: int = MOSQUITTO_ITERATIONS) -> str:
    """The `$7$` PBKDF2-SHA512 line Mosquitto's password file reads (what mosquitto_passwd writes)."""
    salt = salt or secrets.token_bytes(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations, 64)
    return f"$7${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def matches_mosquitto_hash(password: str, stored: str) -> bool:
    try:
        _empty, kind, iterations, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.pbkdf2_hmac("sha512", password.encode(), base64.b64decode(salt), int(iterations), 64)
    except ValueError:
        return False
    return kind == "7" and hmac.compare_digest(actual, expected)


def authenticate_device(device_id: str, password: str) -> SpeakerCluster | None:
    """The cluster these credentials belong to, or None.

    Checked against the Mosquitto hash: device passwords are 128-bit random secrets, so its few rounds
    suffice, and 1,356 devices downloading an emergency at once must not each cost a slow hash.
    """
    cluster = SpeakerCluster.objects.filter(device_id=device_id).select_related("unit").first()
    if cluster is None or not password or not matches_mosquitto_hash(password, cluster.mosquitto_hash):
        return None
    return cluster


def _set_password(cluster: SpeakerCluster) -> str:
    password = new_password()
    cluster.password_hash = make_password(password)
    cluster.mosquitto_hash = mosquitto_hash(password)
    return password


# --- Clusters --------------------------------------------------------------------------------


def _validate_cluster_unit(unit: Unit) -> None:
    if unit.level not in ("commune", "village"):
        raise ValidationError({"unit": _("A speaker cluster belongs to a commune or a village.")})
    if not unit.is_valid_on(timezone.localdate()):
        raise ValidationError({"unit": _("This administrative unit no longer exists today.")})


@transaction.atomic
def create_cluster(*, actor, unit: Unit, name: str, **extra) -> tuple[SpeakerCluster, str]:
    """A new cluster and its one-time password (shown once; only hashes are kept)."""
    cluster = SpeakerCluster(unit=unit, name=(name or "").strip(), **extra)
    require(actor, "radio.add_speakercluster", cluster)
    _validate_cluster_unit(unit)
    password = _set_password(cluster)
    cluster.full_clean()
    cluster.save()
    return cluster, password


@transaction.atomic
def reset_password(cluster: SpeakerCluster, *, actor) -> str:
    require(actor, "radio.reset_password_speakercluster", cluster)
    password = _set_password(cluster)
    cluster.save(update_fields=["password_hash", "mosquitto_hash", "updated_at"])
    return password


@transaction.atomic
def update_cluster(cluster: SpeakerCluster, *, actor, **changes) -> SpeakerCluster:
    require(actor, "radio.change_speakercluster", cluster)
    unknown = set(changes) - set(CLUSTER_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    volume_changed = "volume" in changes and changes["volume"] != cluster.volume
    for name, value in changes.items():
        setattr(cluster, name, value.strip() if isinstance(value, str) else value)
    cluster.full_clean()
    cluster.save()
    if volume_changed:  # the volume travels in the playlist
        enqueue_playlists([cluster.pk])
    return cluster


# --- Targets and scope -----------------------------------------------------------------------


def sender_unit_for(user) -> Unit | None:
    """The unit a user sends bulletins as: the highest unit where they may add bulletins."""
    from tinhso.accounts.roles import role_grants

    if user is None:
        return None
    today = timezone.localdate()
    assignments = [
        assignment
        for assignment in user.role_assignments.select_related("unit")
        if role_grants(assignment.role, "radio.add_bulletin")
    ]
    # A role held on a unit from before the 2025 reform still counts (scope follows succession); today's first.
    assignments.sort(key=lambda a: (not a.unit.is_valid_on(today), a.unit.depth, a.unit.path))
    return assignments[0].unit if assignments else None


def clusters_for(units, clusters=(), *, day: datetime.date | None = None) -> list[SpeakerCluster]:
    """Every cluster of the target units (and their descendants) that exists today, plus chosen clusters."""
    day = day or timezone.localdate()
    condition = Q(pk__in=[cluster.pk for cluster in clusters])
    for unit in units:
        condition |= Q(unit__path__startswith=unit.path)
    valid_units = Unit.objects.valid_on(day).values("pk")
    found = SpeakerCluster.objects.filter(condition).filter(
        Q(unit__in=valid_units) | Q(pk__in=[c.pk for c in clusters])
    )
    # Only what ranking needs: an emergency loads every cluster of the province.
    return list(found.select_related("unit").only("pk", "unit__path", "unit__level").order_by("pk"))


def _target_problems(actor, units, clusters) -> list[str]:
    if actor is None:
        return []
    outside = [str(unit) for unit in units if not actor.has_perm("radio.broadcast_bulletin", unit)]
    outside += [str(cluster) for cluster in clusters if not actor.has_perm("radio.broadcast_bulletin", cluster)]
    if not outside:
        return []
    return [_("These targets are outside your administrative units: %(names)s.") % {"names": ", ".join(outside)}]


# --- Bulletins: validation and audio ----------------------------------------------------------


def _text_problems(bulletin: Bulletin) -> list[str]:
    length = len(bulletin.text.strip())
    if bulletin.kind == BulletinKind.TEXT and length == 0:
        return [_("Write the text of the bulletin.")]
    if length > MAX_TEXT:
        return [
            _("The text is too long: %(count)s characters, at most %(limit)s.")
            % {"count": number(length), "limit": number(MAX_TEXT)}
        ]
    return []


def _content_problems(bulletin: Bulletin, *, has_upload: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not bulletin.title.strip():
        errors["title"] = [_("Give the bulletin a title.")]
    text = _text_problems(bulletin)
    if text:
        errors["text"] = text
    if bulletin.kind in (BulletinKind.AUDIO, BulletinKind.RECORDING) and not (has_upload or bulletin.audio_sha256):
        errors["audio"] = [_("Choose an audio file or record one.")]
    if bulletin.kind == BulletinKind.RELAY:
        if not bulletin.stream_url:
            errors["stream_url"] = [_("Give the address of the stream to relay.")]
        if not bulletin.expires_at:
            errors["expires_at"] = [_("A relay needs the end of its time window.")]
    return errors


def _validate_bulletin(bulletin: Bulletin, *, actor, units, clusters, now, has_upload=False) -> None:
    errors = _content_problems(bulletin, has_upload=has_upload)
    try:
        schedule.validate_schedule(bulletin.send_at, bulletin.recurrence, bulletin.expires_at, now=now)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if not units and not clusters:
        errors.setdefault("targets", []).append(_("Choose at least one village, commune or speaker cluster."))
    targets = _target_problems(actor, units, clusters)
    if targets:
        errors.setdefault("targets", []).extend(targets)
    try:
        bulletin.full_clean(exclude=["unit", "audio", "fallback", "text", "title"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _render_text(bulletin: Bulletin) -> None:
    try:
        spoken = audio.speak(bulletin)
    except audio.audio_error_types() as error:
        raise ValidationError({"text": [str(error)]}) from error
    _attach(bulletin, spoken)
    bulletin.reading = spoken.text


def _attach(bulletin: Bulletin, spoken) -> None:
    bulletin.audio.name = audio.store(spoken)
    bulletin.audio_sha256 = spoken.sha256
    bulletin.duration = spoken.duration


def _convert_upload(upload, field: str):
    data = upload.read()
    try:
        return audio.convert(data, upload.name or "audio")
    except audio.audio_error_types() as error:
        raise ValidationError({field: [str(error)]}) from error


def render_audio(bulletin: Bulletin, *, upload=None, fallback=None) -> None:
    """Turn the bulletin's content into what devices play: speech, a converted file, or a relay's fallback."""
    if bulletin.kind == BulletinKind.TEXT:
        _render_text(bulletin)
    elif bulletin.kind in (BulletinKind.AUDIO, BulletinKind.RECORDING) and upload is not None:
        _attach(bulletin, _convert_upload(upload, "audio"))
    if bulletin.kind == BulletinKind.RELAY and fallback is not None:
        spoken = _convert_upload(fallback, "fallback")
        bulletin.fallback.name = audio.store(spoken)
        bulletin.fallback_sha256 = spoken.sha256


def _apply_level_defaults(bulletin: Bulletin, *, repeat_given: bool, now) -> None:
    # J-Alert practice: an emergency plays at once, at full volume, three times unless told otherwise.
    if bulletin.level == BulletinLevel.EMERGENCY:
        bulletin.send_at = None if bulletin.send_at is None or bulletin.send_at <= now else bulletin.send_at
        if not repeat_given:
            bulletin.repeat = EMERGENCY_REPEAT


@transaction.atomic
def create_bulletin(
    *,
    actor,
    title: str,
    text: str = "",
    level: str = BulletinLevel.NORMAL,
    targets=(),
    clusters=(),
    unit: Unit | None = None,
    kind: str = BulletinKind.TEXT,
    upload=None,
    fallback=None,
    now=None,
    **fields,
) -> Bulletin:
    """A bulletin ready to broadcast (audio rendered); nothing is sent until broadcast()."""
    now = now or timezone.now()
    unit = unit or sender_unit_for(actor)
    if unit is None:
        raise PermissionDenied(_("You do not have permission to do this for this administrative unit."))
    repeat_given = fields.get("repeat") is not None
    fields = {name: value for name, value in fields.items() if value is not None}
    bulletin = Bulletin(unit=unit, title=(title or "").strip(), text=(text or "").strip(), level=level, kind=kind)
    for name, value in fields.items():
        setattr(bulletin, name, value)
    bulletin.created_by = actor
    require(actor, "radio.add_bulletin", bulletin)
    _apply_level_defaults(bulletin, repeat_given=repeat_given, now=now)
    units, clusters = list(targets), list(clusters)
    _validate_bulletin(bulletin, actor=actor, units=units, clusters=clusters, now=now, has_upload=upload is not None)
    render_audio(bulletin, upload=upload, fallback=fallback)
    bulletin.save()
    bulletin.target_units.set(units)
    bulletin.target_clusters.set(clusters)
    return bulletin


@transaction.atomic
def update_bulletin(
    bulletin: Bulletin, *, actor, targets=None, clusters=None, upload=None, fallback=None, now=None, **changes
):
    """Edit a bulletin not yet broadcast; re-renders the speech when what is said changed."""
    now = now or timezone.now()
    require(actor, "radio.change_bulletin", bulletin)
    if bulletin.status != BulletinStatus.DRAFT:
        raise ValidationError(_("A bulletin already broadcast cannot be edited; cancel it and send a correction."))
    unknown = set(changes) - set(BULLETIN_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    spoken_before = (bulletin.text, bulletin.voice, bulletin.rate, bulletin.chime)
    for name, value in changes.items():
        setattr(bulletin, name, value.strip() if isinstance(value, str) else value)
    units = list(targets) if targets is not None else list(bulletin.target_units.all())
    chosen = list(clusters) if clusters is not None else list(bulletin.target_clusters.all())
    _validate_bulletin(bulletin, actor=actor, units=units, clusters=chosen, now=now, has_upload=upload is not None)
    spoken_changed = spoken_before != (bulletin.text, bulletin.voice, bulletin.rate, bulletin.chime)
    if spoken_changed or upload is not None or fallback is not None:
        render_audio(bulletin, upload=upload, fallback=fallback)
    bulletin.save()
    bulletin.target_units.set(units)
    bulletin.target_clusters.set(chosen)
    return bulletin


# --- Broadcasting ----------------------------------------------------------------------------


def chain_input_level(bulletin: Bulletin) -> str:
    """A relay of normal level takes the relay place of the chain; a priority or emergency relay keeps its level."""
    if bulletin.kind == BulletinKind.RELAY and bulletin.level == BulletinLevel.NORMAL:
        return "relay"
    return bulletin.level


def commune_first_by_cluster(clusters) -> dict[int, bool]:
    """For each cluster, whether its commune chose to play its own priority bulletins first (Circular 39)."""
    ancestor_ids = {pk for cluster in clusters for pk in [*cluster.unit.ancestor_ids, cluster.unit_id]}
    policies = dict(CommuneRadioPolicy.objects.filter(unit_id__in=ancestor_ids).values_list("unit_id", "commune_first"))
    found = {}
    for cluster in clusters:
        own = [*cluster.unit.ancestor_ids, cluster.unit_id]
        found[cluster.pk] = next((policies[pk] for pk in reversed(own) if pk in policies), False)
    return found


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


def enqueue_playlists(cluster_ids) -> None:
    """Ask the bridge to publish these clusters' playlists once the transaction commits."""
    PlaylistOutbox.objects.bulk_create([PlaylistOutbox(cluster_id=pk) for pk in sorted(set(cluster_ids))])


def _prepare_for_air(bulletin: Bulletin, *, actor, now) -> list[SpeakerCluster]:
    if bulletin.status != BulletinStatus.DRAFT:
        raise ValidationError(_("This bulletin has already been broadcast."))
    units, chosen = list(bulletin.target_units.all()), list(bulletin.target_clusters.all())
    _validate_bulletin(bulletin, actor=actor, units=units, clusters=chosen, now=now)
    if bulletin.kind != BulletinKind.RELAY and not bulletin.audio_sha256:
        render_audio(bulletin)
    clusters = clusters_for(units, chosen)
    if not clusters:
        raise ValidationError({"targets": [_("There is no speaker cluster in the chosen targets.")]})
    return clusters


@transaction.atomic
def broadcast(bulletin: Bulletin, *, actor, now=None) -> int:
    """Put the bulletin in the playlist of every target cluster; returns how many clusters get it."""
    now = now or timezone.now()
    require(actor, "radio.broadcast_bulletin", bulletin)
    bulletin = Bulletin.objects.select_for_update(no_key=True).select_related("unit").get(pk=bulletin.pk)
    clusters = _prepare_for_air(bulletin, actor=actor, now=now)
    start = bulletin.send_at or now
    bulletin.send_at = start
    bulletin.expires_at = bulletin.expires_at or start + DEFAULT_VALIDITY
    occurrences = _occurrence_starts(bulletin, start, after=now - OCCURRENCE_VALIDITY, until=now + HORIZON)
    Delivery.objects.bulk_create(_deliveries(bulletin, clusters, occurrences))
    enqueue_playlists(cluster.pk for cluster in clusters)
    bulletin.status = BulletinStatus.ON_AIR if start <= now else BulletinStatus.SCHEDULED
    bulletin.broadcast_at = now
    bulletin.save()
    return len(clusters)


@transaction.atomic
def send_now(*, actor, now=None, **fields) -> Bulletin:
    """Create and broadcast in one step (the API's and the composer's "send now")."""
    bulletin = create_bulletin(actor=actor, now=now, **fields)
    broadcast(bulletin, actor=actor, now=now)
    bulletin.refresh_from_db()
    return bulletin


def _stop_deliveries(bulletin: Bulletin, state: str) -> list[int]:
    deliveries = Delivery.objects.filter(bulletin=bulletin, state__in=OPEN_DELIVERY_STATES)
    cluster_ids = list(deliveries.values_list("cluster_id", flat=True).distinct())
    deliveries.update(state=state)
    return cluster_ids


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


# --- What devices report ---------------------------------------------------------------------


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
    SpeakerCluster.objects.filter(pk=cluster.pk).update(is_online=False, playing=None)
    cluster.refresh_from_db()
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


# --- Pronunciation dictionary ----------------------------------------------------------------


@transaction.atomic
def save_pronunciation(*, actor, unit: Unit, written: str, spoken: str, entry=None) -> PronunciationEntry:
    entry = entry or PronunciationEntry(unit=unit)
    require(actor, "radio.change_pronunciationentry" if entry.pk else "radio.add_pronunciationentry", entry)
    entry.written, entry.spoken = (written or "").strip(), (spoken or "").strip()
    if not entry.written or not entry.spoken:
        raise ValidationError(_("Write both the word and how it is read."))
    foreign = _foreign_words(entry.spoken)
    if foreign:
        raise ValidationError(
            {
                "spoken": [
                    _("Not Vietnamese syllables (the speaker could switch language): %(words)s.")
                    % {"words": ", ".join(foreign)}
                ]
            }
        )
    clash = PronunciationEntry.objects.filter(unit=entry.unit, written=entry.written).exclude(pk=entry.pk)
    if clash.exists():
        raise ValidationError({"written": [_("This word is already in the dictionary.")]})
    entry.full_clean()
    entry.save()
    return entry


def _foreign_words(reading: str) -> list[str]:
    """Words espeak-ng would not read as Vietnamese (the speech package decides; none if it is not installed)."""
    try:
        check = getattr(audio.speech_module(), "foreign_words", None)
    except ImportError:
        return []
    return list(check(reading)) if check else []


@transaction.atomic
def delete_pronunciation(entry: PronunciationEntry, *, actor) -> None:
    require(actor, "radio.delete_pronunciationentry", entry)
    entry.delete()


# --- Boards ----------------------------------------------------------------------------------


@transaction.atomic
def create_board(*, actor, unit: Unit, name: str) -> Board:
    board = Board(unit=unit, name=(name or "").strip())
    require(actor, "radio.add_board", board)
    board.full_clean()
    board.save()
    return board


@transaction.atomic
def update_board(board: Board, *, actor, name: str) -> Board:
    require(actor, "radio.change_board", board)
    board.name = (name or "").strip()
    board.full_clean()
    board.save()
    return board


@transaction.atomic
def delete_board(board: Board, *, actor) -> None:
    require(actor, "radio.delete_board", board)
    board.delete()


# --- CAP 1.2 ---------------------------------------------------------------------------------


def _cap_identifiers(references: list[str]) -> list[str]:
    # CAP references are "sender,identifier,sent" triplets.
    return [parts[1] for parts in (reference.split(",") for reference in references) if len(parts) >= 2]


def _cancel_referenced(alert, *, actor, now) -> list[Bulletin]:
    identifiers = _cap_identifiers(alert.references)
    found = Bulletin.objects.filter(cap_identifier__in=identifiers)
    cancelled = []
    for bulletin in found:
        if bulletin.is_open:
            cancel(bulletin, actor=actor, now=now)
            cancelled.append(bulletin)
    return cancelled


def _cap_text(alert) -> str:
    parts = [alert.headline, alert.description, alert.instruction]
    return "\n".join(part.strip() for part in parts if part and part.strip())[:MAX_TEXT]


@transaction.atomic
def import_cap(xml: bytes, *, actor, now=None) -> tuple[Bulletin | None, list[Bulletin]]:
    """A CAP 1.2 alert becomes an emergency on the clusters of the units its area names; a Cancel cancels.

    Returns (the new bulletin or None, the bulletins cancelled). An Update cancels what it corrects and
    broadcasts the correction (J-Alert practice after a false alarm).
    """
    from . import cap

    now = now or timezone.now()
    require(actor, "radio.import_cap_bulletin")
    try:
        alert = cap.parse_cap(xml)
        codes = [] if alert.msg_type == "Cancel" else cap.unit_codes_for(alert)
    except cap.CapError as error:
        raise ValidationError(str(error)) from error
    cancelled = _cancel_referenced(alert, actor=actor, now=now) if alert.msg_type in ("Cancel", "Update") else []
    if alert.msg_type == "Cancel":
        if not cancelled:
            raise ValidationError(_("The CAP cancellation refers to no bulletin on air."))
        return None, cancelled
    units = list(Unit.objects.valid_on(timezone.localdate()).filter(code__in=codes))
    bulletin = create_bulletin(
        actor=actor,
        title=(alert.headline or alert.event or "")[:200],
        text=_cap_text(alert),
        level=BulletinLevel.EMERGENCY,
        targets=units,
        expires_at=alert.expires,
        now=now,
        unit=_cap_sender_unit(actor, units),
    )
    bulletin.cap_identifier, bulletin.cap_sender = alert.identifier, alert.sender
    bulletin.cap_references = list(alert.references)
    bulletin.save()
    broadcast(bulletin, actor=actor, now=now)
    bulletin.refresh_from_db()
    return bulletin, cancelled


def _cap_sender_unit(actor, units) -> Unit | None:
    unit = sender_unit_for(actor)
    if unit is None and units:  # the platform itself imports: the province of the first area sends it
        first = units[0]
        unit = Unit.objects.filter(pk__in=first.ancestor_ids, depth=0).first() or first
    return unit


def export_cap(bulletin: Bulletin) -> bytes:
    from . import cap

    return cap.build_cap(bulletin)
