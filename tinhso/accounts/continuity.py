"""Reform continuity for people: a role held on a unit that ended in a reorganisation follows the unit's
primary successor from the day after the end. The role on the old unit is kept, ended (`valid_to`), so the
history of who served where stays; the role on the successor records what it `continues`.

Called by the services (a role given on an ended unit), by the data migration for existing roles, by the
demo, and by units' `units_succeeded` signal when a succession is recorded (units knows no people).
"""

import datetime

from django.db import transaction
from django.dispatch import receiver

from tinhso.units.signals import units_succeeded
from tinhso.units.succession import primary_successor

from .models import RoleAssignment
from .scope import forget_cached_scope


@transaction.atomic
def follow_successions(assignment: RoleAssignment) -> list[RoleAssignment]:
    """Carry `assignment` across every reorganisation its unit went through; returns the roles created."""
    created: list[RoleAssignment] = []
    seen: set[int] = set()
    current = assignment
    while current.unit.valid_to is not None and current.unit_id not in seen:
        seen.add(current.unit_id)
        successor = primary_successor(current.unit)
        if successor is None:
            break
        end = current.unit.valid_to
        if current.valid_to is None or current.valid_to > end:
            current.valid_to = end
            current.save(update_fields=["valid_to", "updated_at"])
        following = RoleAssignment.objects.filter(user_id=current.user_id, role=current.role, unit=successor).first()
        if following is None:
            following = RoleAssignment(
                user_id=current.user_id,
                role=current.role,
                unit=successor,
                include_descendants=current.include_descendants,
                valid_from=max(end + datetime.timedelta(days=1), successor.valid_from),
                continues=current,
            )
            following.save()
            created.append(following)
        current = following
    if created or assignment.valid_to is not None:
        forget_cached_scope(assignment.user)
    return created


def follow_all_successions(unit=None) -> int:
    """Every open role on ended units (of `unit` only, when given); returns how many roles were created."""
    open_roles = RoleAssignment.objects.filter(unit__valid_to__isnull=False, valid_to__isnull=True)
    if unit is not None:
        open_roles = open_roles.filter(unit=unit)
    return sum(len(follow_successions(assignment)) for assignment in open_roles.select_related("unit", "user"))


@receiver(units_succeeded)
def _units_succeeded(sender, predecessors, **kwargs):
    ended = [unit.pk for unit in predecessors if unit.valid_to is not None]
    if not ended:
        return
    open_roles = RoleAssignment.objects.filter(unit_id__in=ended, valid_to__isnull=True).select_related("unit", "user")
    for assignment in open_roles:
        follow_successions(assignment)
