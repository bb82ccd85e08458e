"""The plans card of the home page: reports due and returned, tasks due, reports waiting for approval.

A fixed number of queries whatever the volume: counts in one aggregate each, and a short list of the nearest
reports to fill in.
"""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from .choices import EDITABLE_REPORT_STATUSES, ReportStatus
from .models import Report, Task

SOON_DAYS = 7
SHOWN = 5
HEADLINE = 4


def plans_card(request) -> dict | None:
    user = request.user
    enters = user.has_perm("plans.change_report")
    approves = user.has_perm("plans.approve_report")
    sees_tasks = user.has_perm("plans.view_task")
    if not (enters or approves or sees_tasks):
        return None
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=SOON_DAYS)
    card: dict = {"today": today, "soon_days": SOON_DAYS, "can_approve": approves, "can_enter": enters}
    if enters:
        to_fill = Report.objects.restrict(user, "change").filter(status__in=EDITABLE_REPORT_STATUSES)
        card.update(
            to_fill.aggregate(
                reports_due=Count("pk", filter=Q(due_date__gte=today, due_date__lte=soon)),
                reports_late=Count("pk", filter=Q(due_date__lt=today)),
                reports_returned=Count("pk", filter=Q(status=ReportStatus.RETURNED)),
            )
        )
        card["reports"] = list(
            to_fill.filter(due_date__lte=soon).select_related("unit", "data_set").order_by("due_date", "pk")[:SHOWN]
        )
    if approves:
        # The reports a user approves are those of the units just below theirs (as the "awaiting me" filter).
        visible = Report.objects.restrict(user, "plans.approve_report", path="unit__parent__path")
        card.update(
            visible.aggregate(
                waiting_approval=Count("pk", filter=Q(status=ReportStatus.SUBMITTED)),
                units_late=Count(
                    "unit", distinct=True, filter=Q(status__in=EDITABLE_REPORT_STATUSES, due_date__lt=today)
                ),
            )
        )
        card["headline"], card["headline_period"] = headline_indicators(request)
    if sees_tasks:
        tasks = Task.objects.restrict(user, "view").open()
        card.update(
            tasks.aggregate(
                tasks_late=Count("pk", filter=Q(due_date__lt=today)),
                tasks_due=Count("pk", filter=Q(due_date__gte=today, due_date__lte=soon)),
            )
        )
    return card


def headline_indicators(request) -> tuple[list, object]:
    """The headline indicators of the officer's own unit (as its dashboard computes them), and their period."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    from .dashboard import DashboardBuilder
    from .views.common import place_for

    try:
        place = place_for(request, None)
    except (PermissionDenied, Http404):
        return [], None
    builder = DashboardBuilder(place.structure, place.unit, request.user)
    return builder.headline(HEADLINE), builder.period
