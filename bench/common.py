"""Helpers for benchmarks: a fresh database (PostgreSQL when reachable, else SQLite), Django set up
on it, and timing that reports the median and p95 of several runs."""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/test"


def fresh_database(name: str) -> str:
    """Create (or recreate) database `name` and return its URL; SQLite if PostgreSQL is absent."""
    from scripts.reachable import reachable

    base = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES)
    if base.startswith("postgres") and reachable(base):
        import psycopg

        with psycopg.connect(base, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
        return base.replace(urlparse(base).path, f"/{name}")
    return f"sqlite:///{tempfile.mkdtemp()}/{name}.sqlite3"


def setup_django(database_name: str) -> str:
    url = fresh_database(database_name)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return url


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 for p95) of `values`; NaN when there are none."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def measure(action, runs: int = 15, warmup: int = 2) -> dict:
    for _ in range(warmup):
        action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    ordered = sorted(times)
    return {
        "runs": runs,
        "median_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
        "min_ms": ordered[0],
        "max_ms": ordered[-1],
    }


def report(title: str, figures: dict, **volume) -> None:
    details = ", ".join(f"{key}={value}" for key, value in volume.items())
    print(
        f"{title}: median {figures['median_ms']:.1f} ms, p95 {figures['p95_ms']:.1f} ms "
        f"(min {figures['min_ms']:.1f}, max {figures['max_ms']:.1f}; {figures['runs']} runs; {details})"
    )


def count_queries(action) -> int:
    """SQL statements one call of `action` executes (counted at the driver, across requests)."""
    from django.db import connection

    executed = []

    def counter(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        action()
    return len(executed)
