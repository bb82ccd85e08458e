"""Who sees and who runs a body's meetings.

A person sees a meeting when they are a member (any role, guests included) of its body and the membership had
not ended before the meeting's day — a former member keeps the meetings of their time, not the body's later ones —
or when they hold `meetings.view_meeting` on the body's unit (`restrict`, which follows the unit across a
reorganisation: bodies of merged communes stay in reach of the successor's officers). Everyone else gets 404.
A body is run by its chair and secretary, or by whoever holds `meetings.change_meeting` on its unit.
"""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from tinhso.units.succession import representative_on

from .choices import OFFICER_ROLES
from .models import Body, BodyMember, Document, Meeting


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def visible_meetings(user, permission: str = "meetings.view_meeting"):
    if not _authenticated(user):
        return Meeting.objects.none()
    scoped = Meeting.objects.restrict(user, permission).values("pk")
    return Meeting.objects.filter(Q(pk__in=scoped) | Q(Exists(_member_by_then(user))))


def _member_by_then(user):
    """The user's memberships in the (outer) meeting's body that had not ended before the meeting's day."""
    return BodyMember.objects.filter(body_id=OuterRef("body_id"), user=user).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef("starts_at__date"))
    )


def visible_bodies(user):
    if not _authenticated(user):
        return Body.objects.none()
    scoped = Body.objects.restrict(user, "meetings.view_body").values("pk")
    return Body.objects.filter(Q(pk__in=scoped) | Q(members__user=user)).distinct()


def membership(user, body: Body, day: datetime.date | None = None) -> BodyMember | None:
    if not _authenticated(user):
        return None
    day = day or timezone.localdate()
    return BodyMember.objects.active_on(day).filter(body=body, user=user).order_by("role").first()


def can_manage(user, body: Body) -> bool:
    """The platform (None), the body's chair or secretary today, or an officer of its unit."""
    if user is None:
        return True
    if not _authenticated(user):
        return False
    if user.has_perm("meetings.change_meeting", body):
        return True
    return (
        BodyMember.objects.active_on(timezone.localdate()).filter(body=body, user=user, role__in=OFFICER_ROLES).exists()
    )


def managed_bodies(user):
    """Bodies the user runs (for the create form and the home card)."""
    if not _authenticated(user):
        return Body.objects.none()
    scoped = Body.objects.restrict(user, "meetings.change_meeting").values("pk")
    officer = BodyMember.objects.active_on(timezone.localdate()).filter(user=user, role__in=OFFICER_ROLES)
    return Body.objects.filter(Q(pk__in=scoped) | Q(pk__in=officer.values("body_id"))).distinct()


def may_read_document(user, document: Document) -> bool:
    """Documents follow their access level: members (not guests) for "members"; everyone invited for "guests";
    "public" ones once the meeting's resolution is published, for anyone who can see the meeting."""
    meeting = document.meeting
    if can_manage(user, meeting.body):
        return True
    member = membership(user, meeting.body, timezone.localtime(meeting.starts_at).date()) or membership(
        user, meeting.body
    )
    if document.access == "public" and meeting.records.filter(published=True).exists():
        return True
    if member is None:
        return user is not None and user.has_perm("meetings.view_meeting", meeting.body)
    if document.access == "members":
        return member.role != "guest"
    return True


def unit_standing_for(body: Body, day: datetime.date | None = None):
    """The unit the body serves on `day`: its own, or, after a merger, the successor standing for it
    (the same succession rule as teams and scopes: `representative_on`)."""
    return representative_on(body.unit, day or timezone.localdate())


def chairs_decision(user, decision) -> bool:
    """The work rule for a meeting's decisions: the chair or secretary of the body that decided it, on the day
    of the meeting or today, gives the task (work's manager rule does not apply to them)."""
    if not _authenticated(user):
        return False
    meeting = decision.meeting
    days = {timezone.localtime(meeting.starts_at).date(), timezone.localdate()}
    return any(
        BodyMember.objects.active_on(day).filter(body_id=meeting.body_id, user=user, role__in=OFFICER_ROLES).exists()
        for day in days
    )


def people_for(body: Body, text: str, limit: int = 20) -> list:
    """People a body's officer may add, found by name (accents optional), phone or user name: active accounts
    with a role in the body's unit or below, or already members of a body of that unit. A search shorter than
    two characters finds nobody (no list of everyone)."""
    from django.contrib.auth import get_user_model

    from tinhso.core.text import fold

    text = (text or "").strip()[:100]
    if len(text) < 2:
        return []
    folded = fold(text)
    digits = "".join(ch for ch in text if ch.isdigit()).removeprefix("84").lstrip("0")
    near = Q(role_assignments__unit__path__startswith=body.unit.path) | Q(
        body_memberships__body__unit__path__startswith=body.unit.path
    )
    candidates = get_user_model().objects.filter(near, is_active=True).distinct().order_by("full_name", "username")
    found = []
    for person in candidates.only("pk", "username", "full_name", "phone").iterator():
        if (
            folded in fold(person.full_name or "")
            or folded in person.username.lower()
            or (len(digits) >= 3 and digits in (person.phone or ""))
        ):
            found.append(person)
            if len(found) >= limit:
                break
    return found
