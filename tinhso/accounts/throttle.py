"""Login throttling that stops guessing without letting anyone lock a province out.

Failures are counted three ways within LOGIN_FAILURE_WINDOW seconds:
  - one login name from one address: LOGIN_FAILURE_LIMIT (a person mistyping, or a guesser);
  - one address, any names: LOGIN_ADDRESS_FAILURE_LIMIT (one machine trying many accounts);
  - one login name, any address: LOGIN_ACCOUNT_FAILURE_LIMIT (guessing spread over many machines).
An attacker elsewhere therefore cannot lock a person out at their own address below the last, much
higher limit. The address is the client's, read through the configured trusted proxies
(TRUSTED_PROXIES), so people behind the documented nginx are not all one address. An officer lifts
a lockout by moving the account's counters to a new generation (lift_lockout).
"""

import hashlib
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache


def _login_key(login: str) -> str:
    name = (login or "").strip().lower()
    if any(ch.isdigit() for ch in name) and not any(ch.isalpha() for ch in name):
        name = "".join(ch for ch in name if ch.isdigit()).removeprefix("84").lstrip("0")  # one phone, many spellings
    return hashlib.sha256(name.encode()).hexdigest()[:32]


def _generation(name: str) -> int:
    return int(cache.get(f"login-generation:{name}") or 0)


def _limits(login: str, address: str) -> list[tuple[str, int]]:
    name = _login_key(login)
    generation = _generation(name)
    return [
        (f"login-failures:pair:{name}:{generation}:{address or '-'}", settings.LOGIN_FAILURE_LIMIT),
        (f"login-failures:ip:{address or '-'}", settings.LOGIN_ADDRESS_FAILURE_LIMIT),
        (f"login-failures:name:{name}:{generation}", settings.LOGIN_ACCOUNT_FAILURE_LIMIT),
    ]


@lru_cache(maxsize=8)
def _networks(trusted: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in trusted)


def _is_trusted(address: str) -> bool:
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(request) -> str:
    """The address of the person, not of our own proxy.

    REMOTE_ADDR is believed unless it is a trusted proxy; then X-Forwarded-For is read from the right,
    skipping trusted proxies, and the first other address is the client's (anything left of it was
    written by the client and proves nothing).
    """
    if request is None:
        return ""
    address = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted(address):
        return address
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for hop in reversed(forwarded):
        if not _is_trusted(hop):
            return hop if _is_address(hop) else address
        address = hop
    return address


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def is_locked(login: str, address: str) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _limits(login, address))


def record_failure(login: str, address: str) -> None:
    locked = False
    for key, limit in _limits(login, address):
        cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:
            count = 1
            cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW)
        locked = locked or count >= limit
    if locked:  # remembered per login name so that an officer sees it and can lift it
        cache.set(_locked_key(login), True, settings.LOGIN_FAILURE_WINDOW)


def _locked_key(login: str) -> str:
    name = _login_key(login)
    return f"login-locked:{name}:{_generation(name)}"


def was_locked(login: str) -> bool:
    """Whether this login name was locked somewhere within the window (and not lifted since)."""
    return bool(cache.get(_locked_key(login)))


def clear_failures(login: str, address: str = "") -> None:
    """A successful login forgets that person's failures from that address."""
    cache.delete(_limits(login, address)[0][0])


def lift_lockout(login: str) -> None:
    """Every counter of this login name starts again from zero, at every address."""
    name = _login_key(login)
    key = f"login-generation:{name}"
    cache.add(key, 0, None)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, None)


def lift_address_lockout(address: str) -> None:
    cache.delete(f"login-failures:ip:{address or '-'}")


def _count(key: str, window: int) -> int:
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:
        cache.set(key, 1, window)
        return 1


def allow_password_reset_from(address: str) -> bool:
    """Password-reset requests from one client address (counted whether or not the e-mail is known)."""
    key = f"password-reset:ip:{address or '-'}"
    return _count(key, settings.PASSWORD_RESET_WINDOW) <= settings.PASSWORD_RESET_ADDRESS_LIMIT


def allow_password_reset_to(email: str) -> bool:
    """Reset mails to one e-mail address: beyond the limit nothing is sent (the page says the same)."""
    name = hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:32]
    return _count(f"password-reset:email:{name}", settings.PASSWORD_RESET_WINDOW) <= settings.PASSWORD_RESET_EMAIL_LIMIT


def allow_registration_from(address: str) -> bool:
    """Registration attempts from one client address (counted whether or not they succeed)."""
    key = f"registration:ip:{address or '-'}"
    return _count(key, settings.REGISTRATION_WINDOW) <= settings.REGISTRATION_ADDRESS_LIMIT


def _phone_code_keys(phone: str, address: str) -> list[str]:
    number = hashlib.sha256((phone or "").encode()).hexdigest()[:32]
    return [f"phone-code:phone:{number}", f"phone-code:ip:{address or '-'}"]


def phone_code_refusal(phone: str, address: str) -> str:
    """Whether a code may be sent to `phone` at the request of `address`: "" yes (and counted), "too_soon" within
    PHONE_CODE_RESEND_SECONDS of the number's last one, "too_many" beyond PHONE_CODE_HOURLY_LIMIT in an hour for
    the number or PHONE_CODE_ADDRESS_HOURLY_LIMIT for the address (so neither one number nor one machine can make
    the gateway bomb anyone). The minute apart is the number's only: a commune hall's one connection registers
    several people a minute."""
    number_key, address_key = _phone_code_keys(phone, address)
    if cache.get(f"{number_key}:recent"):
        return "too_soon"
    limits = ((number_key, settings.PHONE_CODE_HOURLY_LIMIT), (address_key, settings.PHONE_CODE_ADDRESS_HOURLY_LIMIT))
    if any((cache.get(f"{key}:hour") or 0) >= limit for key, limit in limits):
        return "too_many"
    cache.set(f"{number_key}:recent", True, settings.PHONE_CODE_RESEND_SECONDS)
    for key, _limit in limits:
        _count(f"{key}:hour", 3600)
    return ""
