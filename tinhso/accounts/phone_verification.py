"""Proving that a phone number is yours: a 6-digit code sent by SMS through core's notification senders.

Only an HMAC of the code is stored (PhoneCode.code_hash); a code lives CODE_LIFETIME, dies after
MAX_WRONG_TRIES wrong tries, and a new one replaces it. How often codes go out is limited in the cache
(throttle.phone_code_refusal). The writes are in services.py (send_phone_code, verify_phone).
"""

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from tinhso.core.notifications.senders import sender_for

from .models import User

CODE_LIFETIME = datetime.timedelta(minutes=10)
MAX_WRONG_TRIES = 5
KIND = "accounts.phone_code"


def lifetime_minutes() -> int:
    """CODE_LIFETIME in whole minutes, as the SMS and the code page tell it."""
    return int(CODE_LIFETIME.total_seconds() // 60)


def is_available() -> bool:
    """Codes can be sent: an SMS sender is configured (the console one in development, a gateway in production)."""
    return sender_for("sms") is not None


def is_required() -> bool:
    """Contests take part only with a verified phone (PHONE_VERIFICATION_REQUIRED, and codes can be sent)."""
    return bool(settings.PHONE_VERIFICATION_REQUIRED) and is_available()


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def code_hash(user_id: int, phone: str, code: str) -> str:
    return salted_hmac("tinhso.accounts.phone_code", f"{user_id}:{phone}:{code}", algorithm="sha256").hexdigest()


def code_matches(row, code: str) -> bool:
    return constant_time_compare(code_hash(row.user_id, row.phone, code), row.code_hash)


def latest_code(user):
    return user.phone_codes.order_by("-created_at", "-pk").first() if user.pk else None


def number_to_verify(user) -> str:
    """The number this person is to prove: their own when not verified yet, else the one they claim (a number
    another, unverified account holds: their latest code was sent to it); "" when there is nothing to prove."""
    if user.phone:
        return "" if user.phone_verified_at else user.phone
    latest = latest_code(user)
    if latest is None or User.objects.filter(phone=latest.phone, phone_verified_at__isnull=False).exists():
        return ""  # the claimed number was proved by its holder meanwhile: nothing more goes to it
    return latest.phone


def masked(phone: str) -> str:
    """'+84912345678' → '0912 *** 678': enough for the person to recognise, not to read out."""
    digits = "0" + phone.removeprefix("+84") if phone.startswith("+84") else phone
    return f"{digits[:4]} *** {digits[-3:]}" if len(digits) >= 8 else digits


def check_may_take_part(user) -> None:
    """Contests' rule (learning calls it before a new attempt): when verification is required, only a person
    with a verified phone number takes part, so that one phone is one participant."""
    if is_required() and not user.phone_is_verified:
        raise ValidationError(
            _("This contest accepts only verified phone numbers: verify yours on your account page first."),
            code="phone_not_verified",
        )
