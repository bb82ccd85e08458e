"""Two-factor authentication (TOTP with django-otp): who must use it, and reading a code.

Required (settings.TWO_FACTOR_REQUIRED, on by default) for superusers, province administrators and every
role that holds a permission a module registered with `require_for_permission()` in its ready() (radio
registers broadcasting: whoever can broadcast can put an emergency on every speaker). Optional for others.

A session counts as verified once the person typed a code (or a backup code) after the password, or
confirmed a new device; the session then carries SESSION_KEY = PASSED. API tokens are issued by password
only to accounts without two-factor; others make a token on their profile page in a verified session.
"""

import base64
import time
from binascii import unhexlify

from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from tinhso.core import qr

from .roles import Role
from .scope import has_permission_somewhere

SESSION_KEY = "two_factor"  # tinhso.core.testing.web_client writes it too (core imports no app)
PASSED = "passed"
NOT_NEEDED = "not-needed"
RECHECK_SECONDS = 300  # a session that did not need it looks again (a role may have been given meanwhile)
PENDING_KEY = "two_factor_pending"  # password accepted, code not yet: {"user", "backend", "login", "next", "at"}
PENDING_SECONDS = 300
ENROL_KEY = "two_factor_secret"  # the secret being enrolled, kept in the session until a code confirms it
TOTP_NAME = "Ứng dụng xác thực"
BACKUP_NAME = "Mã dự phòng"

_required_permissions: set[str] = set()
REQUIRED_ROLES = {Role.PROVINCE_ADMIN}


def require_for_permission(*permissions: str) -> None:
    """Whoever holds one of `permissions` on any unit must use two-factor (called from AppConfig.ready())."""
    _required_permissions.update(permissions)


def required_permissions() -> set[str]:
    return set(_required_permissions)


def must_use(user) -> bool:
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if user.role_assignments.filter(role__in=REQUIRED_ROLES).exists():
        return True
    return any(has_permission_somewhere(user, permission) for permission in _required_permissions)


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def backup_codes_left(user) -> int:
    device = StaticDevice.objects.filter(user=user, name=BACKUP_NAME).first()
    return device.token_set.count() if device else 0


def new_secret() -> str:
    return random_hex(20)


def secret_text(secret_hex: str) -> str:
    """The secret as people type it into an app: base32 in groups of four."""
    text = base64.b32encode(unhexlify(secret_hex)).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def provisioning_url(user, secret_hex: str) -> str:
    return TOTPDevice(user=user, key=secret_hex).config_url


def qr_svg(url: str) -> str:
    """An inline SVG QR code (made here, no outside service sees the secret)."""
    return qr.qr_svg(url, scale=5, border=2, light="#fff")


def clean_code(raw: str) -> str:
    return "".join(ch for ch in (raw or "") if ch.isalnum()).lower()[:32]


def check_new_secret(secret_hex: str, code: str) -> int | None:
    """The time step at which `code` matches a secret being enrolled (one step of clock drift allowed)."""
    code = clean_code(code)
    if not code.isdigit() or len(code) != 6:
        return None
    totp = TOTP(unhexlify(secret_hex))
    totp.time = time.time()
    return totp.t() if totp.verify(int(code), tolerance=1) else None


def matching_device(user, code: str):
    """The device that accepts `code` (a TOTP code, or a backup code that is then used up), or None."""
    code = clean_code(code)
    if not code:
        return None
    if code.isdigit() and len(code) == 6:
        for device in TOTPDevice.objects.filter(user=user, confirmed=True):
            if device.verify_token(code):
                return device
        return None
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return device
    return None


def mark_verified(request, device=None) -> None:
    request.session[SESSION_KEY] = PASSED
    if device is not None:
        request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        request.user.otp_device = device


def session_passed(request) -> bool:
    return request.session.get(SESSION_KEY) == PASSED
