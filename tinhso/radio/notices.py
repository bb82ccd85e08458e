"""What the radio module tells people, through the platform's one door (tinhso.core.notifications)."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.accounts.models import RoleAssignment
from tinhso.core.notifications import notify, register_kind


def register_kinds() -> None:
    register_kind("radio.cluster_offline", gettext_lazy("Speaker cluster offline"))


def operators_of(cluster) -> list:
    """Who broadcasts on the cluster's unit or the unit just above (the village head, the commune's radio staff)."""
    units = [cluster.unit_id, cluster.unit.parent_id]
    assignments = RoleAssignment.objects.filter(unit_id__in=[u for u in units if u], user__is_active=True)
    assignments = assignments.select_related("user")
    people = {each.user for each in assignments}
    return [person for person in people if person.has_perm("radio.broadcast_bulletin", cluster)]


def cluster_went_offline(cluster) -> None:
    last_seen = cluster.last_seen_at
    seen = formats.date_format(timezone.localtime(last_seen), "H:i j/n/Y") if last_seen else _("never")
    notify(
        operators_of(cluster),
        kind="radio.cluster_offline",
        subject=_("Speaker cluster offline: %(cluster)s") % {"cluster": cluster.name},
        body=_("Last heard from: %(time)s. Bulletins wait for it and play when it is back.") % {"time": seen},
        url=cluster.get_absolute_url(),
        related=cluster,
        dedupe_key=f"offline-{last_seen.isoformat() if last_seen else 'never'}",
    )
