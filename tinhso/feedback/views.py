from django.db.models import Q
from django.http import Http404, HttpResponse

from tinhso.core.files import stored_file_response

from .models import Photo, Report


def visible_reports(user):
    """The reports `user` may open: those routed to their units, and their own (sent or filed for someone)."""
    if not user.is_authenticated:
        return Report.objects.none()
    scoped = Report.objects.restrict(user, "view").values("pk")
    return Report.objects.filter(Q(pk__in=scoped) | Q(reporter=user.pk) | Q(assisted_by=user.pk))


def home(request):
    return HttpResponse("")


def report_detail(request, pk):
    return HttpResponse("")


def photo(request, pk):
    found = Photo.objects.filter(pk=pk, report__in=visible_reports(request.user)).first()
    if found is None:
        raise Http404
    return stored_file_response(found.image.name, content_type="image/jpeg")
