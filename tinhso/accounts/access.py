"""What other modules may ask accounts about a person's reach (besides `Model.objects.restrict(...)`).

    unit_scope(user, "plans.view_indicator").covers(unit.path)   # in-memory trees (snapshots, charts)
    home_unit(user, "radio.add_bulletin", day)                   # the unit a person works as, on a day

The raw helpers of tinhso.accounts.scope stay inside accounts (a test keeps it so).
"""

import datetime

from django.utils import timezone

from tinhso.units.succession import representative_on

from .roles import role_grants
from .scope import EVERYTHING, NOTHING, UnitScope, user_scope

__all__ = [
    "EVERYTHING",
    "NOTHING",
    "UnitScope",
    "holders_on_unit",
    "holds_on_unit",
    "home_unit",
    "roles_held_on",
    "unit_scope",
]


def unit_scope(user, permission: str) -> UnitScope:
    """The units `user` may act on for `permission`, for checks on trees held in memory: `.covers(path)`."""
    return user_scope(user, permission)


def roles_held_on(user, day: datetime.date) -> list:
    """The user's role assignments in force on `day` (a role on a unit that ended moved to its successor)."""
    if user is None or not user.is_authenticated:
        return []
    return [each for each in user.role_assignments.select_related("unit") if each.is_held_on(day)]


def holds_on_unit(user, permission: str, unit_id: int, day: datetime.date | None = None) -> bool:
    """Whether `user` holds a role granting `permission` on the unit itself (not only on one above it) on `day`;
    a role on a unit that ended counts on its representative (the office of a merged commune answers for it)."""
    day = day or timezone.localdate()
    for assignment in roles_held_on(user, day):
        if not role_grants(assignment.role, permission):
            continue
        standing = representative_on(assignment.unit, day) or assignment.unit
        if unit_id in (assignment.unit_id, standing.pk):
            return True
    return False


def holders_on_unit(permission: str, unit_id: int, day: datetime.date | None = None) -> set:
    """The active people who hold a role granting `permission` on the unit itself on `day` (default today):
    whom to tell about something that arrived at that unit."""
    from .models import RoleAssignment

    day = day or timezone.localdate()
    assignments = RoleAssignment.objects.filter(unit_id=unit_id, user__is_active=True).select_related("user")
    return {each.user for each in assignments if each.is_held_on(day) and role_grants(each.role, permission)}


def home_unit(user, permission: str, day: datetime.date | None = None):
    """The unit `user` works as for `permission` on `day` (default today), or None.

    Among the roles held on the day that grant the permission, the widest unit (then the lowest path); a unit
    that is not valid on the day stands in for its representative on that day (its successor, or before it
    existed its predecessor) when the user's scope covers it, else it is answered as it last stood.
    """
    day = day or timezone.localdate()
    if user is None or not user.is_authenticated:
        return None
    candidates = [each for each in roles_held_on(user, day) if role_grants(each.role, permission)]
    if not candidates:
        return None
    candidates.sort(key=lambda each: (not each.unit.is_valid_on(day), each.unit.depth, each.unit.path))
    scope = user_scope(user, permission)
    for assignment in candidates:
        standing = representative_on(assignment.unit, day)
        if standing is not None and scope.covers(standing.path):
            return standing
    return candidates[0].unit
