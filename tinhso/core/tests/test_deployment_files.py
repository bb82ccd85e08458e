"""The deployment files stay in step with the code: the lock pins what pyproject asks for, the units and the
image start the commands that exist, and one scheduler serves however many workers."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def locked() -> dict[str, str]:
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", (ROOT / "requirements.lock").read_text(), re.M)
    return {name.lower().replace("_", "-"): version for name, version in pins}


def test_the_lock_file_pins_every_dependency_at_the_version_pyproject_asks_for():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lock = locked()
    for requirement in project["dependencies"]:
        name, version = re.split(r"\[.*\]|==", requirement)[0], requirement.split("==")[1]
        name = name.strip().lower().replace("_", "-")
        assert lock.get(name) == version, f"{name}: pyproject {version}, lock {lock.get(name)} (run pip-compile)"


def test_every_locked_package_has_hashes():
    text = (ROOT / "requirements.lock").read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9_.\-]+==)", text)
    pinned = [block for block in blocks if re.match(r"[A-Za-z0-9_.\-]+==", block)]
    assert len(pinned) > 50
    assert all("--hash=sha256:" in block for block in pinned)


def test_workers_never_schedule_and_exactly_one_scheduler_does():
    units = {path.name: path.read_text() for path in (ROOT / "deploy" / "systemd").glob("*.service")}
    assert "--no-periodic" in units["tinhso-worker@.service"]
    schedulers = [name for name, text in units.items() if "run_huey" in text and "--no-periodic" not in text]
    assert schedulers == ["tinhso-scheduler.service"]
    compose = (ROOT / "deploy" / "compose.yaml").read_text()
    assert compose.count('"run_huey"') == 2 and compose.count('"--no-periodic"') == 1


def test_the_image_runs_as_a_user_and_serves_with_the_shared_gunicorn_settings():
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "\nUSER 10001" in dockerfile
    assert "--require-hashes" in dockerfile and "python:config.gunicorn" in dockerfile
    assert "python:config.gunicorn" in (ROOT / "deploy" / "systemd" / "tinhso-web.service").read_text()


def test_gunicorn_workers_are_replaced_at_spread_times_and_ready_before_their_first_request():
    """A contest's even load makes every worker reach max_requests together; at 2,000 with a jitter of 200 all
    three were replaced every ~90 s within seconds of each other (requests waited up to 10 s), and each new worker
    imported the views on its first request. A contest opening (44,000 requests on three workers) now replaces
    each worker at most about once, at times spread apart, and a new worker is ready before its first request."""
    from unittest import mock

    from config import gunicorn

    assert gunicorn.max_requests >= 44_000 / 3
    assert gunicorn.max_requests_jitter >= gunicorn.max_requests // 2
    with mock.patch("django.urls.get_resolver") as get_resolver:
        patterns = mock.PropertyMock(return_value=[])
        type(get_resolver.return_value).url_patterns = patterns
        gunicorn.post_worker_init(worker=None)
    patterns.assert_called_once()
