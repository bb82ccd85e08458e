"""Login throttling: after LOGIN_FAILURE_LIMIT failures for one login name or one address within
LOGIN_FAILURE_WINDOW seconds, further attempts are refused until the window passes."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(login: str, address: str) -> list[str]:
    name = (login or "").strip().lower()
    if any(ch.isdigit() for ch in name) and not any(ch.isalpha() for ch in name):
        name = "".join(ch for ch in name if ch.isdigit()).removeprefix("84").lstrip("0")  # one phone, many spellings
    digest = hashlib.sha256(name.encode()).hexdigest()[:32]
    return [f"login-failures:name:{digest}", f"login-failures:ip:{address or '-'}"]


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def is_locked(login: str, address: str) -> bool:
    limits = (settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_FAILURE_LIMIT * 4)
    return any((cache.get(key) or 0) >= limit for key, limit in zip(_keys(login, address), limits, strict=True))


def record_failure(login: str, address: str) -> None:
    for key in _keys(login, address):
        cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW)


def clear_failures(login: str) -> None:
    cache.delete(_keys(login, "")[0])
