"""Reminders before the due date and on overdue, through core's notification service (the one door for
messages). Each reminder carries a dedupe key so a rerun of the schedule never tells a person twice."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.notifications import notify
from tinhso.core.text import short_date

from .choices import OPEN_STATUSES
from .models import WorkItem

REMIND_DAYS_BEFORE = 2


def due_reminders(today: datetime.date | None = None) -> int:
    """Tell each assignee of open work due in REMIND_DAYS_BEFORE days, or overdue; returns messages sent."""
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=REMIND_DAYS_BEFORE)
    items = WorkItem.objects.filter(status__in=OPEN_STATUSES, due_date__lte=soon).select_related("assignee")
    sent = 0
    for item in items.iterator(chunk_size=2000):
        overdue = item.due_date < today
        kind = "work.overdue" if overdue else "work.due_soon"
        subject = (_("Overdue: %(title)s") if overdue else _("Due %(day)s: %(title)s")) % {
            "title": item.title[:120],
            "day": short_date(item.due_date),
        }
        body = _("“%(title)s” is due on %(day)s.") % {"title": item.title, "day": short_date(item.due_date)}
        notify(
            [item.assignee],
            kind=kind,
            subject=subject,
            body=body,
            url=item.get_absolute_url(),
            related=item,
            urgent=overdue,
            dedupe_key=f"{kind}:{item.pk}:{item.due_date.isoformat()}:{today.isoformat() if overdue else ''}",
        )
        sent += 1
    return sent
