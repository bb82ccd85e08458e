"""Browser tests: Debian's chromium driven by Playwright against a real server.

One server per test session: a SQLite database seeded with the full demo (`seed_demo`), served
by gunicorn with the Huey worker beside it, exactly as a laptop runs it. Screenshots go to
test-artifacts/screenshots/.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SERVER_LOG = ROOT / "test-artifacts" / f"server-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"
PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1366, "height": 800}

# Web-first assertions (expect) wait for the page as long as actions do (the contexts' default timeout below).
expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test shows the end of the server's log (a traceback behind a page that never came)."""
    report = yield
    if report.failed and call.when == "call" and SERVER_LOG.exists():
        tail = SERVER_LOG.read_text(errors="replace").splitlines()[-40:]
        report.sections.append(("server log (last 40 lines)", "\n".join(tail)))
    return report


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    import urllib.request

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The server stopped (exit {process.returncode}).")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@pytest.fixture(scope="session")
def server_environment(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("e2e-var")
    environment = {
        **{
            key: value
            for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "PYTEST_VERSION", "REDIS_URL", "MQTT_URL")
        },
        "VAR_DIR": str(var_dir),
        "DEBUG": "false",
        "SECRET_KEY": "e2e-" + "k" * 60,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MQTT_URL": f"mqtt://127.0.0.1:{_free_port()}",
        "MQTT_EMBEDDED": "true",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # The demo logins type a password only; the second step has its own tests (tinhso/accounts/tests).
        "TWO_FACTOR_REQUIRED": "false",
        # SMS as in development: written to the server's log (SERVER_LOG), where the phone-code test reads it.
        "NOTIFY_SMS": "console",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run(manage + command, env=environment, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return environment


@pytest.fixture(scope="session")
def live_url(server_environment):
    """Base URL of a running Tỉnh Số: gunicorn, the Huey worker and the embedded MQTT broker. What the web server
    and the worker log (errors with their tracebacks) goes to test-artifacts/server-<xdist worker>.log."""
    port = _free_port()
    ARTIFACTS.parent.mkdir(parents=True, exist_ok=True)
    log = open(SERVER_LOG, "w")  # noqa: SIM115
    manage = [sys.executable, str(ROOT / "manage.py")]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "2",
                "--log-level",
                "warning",
            ],
            env=server_environment,
            cwd=ROOT,
            stdout=log,
            stderr=log,
        ),
        subprocess.Popen(
            manage + ["run_huey", "--workers", "1"],
            env=server_environment,
            cwd=ROOT,
            stdout=log,
            stderr=log,
        ),
        subprocess.Popen(manage + ["run_broker"], env=server_environment, cwd=ROOT, stdout=subprocess.DEVNULL),
    ]
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url + "/livez/", processes[0])
        yield url
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


@pytest.fixture(scope="module")  # Playwright's loop must be gone before the unit tests this worker runs next
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--lang=vi-VN",
            ],
        )
        yield launched
        launched.close()


def _page(browser, live_url, viewport):
    context = browser.new_context(
        viewport=viewport,
        base_url=live_url,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        device_scale_factor=1,
    )
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.fixture
def phone(browser, live_url):
    """A page on a 360-px-wide phone."""
    context, page = _page(browser, live_url, PHONE)
    yield page
    context.close()


@pytest.fixture
def laptop(browser, live_url):
    context, page = _page(browser, live_url, LAPTOP)
    yield page
    context.close()


def log_in(page, username: str, password: str = "tinhso-demo") -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập hoặc số điện thoại").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    # Wait until the login page is left: "**/" would match the login page itself, so the next goto could
    # cancel the login before its session cookie arrives.
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
