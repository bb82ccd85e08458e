import time
from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import two_factor

# Pages a person may reach before the second step: logging in or out, enrolling, resetting a password,
# and what is not a page (static files, language switch, health and metrics).
OPEN_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/accounts/password-reset/",
    "/static/",
    "/i18n/",
    "/livez/",
    "/healthz/",
    "/metrics",
)


class TwoFactorMiddleware:
    """A logged-in person who must use two-factor (or has a device) and has not passed it this session is sent
    to type a code, or to enrol when they have no device yet, before anything else. The API answers 403 to
    such a session (token clients are not affected: a token is only issued after the second step)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(OPEN_PREFIXES):
            return self.get_response(request)
        session = request.session
        state = session.get(two_factor.SESSION_KEY)
        if state == two_factor.PASSED:
            return self.get_response(request)
        if (
            state == two_factor.NOT_NEEDED
            and time.time() - session.get("two_factor_at", 0) < two_factor.RECHECK_SECONDS
        ):
            return self.get_response(request)
        has_device = two_factor.has_device(user)
        if not has_device and not two_factor.must_use(user):
            session[two_factor.SESSION_KEY] = two_factor.NOT_NEEDED
            session["two_factor_at"] = time.time()
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("Finish the two-step verification on the login page first.")}, status=403)
        target = reverse("accounts:login_code") if has_device else reverse("accounts:two_factor")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
