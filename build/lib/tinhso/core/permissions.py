"""Permission checks used by every service (the one write path)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require(actor, permission: str, obj=None) -> None:
    """Raise PermissionDenied unless `actor` holds `permission` (on `obj`'s unit when given).

    `actor=None` means the platform itself (a migration, a seed, a scheduled job).
    """
    if actor is None:
        return
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(_("You do not have permission to do this for this administrative unit."))
