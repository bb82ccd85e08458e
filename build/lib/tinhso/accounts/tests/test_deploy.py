import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]


def test_deploy_checks_are_clean_under_production_settings(tmp_path):
    environment = {
        **{k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"},
        "DEBUG": "false",
        "SECRET_KEY": "p" * 30 + "roduction-secret-key-with-enough-entropy-9f8e7d",
        "ALLOWED_HOSTS": "tinhso.yenbai.gov.vn",
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_argon2_is_the_password_hasher_in_production():
    production = [name for name in settings.PASSWORD_HASHERS if "MD5" not in name]
    assert production[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
