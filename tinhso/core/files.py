"""Stored files: unguessable names, and one way to send a file once a view has checked who may read it.
Every download, stored or made on the fly, names itself through `content_disposition`.

There is no public media folder: every file is served by a view of the object that owns it, after the
reader's scope is checked. With MEDIA_ACCEL_REDIRECT_PREFIX set, nginx sends the bytes from an internal
location (X-Accel-Redirect); otherwise Django streams them."""

import mimetypes
import secrets
import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header

from .text import without_marks

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
    response["Content-Disposition"] = content_disposition(download_name or name.rsplit("/", 1)[-1], inline=inline)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def download_response(content, filename: str, content_type: str, *, inline: bool = False) -> HttpResponse:
    """A file a view has just made (a workbook, a PDF, a calendar entry): saved as `filename`, or shown in
    the browser when `inline`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """Django's RFC 6266 header, and for a name beyond plain ASCII (`Biên bản họp.pdf`) a plain
    `filename="Bien ban hop.pdf"` ahead of Django's `filename*=utf-8''...`: browsers and phones save the
    Vietnamese name, a client that cannot read `filename*` still gets a readable one (RFC 6266, appendix D).
    A slash (`Kế hoạch 12/KH-UBND`), which no saved file can hold and Django would leave unencoded, becomes -;
    letters are composed (NFC), as a name uploaded from a Mac may not be."""
    filename = unicodedata.normalize("NFC", filename.replace("/", "-").replace("\\", "-"))
    header = content_disposition_header(not inline, filename) or "inline"
    disposition, _separator, encoded = header.partition("; ")
    if not encoded.startswith("filename*="):
        return header
    return f'{disposition}; filename="{ascii_name(filename)}"; {encoded}'


def ascii_name(filename: str) -> str:
    """`Bien ban hop.pdf` of `Biên bản họp.pdf`: accents dropped, đ read as d, quotes and controls left out."""
    plain = without_marks(unicodedata.normalize("NFKC", filename))  # ligatures and wide letters read plain too
    return "".join(character for character in plain if " " <= character <= "~" and character not in '"\\')
