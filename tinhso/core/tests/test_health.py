"""/healthz/ tells monitoring the truth: every part answers and the long-running processes are alive."""

import time

import pytest
from django.core.cache import cache
from django.test import override_settings

from tinhso.core import health
from tinhso.core.tasks import worker_heartbeat
from tinhso.core.testing import web_client

pytestmark = pytest.mark.django_db


def all_alive():
    for name in ("worker", "bridge"):
        health.beat(name)


def test_everything_alive_answers_ok_with_each_part_listed():
    all_alive()
    response = web_client().get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) >= {"database", "cache", "queue", "storage", "worker", "bridge"}
    assert response["Cache-Control"] == "no-store"


def test_a_worker_that_never_beat_makes_health_fail():
    health.beat("bridge")
    response = web_client().get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == "no heartbeat yet"


def test_the_scheduled_heartbeat_is_what_keeps_the_worker_green():
    health.beat("bridge")
    worker_heartbeat()  # what the scheduler enqueues every minute and a worker runs
    assert web_client().get("/healthz/").status_code == 200


def test_a_bridge_silent_for_thirty_seconds_turns_health_red():
    all_alive()
    cache.set("heartbeat:bridge", time.time() - 30, 3600)
    response = web_client().get("/healthz/")
    assert response.status_code == 503
    assert "30 s ago" in response.json()["checks"]["bridge"]


def test_a_check_that_raises_is_reported_not_a_server_error():
    all_alive()
    health.register("broken", lambda: 1 / 0)
    try:
        response = web_client().get("/healthz/")
    finally:
        health.CHECKS.pop("broken")
    assert response.status_code == 503
    assert response.json()["checks"]["broken"].startswith("ZeroDivisionError")


def test_a_part_the_province_does_not_run_can_be_left_out():
    health.beat("worker")
    with override_settings(HEALTH_SKIP=["bridge"]):
        assert web_client().get("/healthz/").status_code == 200


def test_liveness_needs_only_the_database():
    assert web_client().get("/livez/").json() == {"status": "ok"}
