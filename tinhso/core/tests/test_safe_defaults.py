"""Safe by default: debug is off unless asked for, and a production start refuses a missing or public key."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from tinhso.radio import topics

ROOT = Path(__file__).resolve().parents[3]
PRINT_SETTINGS = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def start(tmp_path, **variables) -> subprocess.CompletedProcess:
    """Start Django as `make run` or a server would, outside pytest, with only `variables` set."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in ("PYTEST_VERSION", "DEBUG", "SECRET_KEY", "VAR_DIR", "PYTEST_XDIST_WORKER")
    }
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path), **variables})
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_with_nothing_set_the_platform_refuses_to_start_without_a_secret_key(tmp_path):
    result = start(tmp_path)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "chưa được đặt" in result.stderr


@pytest.mark.parametrize("public_value", ["change-me", "django-insecure-abc123", "secret"])
def test_a_public_or_placeholder_key_is_refused(tmp_path, public_value):
    result = start(tmp_path, SECRET_KEY=public_value)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_is_off_when_nothing_says_otherwise(tmp_path):
    result = start(tmp_path, SECRET_KEY="a-long-random-production-key-" + "q" * 30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_the_key_file_generated_by_make_run_is_enough(tmp_path):
    environment = {name: value for name, value in os.environ.items() if name != "SECRET_KEY"}  # a fresh shell's
    subprocess.run(["scripts/secret-key"], cwd=ROOT, env={**environment, "VAR_DIR": str(tmp_path)}, check=True)
    key_file = tmp_path / "secret-key"
    assert len(key_file.read_text().strip()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    result = start(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_an_explicit_debug_runs_without_a_key_for_development(tmp_path):
    result = start(tmp_path, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_the_bridge_password_is_its_own_secret_not_derived_from_the_secret_key(tmp_path):
    with override_settings(VAR_DIR=tmp_path, MQTT_BRIDGE_PASSWORD=""):
        first = topics.bridge_password()
        with override_settings(SECRET_KEY="another-key-" + "z" * 40):
            second = topics.bridge_password()
    assert first == second
    assert len(first) >= 32
    assert settings.SECRET_KEY not in first
    assert stat.S_IMODE((tmp_path / "mqtt-bridge-password").stat().st_mode) == 0o600


def test_a_configured_bridge_password_wins(tmp_path):
    with override_settings(VAR_DIR=tmp_path, MQTT_BRIDGE_PASSWORD="from-the-environment"):
        assert topics.bridge_password() == "from-the-environment"
    assert not (tmp_path / "mqtt-bridge-password").exists()
