"""List exports that are too big for a request run as background jobs (one mechanism for every list page).

ObjectListView answers `?export=csv|xlsx` in the request up to settings.EXPORT_INLINE_MAX_ROWS rows. Above,
it starts a "core.export" job (tinhso.core.services.start_export) and sends the person to /jobs/<id>/, where
progress shows and, when done, a download link that only the starter can use (/jobs/<id>/download/).

The worker renders the very same view, for the same person, filters and structure date, so the file is
what the page would have given; only the rows the person may see are in it.
"""

import datetime
import secrets
from importlib import import_module
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails
from django_tables2.export import TableExport
from tablib import Dataset

from .jobs import job_handler

KIND = "core.export"
FOLDER = "exports"
CONTENT_TYPES = {fmt: TableExport.FORMATS[fmt] for fmt in ("csv", "xlsx")}


def view_path(view) -> str:
    cls = type(view)
    return f"{cls.__module__}.{cls.__qualname__}"


def _view_class(path: str):
    """The list view a job rebuilds; only views that declare `exports_as_job` (core's ObjectListView and its
    subclasses) are taken, so a job's stored path can name nothing else."""
    module_name, _dot, name = path.rpartition(".")
    if not module_name.startswith("tinhso."):
        raise ValidationError(_("This list cannot be exported."))
    try:
        cls = getattr(import_module(module_name), name)
    except (ImportError, AttributeError) as error:
        raise ValidationError(_("This list cannot be exported.")) from error
    if not (isinstance(cls, type) and getattr(cls, "exports_as_job", False) is True):
        raise ValidationError(_("This list cannot be exported."))
    return cls


class _Collected(Exception):
    def __init__(self, table):
        self.table = table


def _table_of(job):
    """The table the list page shows its starter, with every row (not one page), built by the view itself."""
    user = job.created_by
    if user is None or not user.is_active:
        raise PermissionDenied(_("The person who asked for this export cannot read the list any more."))
    parameters = job.parameters
    cls = _view_class(parameters["view"])
    query = QueryDict(parameters.get("query", ""), mutable=True)
    query["export"] = parameters["format"]
    request: Any = RequestFactory().get(parameters.get("path", "/"), data=query)
    request.user = user
    request.as_of = datetime.date.fromisoformat(parameters["as_of"])  # what the middleware sets on a page
    request.htmx = HtmxDetails(request)
    request.id = job.request_id
    view = cls()
    view.setup(request, **parameters.get("kwargs", {}))
    view.collect_export = True
    try:
        view.get(request, **parameters.get("kwargs", {}))
    except _Collected as collected:
        return collected.table, view
    raise ValidationError(_("This list cannot be exported."))


def collect(table):
    """Called by ObjectListView.create_export in the worker: hand the table over instead of answering."""
    raise _Collected(table)


@job_handler(KIND)
def export_list(job, progress) -> dict:
    export_format = job.parameters["format"]
    if export_format not in CONTENT_TYPES:
        raise ValidationError(_("Unknown export format."))
    table, view = _table_of(job)
    total = len(table.rows)
    progress(0, total, _("Writing rows"))
    dataset = Dataset(**(view.get_dataset_kwargs() or {}))
    for index, row in enumerate(table.as_values(exclude_columns=view.exclude_columns)):
        if index == 0:
            dataset.headers = row
            continue
        dataset.append(row)
        if index % 500 == 0:
            progress(index, total)
    progress(total, total)
    content = dataset.export(export_format)
    data = content.encode("utf-8") if isinstance(content, str) else content  # as the page's own CSV
    name = default_storage.save(
        f"{FOLDER}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}.{export_format}", ContentFile(data)
    )
    download_name = view.get_export_filename(export_format)
    return {
        "file": name,
        "file_name": download_name,
        "content_type": CONTENT_TYPES[export_format],
        "rows": total,
        "message": _("%(rows)s rows are ready to download.") % {"rows": f"{total:,}".replace(",", ".")},
    }
