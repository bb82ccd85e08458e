"""Reminders through core's notification service: members not yet answering the day before a meeting, and the
secretary (and chair) of a meeting left unclosed UNCLOSED_DAYS after its end (Decidim). Each reminder carries
a dedupe key, so a rerun of the schedule never tells a person twice."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.notifications import notify
from tinhso.core.text import short_date

from .choices import OFFICER_ROLES, MeetingStatus, NoticeState
from .models import BodyMember, Meeting, Notice

UNCLOSED_DAYS = 3


def meeting_reminders(now: datetime.datetime | None = None) -> int:
    """Returns how many people were reminded."""
    now = now or timezone.now()
    sent = 0
    tomorrow = Meeting.objects.filter(
        status=MeetingStatus.PLANNED, starts_at__gt=now, starts_at__lte=now + datetime.timedelta(days=1)
    )
    for meeting in tomorrow.select_related("body"):
        waiting = Notice.objects.filter(
            meeting=meeting, revision=meeting.sequence, state__in=(NoticeState.DELIVERED, NoticeState.READ)
        ).select_related("user")
        people = [notice.user for notice in waiting]
        if people:
            start = timezone.localtime(meeting.starts_at)
            notify(
                people,
                kind="meetings.notice",
                subject=_("Reminder: %(title)s at %(time)s %(day)s")
                % {"title": meeting.title, "time": start.strftime("%H:%M"), "day": short_date(start.date())},
                body=_("Please confirm or excuse yourself on the meeting page."),
                url=meeting.get_absolute_url(),
                related=meeting,
                dedupe_key=f"remind-{meeting.pk}-{meeting.sequence}",
            )
            sent += len(people)
    unclosed = Meeting.objects.filter(
        status=MeetingStatus.PLANNED, ends_at__lt=now - datetime.timedelta(days=UNCLOSED_DAYS)
    )
    for meeting in unclosed.select_related("body"):
        day = timezone.localtime(meeting.starts_at).date()
        officers = [
            member.user
            for member in BodyMember.objects.active_on(day)
            .filter(body=meeting.body, role__in=OFFICER_ROLES)
            .select_related("user")
        ]
        if officers:
            notify(
                officers,
                kind="meetings.unclosed",
                subject=_("Not closed: %(title)s of %(day)s") % {"title": meeting.title, "day": short_date(day)},
                body=_("Write the minutes and the resolution, then close the meeting."),
                url=meeting.get_absolute_url(),
                related=meeting,
                dedupe_key=f"unclosed-{meeting.pk}-{timezone.localdate(now).isoformat()}",
            )
            sent += len(officers)
    return sent
