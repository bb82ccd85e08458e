"""The home card: for an office, the reports waiting and overdue; for a citizen, their latest reports."""

from django.utils import timezone

from .choices import WAITING
from .models import Report

SHOWN = 5


def feedback_card(request) -> dict | None:
    user = request.user
    if not user.is_authenticated:
        return None
    if user.has_perm("feedback.answer_report"):
        waiting = Report.objects.restrict(user, "view").filter(status__in=WAITING)
        today = timezone.localdate()
        return {
            "role": "officer",
            "waiting": waiting.count(),
            "overdue": waiting.filter(deadline__lt=today).count(),
            "reports": list(waiting.select_related("service").order_by("deadline", "pk")[:SHOWN]),
        }
    mine = Report.objects.filter(reporter=user).select_related("service").order_by("-submitted_at", "-pk")
    return {"role": "citizen", "reports": list(mine[:SHOWN])}
