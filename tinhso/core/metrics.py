"""Prometheus metrics at /metrics: requests from a middleware, everything else read at scrape time.

Figures that live in the database or the queue (jobs, queue depth, clusters, outbox, deliveries) are
computed when Prometheus asks, by collectors that modules register in `ready()` (`metrics.register(fn)`,
`fn()` yields metric families), so they are right whichever process answers and core knows no module.
Request counters are per process; with several gunicorn workers set PROMETHEUS_MULTIPROC_DIR (see
docs/operations.md) and prometheus_client aggregates them across workers.
"""

import ipaddress
import os
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotFound
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

Collector = Callable[[], Iterable]
COLLECTORS: list[Collector] = []

REQUESTS = Counter("tinhso_http_requests_total", "HTTP requests answered", ["method", "status"])
LATENCY = Histogram(
    "tinhso_http_request_duration_seconds",
    "Time to answer an HTTP request",
    buckets=(0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 5, 10),
)


def register(collector: Collector) -> None:
    if collector not in COLLECTORS:
        COLLECTORS.append(collector)


class _Registered:
    """Adapts the registered functions to prometheus_client's collector protocol."""

    def collect(self):
        for collector in COLLECTORS:
            yield from collector()


def _jobs_and_queue():
    from huey.contrib.djhuey import HUEY

    from .models.jobs import Job

    depth = GaugeMetricFamily("tinhso_queue_depth", "Tasks waiting in the job queue")
    depth.add_metric([], HUEY.pending_count())
    yield depth
    jobs = GaugeMetricFamily("tinhso_jobs", "Background jobs kept (90 days) by status", labels=["status"])
    for status, count in _count_by(Job.objects.all(), "status"):
        jobs.add_metric([status], count)
    yield jobs


def _count_by(queryset, field: str):
    from django.db.models import Count

    return queryset.order_by().values_list(field).annotate(count=Count("pk")).values_list(field, "count")


register(_jobs_and_queue)


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        LATENCY.observe(time.perf_counter() - started)
        REQUESTS.labels(request.method if len(request.method) < 10 else "OTHER", str(response.status_code)).inc()
        return response


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    if token and request.headers.get("Authorization", "") == f"Bearer {token}":
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net, strict=False) for net in settings.METRICS_ALLOWED_NETWORKS)


def metrics_view(request):
    """The Prometheus exposition; for the monitoring network only (404 to anyone else)."""
    if not _allowed(request):
        return HttpResponseNotFound()
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(_Registered())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
