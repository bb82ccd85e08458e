"""What of a report may leave the platform: the public text, the answer, the office, the category, the
place and rounded coordinates. Never the reporter's name, phone, e-mail or account, never internal notes."""

import datetime
import decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .choices import PUBLIC_EVENTS
from .models import Report
from .redaction import redact


def public_reports():
    return Report.objects.filter(is_public=True, service__is_public=True)


def rounded(value):
    if value is None:
        return None
    places = settings.FEEDBACK_PUBLIC_COORDINATE_DECIMALS
    return decimal.Decimal(value).quantize(decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)


def local_iso(moment: datetime.datetime | None) -> str:
    """2026-12-04T16:18:00+07:00: ISO 8601 with the province's offset, as Open311 asks."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def expected_at(report: Report) -> datetime.datetime:
    """The end of the deadline's working day (17:00 local time)."""
    return timezone.make_aware(datetime.datetime.combine(report.deadline, datetime.time(17, 0)))


def public_address(report: Report) -> str:
    place = report.place.name if report.place_id else ""
    address = redact(report.address)
    return ", ".join(part for part in (address, place) if part)


def public_events(report: Report):
    return report.events.filter(Q(kind__in=PUBLIC_EVENTS)).order_by("at", "id")
