"""Who is who on a body's staff list: a user's staff record and the line of managers above a person.

Read by both write paths (`services` for work items, `evaluation` for scores), so neither imports the
other for it: services → evaluation → people, arrows one way.
"""

from .models import StaffMember


def staff_of(user) -> StaffMember | None:
    if user is None or not getattr(user, "pk", None):
        return None
    return StaffMember.objects.select_related("manager", "organisation__unit").filter(user=user).first()


def manages(actor, staff: StaffMember) -> bool:
    """The actor is in the line above `staff` (direct manager, their manager...) or heads the body."""
    if actor is None:
        return True
    chain = {manager.user_id for manager in staff.managers()}
    if actor.pk in chain:
        return True
    return StaffMember.objects.filter(user=actor, organisation=staff.organisation, is_head=True).exists()


def heads_or_keeps_records(user, organisation_id) -> bool:
    """The user heads the body or is its personnel officer."""
    if user is None or not getattr(user, "pk", None):
        return False
    return StaffMember.objects.filter(user=user, organisation_id=organisation_id, is_head=True).exists() or (
        StaffMember.objects.filter(user=user, organisation_id=organisation_id, is_personnel_officer=True).exists()
    )
