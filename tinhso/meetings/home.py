"""The meetings card of the home page, for whoever runs a body: the next meeting and the meetings not closed."""

from django.utils import timezone

from .access import managed_bodies
from .choices import MeetingStatus
from .models import Meeting

SHOWN = 3


def meetings_card(request) -> dict | None:
    user = request.user
    if not user.is_authenticated:
        return None
    bodies = list(managed_bodies(user).values_list("pk", flat=True)[:50])
    if not bodies:
        return None
    now = timezone.now()
    planned = Meeting.objects.filter(body_id__in=bodies, status=MeetingStatus.PLANNED).select_related("body")
    return {
        "next": planned.filter(starts_at__gte=now).order_by("starts_at").first(),
        "unclosed": list(planned.filter(ends_at__lt=now).order_by("starts_at")[:SHOWN]),
        "unclosed_count": planned.filter(ends_at__lt=now).count(),
    }
