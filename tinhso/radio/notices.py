"""What the radio module tells people, through the platform's one door (tinhso.core.notifications)."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.accounts.models import RoleAssignment
from tinhso.core.notifications import Notice, notify_many, register_kind


def register_kinds() -> None:
    register_kind("radio.cluster_offline", gettext_lazy("Speaker cluster offline"))


def operators_by_cluster(clusters) -> dict[int, list]:
    """Who broadcasts on each cluster's unit or the unit just above (the village head, the commune's radio
    staff); the clusters' units loaded, the role assignments of all of them in one query."""
    units = {cluster.pk: {cluster.unit_id, cluster.unit.parent_id} - {None} for cluster in clusters}
    assignments = RoleAssignment.objects.filter(unit_id__in=set().union(*units.values()), user__is_active=True)
    people_by_unit: dict[int, set] = {}
    for each in assignments.select_related("user"):
        people_by_unit.setdefault(each.unit_id, set()).add(each.user)
    found = {}
    for cluster in clusters:
        people = set().union(*(people_by_unit.get(unit, set()) for unit in units[cluster.pk]))
        found[cluster.pk] = [person for person in people if person.has_perm("radio.broadcast_bulletin", cluster)]
    return found


def clusters_went_offline(clusters) -> None:
    """Tell the operators of each cluster that it went offline: one batch through core notifications however
    many clusters a power cut takes down at once."""
    operators = operators_by_cluster(clusters)
    notify_many([_offline_notice(cluster, operators[cluster.pk]) for cluster in clusters])


def _offline_notice(cluster, operators) -> Notice:
    last_seen = cluster.last_seen_at
    seen = formats.date_format(timezone.localtime(last_seen), "H:i j/n/Y") if last_seen else _("never")
    return Notice(
        operators,
        kind="radio.cluster_offline",
        subject=_("Speaker cluster offline: %(cluster)s") % {"cluster": cluster.name},
        body=_("Last heard from: %(time)s. Bulletins wait for it and play when it is back.") % {"time": seen},
        url=cluster.get_absolute_url(),
        related=cluster,
        # One notice per cluster and outage: the clusters of one batch of statuses share their last-seen time.
        dedupe_key=f"offline-{cluster.pk}-{last_seen.isoformat() if last_seen else 'never'}",
    )
