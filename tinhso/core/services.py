"""Core's write path for what people start from any module's pages (background exports)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from . import exports
from .jobs import start_job
from .models import Job


@transaction.atomic
def start_export(*, actor, view, export_format: str, rows: int) -> Job:
    """A list export too big for the request becomes a job of `actor`; the file is theirs alone."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Log in to export."))
    request = view.request
    query = request.GET.copy()
    query.pop(view.export_trigger_param, None)
    title = _("Export %(list)s (%(format)s, %(rows)s rows)") % {
        "list": view.get_export_filename(export_format),
        "format": export_format.upper(),
        "rows": f"{rows:,}".replace(",", "."),
    }
    parameters = {
        "view": exports.view_path(view),
        "kwargs": {key: str(value) for key, value in view.kwargs.items()},
        "path": request.path,
        "query": query.urlencode(),
        "format": export_format,
        "as_of": request.as_of.isoformat(),
    }
    # The export link is a GET: a second click (or a page that makes the browser follow it) while the same
    # export is still waiting or running gets that job, not another one.
    for waiting in Job.objects.filter(kind=exports.KIND, created_by=actor, status__in=("queued", "running")):
        if all(waiting.parameters.get(key) == value for key, value in parameters.items()):
            return waiting
    return start_job(kind=exports.KIND, title=title, actor=actor, parameters=parameters)
