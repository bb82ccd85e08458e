"""A real bridge on a real broker keeps /healthz/ green; once it stops beating, health turns red."""

import time

import pytest
from django.core.cache import cache

from tinhso.core import health
from tinhso.core.testing import web_client

from .test_bridge import PUMPS, bridge, broker, until  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_running_bridge_is_healthy_and_a_dead_one_is_not_within_thirty_seconds(bridge):  # noqa: F811
    health.beat("worker")
    assert until(lambda: health.heartbeat_age("bridge") is not None)
    assert web_client().get("/healthz/").json()["checks"]["bridge"] == "ok"

    bridge.stop()
    PUMPS.clear()
    cache.set("heartbeat:bridge", time.time() - 25, 3600)  # 25 s later, nothing has beaten since

    response = web_client().get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"]["bridge"].startswith("last heartbeat")
