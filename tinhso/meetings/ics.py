"""The meeting as an iCalendar invitation (RFC 5545/5546) built with the `icalendar` library: times in
Asia/Ho_Chi_Minh with its VTIMEZONE, a UID that never changes, SEQUENCE = the meeting's revision,
METHOD:REQUEST while planned and METHOD:CANCEL once cancelled. Confidential documents are not mentioned."""

import datetime
import zoneinfo

import icalendar
from django.conf import settings
from django.core import signing
from django.utils import timezone

from .choices import MeetingStatus
from .models import Meeting

ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
SALT = "meetings.invite"


def invite_token(meeting: Meeting, user) -> str:
    """A link for one invited person that works without a session (a calendar app cannot log in)."""
    return signing.dumps({"m": meeting.pk, "u": user.pk}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, int] | None:
    try:
        value = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("m"), int) or not isinstance(value.get("u"), int):
        return None
    return value["m"], value["u"]


def invitation(meeting: Meeting, *, url: str = "") -> bytes:
    cancelled = meeting.status == MeetingStatus.CANCELLED
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Tinh So//Meetings//VI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = icalendar.Event()
    event.add("uid", meeting.ical_uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", datetime.datetime.now(datetime.UTC))
    event.add("dtstart", timezone.localtime(meeting.starts_at, ZONE))
    event.add("dtend", timezone.localtime(meeting.ends_at, ZONE))
    event.add("summary", meeting.title)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    location = ", ".join(part for part in (meeting.place, meeting.online_link) if part)
    if location:
        event.add("location", location)
    lines = [meeting.body.name]
    if cancelled and meeting.cancel_reason:
        lines.append(meeting.cancel_reason)
    lines += [f"{item.order}. {item.title}" for item in meeting.agenda.all()]
    event.add("description", "\n".join(lines))
    if url:
        event.add("url", url)
    organiser = getattr(settings, "DEFAULT_FROM_EMAIL", "") or "noreply@tinhso.local"
    event.add("organizer", f"mailto:{organiser}")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
