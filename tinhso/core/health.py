"""Readiness: every part the platform needs answers, and the long-running processes are alive.

Each check returns None when healthy or a short reason. Foundation checks are here; a module adds its
own in `ready()` (`health.register("bridge", check)`), so core knows no module. The worker and the radio
bridge prove they are alive with heartbeats in the shared cache: the worker through a scheduled task
(which also proves the scheduler), the bridge from its loop.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection

Check = Callable[[], str | None]
CHECKS: dict[str, Check] = {}


def register(name: str, check: Check) -> None:
    CHECKS[name] = check


def beat(name: str) -> None:
    """Record that the process called `name` is alive now."""
    cache.set(f"heartbeat:{name}", time.time(), 24 * 3600)


def heartbeat_age(name: str) -> float | None:
    """Seconds since `name` last beat, or None if it never did (or the cache was emptied)."""
    last = cache.get(f"heartbeat:{name}")
    return None if last is None else max(0.0, time.time() - float(last))


def heartbeat_check(name: str, limit_seconds: int) -> Check:
    def check() -> str | None:
        age = heartbeat_age(name)
        if age is None:
            return "no heartbeat yet"
        return f"last heartbeat {age:.0f} s ago (limit {limit_seconds} s)" if age > limit_seconds else None

    return check


def _database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return None


def _cache() -> str | None:
    cache.set("health:probe", "ok", 30)
    return None if cache.get("health:probe") == "ok" else "the cache did not keep a value"


def _queue() -> str | None:
    from huey.contrib.djhuey import HUEY

    HUEY.pending_count()
    return None


def _storage() -> str | None:
    default_storage.exists("health-probe")
    return None


register("database", _database)
register("cache", _cache)
register("queue", _queue)
register("storage", _storage)
register("worker", heartbeat_check("worker", 150))  # beats every minute from a scheduled task


def run_checks() -> dict[str, str]:
    """{name: "ok" or the reason} for every check not switched off by HEALTH_SKIP."""
    results = {}
    for name, check in CHECKS.items():
        if name in settings.HEALTH_SKIP:
            continue
        try:
            results[name] = check() or "ok"
        except Exception as error:  # a check that raises is a failed check, never a 500
            results[name] = f"{type(error).__name__}: {error}"[:200]
    return results
