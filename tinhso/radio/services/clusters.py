"""Speaker clusters and their targets: creating and editing clusters, the sender's unit, who may target what."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts.access import home_unit
from tinhso.core.permissions import require
from tinhso.units.models import Unit

from ..models import SpeakerCluster
from .credentials import set_new_password
from .outbox import enqueue_playlists

CLUSTER_FIELDS = ("name", "latitude", "longitude", "keepalive", "volume", "note")


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
    password = set_new_password(cluster)
    cluster.full_clean()
    cluster.save()
    return cluster, password


@transaction.atomic
def reset_password(cluster: SpeakerCluster, *, actor) -> str:
    require(actor, "radio.reset_password_speakercluster", cluster)
    password = set_new_password(cluster)
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


def sender_unit_for(user) -> Unit | None:
    """The unit a user sends bulletins as: their home unit for adding bulletins (tinhso.accounts.access)."""
    return home_unit(user, "radio.add_bulletin") if user is not None else None


def clusters_for(units, clusters=(), *, day: datetime.date | None = None) -> list[SpeakerCluster]:
    """Every cluster of the target units (and their descendants) that exists today, plus chosen clusters."""
    found = target_clusters(units, clusters, day=day)
    # Only what ranking needs: an emergency loads every cluster of the province.
    return list(found.select_related("unit").only("pk", "unit__path", "unit__level").order_by("pk"))


def target_clusters(units, clusters=(), *, day: datetime.date | None = None):
    """clusters_for as a query (the broadcast writes its rows from it without loading the clusters)."""
    day = day or timezone.localdate()
    condition = Q(pk__in=[cluster.pk for cluster in clusters])
    for unit in units:
        condition |= Q(unit__path__startswith=unit.path)
    valid_units = Unit.objects.valid_on(day).values("pk")
    return SpeakerCluster.objects.filter(condition).filter(Q(unit__in=valid_units) | Q(pk__in=[c.pk for c in clusters]))


def target_problems(actor, units, clusters) -> list[str]:
    if actor is None:
        return []
    outside = [str(unit) for unit in units if not actor.has_perm("radio.broadcast_bulletin", unit)]
    outside += [str(cluster) for cluster in clusters if not actor.has_perm("radio.broadcast_bulletin", cluster)]
    if not outside:
        return []
    return [_("These targets are outside your administrative units: %(names)s.") % {"names": ", ".join(outside)}]
