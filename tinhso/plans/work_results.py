"""What plans tells work about a body's results: the share of the plan tasks it leads, due in the period,
completed by their due date. Work scores the body's head on it (`tinhso.work.unit_results`)."""

from decimal import Decimal

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from .choices import TaskStatus
from .models import Task


def plan_task_results(organisation_ids: list[int], period) -> dict[int, tuple[Decimal, str]]:
    rows = (
        Task.objects.filter(
            owner_organisation_id__in=organisation_ids,
            due_date__gte=period.start,
            due_date__lte=period.end,
        )
        .exclude(status__in=(TaskStatus.DRAFT, TaskStatus.CANCELLED))
        .values("owner_organisation_id")
        .annotate(
            due=Count("pk"),
            done=Count("pk", filter=Q(status=TaskStatus.COMPLETED, completed_on__lte=F("due_date"))),
        )
        .order_by()
    )
    return {
        row["owner_organisation_id"]: (
            Decimal(row["done"]) / row["due"],
            _("%(done)s of %(due)s plan tasks due completed on time") % row,
        )
        for row in rows
        if row["due"]
    }
