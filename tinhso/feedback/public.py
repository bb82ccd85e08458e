"""The public pages: the list of reports at /phan-anh/ and one page per report, without the reporter's name
or phone (publication.py decides what is shown); photos of public reports."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from tinhso.core.files import stored_file_response

from .choices import Status
from .models import Photo, ServiceCategory
from .publication import public_address, public_events, public_reports, rounded

PAGE_SIZE = 30


def report_list(request):
    reports = public_reports().select_related("service", "routed_to", "place").order_by("-submitted_at", "-id")
    status, code = request.GET.get("status", ""), request.GET.get("service", "")
    if status in Status.values:
        reports = reports.filter(status=status)
    if code:
        reports = reports.filter(service__code=code[:40])
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "statuses": Status.choices,
        "services": ServiceCategory.objects.filter(is_public=True),
        "status": status,
        "service": code,
    }
    return render(request, "feedback/public/list.html", context)


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
        "photos": report.photos.all(),
    }
    return render(request, "feedback/public/report.html", context)


def photo(request, pk):
    found = Photo.objects.filter(pk=pk, report__in=public_reports()).first()
    if found is None:
        raise Http404
    response = stored_file_response(found.image.name, content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response
