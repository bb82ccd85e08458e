import datetime
import time
import uuid
from urllib.parse import unquote_to_bytes

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .context import ActionContext, _current
from .routers import read_from_primary


class RequestContextMiddleware:
    """Gives every request an id (echoed in the X-Request-ID header) and makes the acting user
    known to the change log for the duration of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _holds_nul(request):
            return _refuse(request, _("The address contains a NUL character; no search or code can hold one."))
        if _form_not_utf8(request):
            return _refuse(
                request, _("The form was not sent as UTF-8, so its text cannot be read. Please type it again.")
            )
        request.id = _incoming_id(request) or uuid.uuid4()
        request.as_of = structure_date(request)
        source = "api" if request.path.startswith("/api/") else "admin" if request.path.startswith("/admin/") else "web"
        token = _current.set(ActionContext(user=_LazyUser(request), request_id=request.id, source=source))
        primary = read_from_primary.set(_recently_wrote(request))
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
            read_from_primary.reset(primary)
        response["X-Request-ID"] = str(request.id)
        return response


def _holds_nul(request) -> bool:
    """A NUL character in the path or the query: no field can hold it (PostgreSQL refuses it outright)."""
    return "\x00" in request.path or any(
        "\x00" in key or "\x00" in value for key, values in request.GET.lists() for value in values
    )


def _form_not_utf8(request) -> bool:
    """A form body whose bytes, once unquoted, are not UTF-8. Django would read it as Latin-1 ("Há»p" for
    "Họp") or put U+FFFD in place of the bytes, and the garbled text would be stored for good."""
    if request.method in ("GET", "HEAD", "OPTIONS") or request.content_type != "application/x-www-form-urlencoded":
        return False
    try:
        unquote_to_bytes(request.body.replace(b"+", b" ")).decode("utf-8")
    except RequestDataTooBig:  # refused by the view as it always was (the API answers 413)
        return False
    except UnicodeDecodeError:
        return True
    return False


def _refuse(request, message: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


PRIMARY_AFTER_WRITE_SECONDS = 10


def _recently_wrote(request) -> bool:
    """Writes, and a session's reads just after it wrote, go to the primary database."""
    session = getattr(request, "session", None)
    now = time.time()
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        if session is not None and session.session_key is not None:  # never start a session for a token client
            session["last_write"] = now
        return True
    return session is not None and now - session.get("last_write", 0) < PRIMARY_AFTER_WRITE_SECONDS


def _incoming_id(request):
    try:
        return uuid.UUID(request.headers.get("X-Request-ID", ""))
    except ValueError:
        return None


class _LazyUser:
    """Resolves the user when the change log asks, after DRF token authentication has run."""

    def __init__(self, request):
        self._request = request

    def _user(self):
        user = getattr(self._request, "user", None)
        return user if getattr(user, "is_authenticated", False) else None

    @property
    def pk(self):
        user = self._user()
        return user.pk if user else None

    def get_username(self):
        user = self._user()
        return user.get_username() if user else ""

    def resolve(self):
        return self._user()


def parse_date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def structure_date(request) -> datetime.date:
    """The day whose administrative structure the user is looking at (today unless chosen)."""
    session = getattr(request, "session", None)
    chosen = parse_date(request.GET.get("as_of")) or parse_date(session.get("as_of") if session else None)
    return chosen or timezone.localdate()
