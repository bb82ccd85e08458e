"""The public pages: the list of reports at /phan-anh/ and one page per report, without the reporter's name
or phone (publication.py decides what is shown); photos of public reports."""

import datetime
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from tinhso.core.files import stored_file_response

from . import photos
from .choices import PhotoStatus, Status
from .models import Photo, ServiceCategory
from .publication import public_address, public_events, public_reports, rounded

PAGE_SIZE = 30


def _cursor(raw: str) -> tuple[datetime.datetime, int] | None:
    """`20261204T101500123456Z-1234`: the submission time (UTC, microseconds) and id of a row, the seek key
    of the list's order (newest first). Anything else is no cursor (the first page)."""
    moment, _, pk = raw.partition("-")
    try:
        at = datetime.datetime.strptime(moment, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=datetime.UTC)
    except ValueError:
        return None
    return (at, int(pk)) if pk.isdigit() and len(pk) < 12 else None


def _key(report) -> str:
    return report.submitted_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%S%fZ") + f"-{report.pk}"


def _count(reports, status: str, code: str) -> int:
    """The number of matching reports, kept FEEDBACK_PUBLIC_CACHE_SECONDS: counting 100,000 rows on every
    page turn costs more than the page."""
    key = "feedback:public-count:" + hashlib.sha256(f"{status}|{code}".encode()).hexdigest()
    count = cache.get(key)
    if count is None:
        count = reports.count()
        cache.set(key, count, settings.FEEDBACK_PUBLIC_CACHE_SECONDS)
    return count


def report_list(request):
    """Newest first, PAGE_SIZE a page, by seek (keyset) pagination: `?older=<key>` shows the reports after
    that row, `?newer=<key>` those before it; every page is a plain link (bookmarkable, no JavaScript) and
    costs the same however deep (index feedback_report_recent), where OFFSET read all the rows skipped."""
    reports = public_reports()
    status, code = request.GET.get("status", ""), request.GET.get("service", "")
    if status in Status.values:
        reports = reports.filter(status=status)
    else:
        status = ""
    if code:
        code = code[:40]
        reports = reports.filter(service__code=code)
    total = _count(reports, status, code)
    older, newer = _cursor(request.GET.get("older", "")), _cursor(request.GET.get("newer", ""))
    listed = reports.select_related("service", "routed_to", "place")
    rows, has_newer = [], False
    if newer:
        # `submitted_at__gte` beside the OR lets the database walk the index from the cursor on.
        at, pk = newer
        after = Q(submitted_at__gt=at) | Q(submitted_at=at, id__gt=pk)
        rows = list(listed.filter(after, submitted_at__gte=at).order_by("submitted_at", "id")[: PAGE_SIZE + 1])
        has_newer, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE][::-1]
        has_older = True
    if not has_newer:  # no cursor, an older page, or a "newer" that reached the top: the newest first
        if older and not newer:
            at, pk = older
            before = Q(submitted_at__lt=at) | Q(submitted_at=at, id__lt=pk)
            listed = listed.filter(before, submitted_at__lte=at)
        rows = list(listed.order_by("-submitted_at", "-id")[: PAGE_SIZE + 1])
        has_older, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
        has_newer = bool(older and not newer)
    filters = {name: value for name, value in (("status", status), ("service", code)) if value}
    context = {
        "reports": rows,
        "total": total,
        "older_url": "?" + urlencode({**filters, "older": _key(rows[-1])}) if rows and has_older else "",
        "newer_url": "?" + urlencode({**filters, "newer": _key(rows[0])}) if rows and has_newer else "",
        "first_url": "?" + urlencode(filters) if has_newer else "",
        "statuses": Status.choices,
        "services": ServiceCategory.objects.filter(is_public=True),
        "status": status,
        "service": code,
    }
    return render(request, "feedback/public/list.html", context)


def map_page(request):
    """Open public reports counted per rounded cell (no exact point)."""
    from . import maps

    rows = maps.open_points(public_reports())
    title = _("Open reports")
    context = {
        "svg": maps.svg_map(maps.public_points(rows), title=title),
        "count": len(rows),
        "title": title,
        "public": True,
    }
    return render(request, "feedback/map.html", context)


def report_page(request, pk):
    report = public_reports().select_related("service", "routed_to", "place").filter(pk=pk).first()
    if report is None:
        raise Http404
    context = {
        "report": report,
        "address": public_address(report),
        "latitude": rounded(report.latitude),
        "longitude": rounded(report.longitude),
        "events": public_events(report),
        "photos": report.photos.exclude(status__in=(PhotoStatus.UNREADABLE, PhotoStatus.FAILED)),
    }
    return render(request, "feedback/public/report.html", context)


def photo(request, pk):
    found = Photo.objects.filter(pk=pk, report__in=public_reports()).first()
    if found is None or not found.is_ready:
        raise Http404
    response = stored_file_response(photos.copy_name(found, request.GET.get("size", "")), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response
