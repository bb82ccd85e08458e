import os

import pytest
from django.core.cache import cache

try:  # property-style tests: no per-example deadline (a loaded CI machine is not a failure), fixed seed
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("tinhso", deadline=None, derandomize=True, print_blob=True)
    hypothesis_settings.load_profile("tinhso")
except ImportError:  # pragma: no cover - hypothesis is in the test extras
    pass


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Scopes and the succession graph are cached; each test starts from an empty cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tree(db):
    from tinhso.units.testing import build_unit_tree

    return build_unit_tree()


def service_url(name: str, default: str) -> str:
    """The URL of a real service for tests that need one; on CI it must answer, elsewhere skip."""
    from scripts.reachable import reachable

    url = os.environ.get(name, default)
    if not reachable(url):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} ({url}) is not reachable, and CI runs the tests that need it.")
        pytest.skip(f"{url} is not reachable here; this test runs on CI.")
    return url


@pytest.fixture
def redis_url():
    return service_url("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def mosquitto_url():
    return service_url("TEST_MQTT_URL", "mqtt://127.0.0.1:1883")
