"""Stored files: unguessable names, and one way to send a file once a view has checked who may read it.

There is no public media folder: every file is served by a view of the object that owns it, after the
reader's scope is checked. With MEDIA_ACCEL_REDIRECT_PREFIX set, nginx sends the bytes from an internal
location (X-Accel-Redirect); otherwise Django streams them."""

import mimetypes
import secrets
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.deconstruct import deconstructible


@deconstructible
class UnguessableName:
    """`upload_to` giving `<folder>/<year>/<month>/<random>.<suffix>`: a name nobody can guess from the
    original file name, the date or the number of uploads."""

    def __init__(self, folder: str):
        self.folder = folder.strip("/")

    def __call__(self, instance, filename: str) -> str:
        return f"{self.folder}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}{suffix(filename)}"

    def __eq__(self, other) -> bool:
        return isinstance(other, UnguessableName) and other.folder == self.folder


def suffix(filename: str) -> str:
    """`.pdf` of `Quyết định 12.PDF`; nothing when the name has no plain suffix."""
    _stem, dot, ending = (filename or "").rpartition(".")
    return "." + ending.lower() if dot and ending.isalnum() and len(ending) <= 8 else ""


def stored_file_response(
    name: str, *, content_type: str = "", download_name: str = "", inline: bool = True, storage=None
) -> HttpResponseBase:
    """The file stored under `name`, for a reader the calling view has already checked."""
    storage = storage or default_storage
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    prefix = getattr(settings, "MEDIA_ACCEL_REDIRECT_PREFIX", "")
    response: HttpResponseBase
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(name)
    else:
        response = FileResponse(storage.open(name, "rb"), content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{download_name or name.rsplit("/", 1)[-1]}"'
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
