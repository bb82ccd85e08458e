"""Audio files: for devices (HTTP Basic with the cluster's credentials) and for signed-in users (scoped)."""

import base64
import binascii
import re

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.decorators.http import require_GET

from tinhso.core.files import stored_file_response

from ..audio import path_for_checksum
from ..models import Bulletin, Delivery
from ..services import authenticate_device

CHECKSUM = re.compile(r"^[0-9a-f]{64}$")


def _basic_credentials(request) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    kind, _space, encoded = header.partition(" ")
    if kind.lower() != "basic" or not encoded:
        return None
    try:
        username, _colon, password = base64.b64decode(encoded).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return username, password


def _unauthorised() -> HttpResponse:
    response = HttpResponse("Unauthorized", status=401, content_type="text/plain")
    response["WWW-Authenticate"] = 'Basic realm="tinhso-radio", charset="UTF-8"'
    return response


def audio_response(sha256: str) -> HttpResponse:
    """The audio stored under its checksum, for a reader the caller has checked (device or scoped user)."""
    name = path_for_checksum(sha256)
    if not default_storage.exists(name):
        raise Http404(sha256)
    response = stored_file_response(name, content_type="audio/ogg", download_name=f"{sha256[:12]}.ogg")
    response["Cache-Control"] = "private, max-age=31536000, immutable"  # the name is the checksum
    return response


@require_GET
def device_audio(request, sha256: str):
    """A cluster downloads only audio of bulletins delivered to it."""
    credentials = _basic_credentials(request)
    cluster = authenticate_device(*credentials) if credentials else None
    if cluster is None:
        return _unauthorised()
    if not CHECKSUM.match(sha256):
        raise Http404(sha256)
    delivered = Delivery.objects.filter(cluster=cluster).filter(
        Q(bulletin__audio_sha256=sha256) | Q(bulletin__fallback_sha256=sha256)
    )
    if not delivered.exists():
        raise Http404(sha256)
    return audio_response(sha256)


class BulletinAudioView(LoginRequiredMixin, View):
    """The bulletin's audio for people who may see the bulletin (the composer's preview, the detail page)."""

    def get(self, request, pk: int, which: str = "audio"):
        bulletin = get_object_or_404(Bulletin.objects.restrict(request.user), pk=pk)
        sha256 = bulletin.fallback_sha256 if which == "fallback" else bulletin.audio_sha256
        if not sha256:
            raise Http404("no audio")
        return audio_response(sha256)
