import os

import pytest
from django.core.cache import cache

try:  # property-style tests: no per-example deadline (a loaded CI machine is not a failure), fixed seed
    from hypothesis import settings as hypothesis_settings

    hypothesis_settings.register_profile("tinhso", deadline=None, derandomize=True, print_blob=True)
    hypothesis_settings.load_profile("tinhso")
except ImportError:  # pragma: no cover - hypothesis is in the test extras
    pass


DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="Run only the tests that use the database (the second database's pass: the rest ran on the first).",
    )


def uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_modifyitems(config, items):
    if not config.getoption("--database-tests-only"):
        return
    kept, left = [], []
    for item in items:
        (kept if uses_database(item) else left).append(item)
    config.hook.pytest_deselected(items=left)
    items[:] = kept


def pytest_xdist_make_scheduler(config, log):
    """Under xdist's default distribution, the browser tests go to one worker, together and in order: their
    server is seeded with the whole demo once per worker (costlier than most tests), and a test may go on from
    the one before it (a report sent, then approved). The other tests are handed out one by one as usual.
    (xdist's own `--dist loadgroup` finds no groups with pytest 9: it renames items through an attribute pytest
    no longer reads.)"""
    if config.getoption("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BrowserTestsTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "browser tests" if nodeid.startswith("tests/e2e/") else nodeid

    return BrowserTestsTogether(config, log)


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
