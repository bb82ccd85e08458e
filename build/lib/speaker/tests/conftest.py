"""Real parts for the agent's tests: a Mosquitto of our own on a free port, an HTTP server with Basic auth
serving audio made by ffmpeg, and the agent itself as a process (`python -m speaker`).

These tests need no Django: `_fresh_cache` below replaces the project's autouse fixture of that name.
"""

import base64
import getpass
import hashlib
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from speaker import clock

ROOT = Path(__file__).resolve().parents[2]
MOSQUITTO = "/usr/sbin/mosquitto"
BRIDGE_USER = "tinhso-bridge"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The project's root conftest clears Django's cache around every test; the agent has none."""
    yield


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout: float, interval: float = 0.02):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    return condition()


# -- Mosquitto -------------------------------------------------------------------------
def mosquitto_hash(password: str, iterations: int = 101) -> str:
    """The `$7$` PBKDF2-SHA512 line mosquitto_passwd writes, as the server writes it for each cluster."""
    salt = os.urandom(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations, 64)
    return f"$7${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


ACL = f"""\
user {BRIDGE_USER}
topic readwrite tinhso/v1/#

pattern read tinhso/v1/devices/%u/playlist
pattern write tinhso/v1/devices/%u/status
pattern write tinhso/v1/devices/%u/events
"""


class Broker:
    def __init__(self, directory: Path, users: dict[str, str] | None = None):
        self.directory = directory
        self.port = free_port()
        self.url = f"mqtt://127.0.0.1:{self.port}"
        self.config = directory / "mosquitto.conf"
        lines = [
            f"listener {self.port} 127.0.0.1",
            "persistence true",
            f"persistence_location {directory}/",
            "log_dest stderr",
            "log_type error",
            # run as root, Mosquitto would drop to a user who cannot read the test's directory
            f"user {getpass.getuser()}",
        ]
        if users is None:
            lines.append("allow_anonymous true")
        else:
            (directory / "passwords").write_text("".join(f"{u}:{mosquitto_hash(p)}\n" for u, p in users.items()))
            (directory / "acl").write_text(ACL)
            lines += ["allow_anonymous false", f"password_file {directory}/passwords", f"acl_file {directory}/acl"]
        self.config.write_text("\n".join(lines) + "\n")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen([MOSQUITTO, "-c", str(self.config)], stderr=subprocess.PIPE)
        if not wait_until(self._listening, 10):
            raise RuntimeError(f"mosquitto did not start: {self.process.stderr.read()}")

    def _listening(self) -> bool:
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            return True
        except OSError:
            return False

    def stop(self) -> None:
        """SIGTERM: Mosquitto saves its retained messages, as a restarted production broker would have them."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


@pytest.fixture
def broker(tmp_path):
    started = Broker(_mkdir(tmp_path / "broker"))
    started.start()
    yield started
    started.stop()


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


# -- MQTT clients for the test itself (the "server bridge" side) ------------------------------
class TestClient:
    __test__ = False

    def __init__(self, broker: Broker, username: str | None = None, password: str | None = None, *, session=False):
        self.messages: queue.Queue = queue.Queue()
        self.granted: queue.Queue = queue.Queue()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-{uuid.uuid4().hex[:8]}", clean_session=not session
        )
        self.client.reconnect_delay_set(0.1, 1)
        if username:
            self.client.username_pw_set(username, password)
        self.client.on_message = lambda _c, _u, message: self.messages.put(message)
        self.client.on_subscribe = lambda _c, _u, _mid, codes, _p: self.granted.put(codes)
        self.connected = threading.Event()
        self.client.on_connect = lambda *_args: self.connected.set()
        self.client.connect("127.0.0.1", broker.port)
        self.client.loop_start()
        assert self.connected.wait(5)

    def subscribe(self, topic: str):
        self.client.subscribe(topic, qos=1)
        return self.granted.get(timeout=5)

    def next_message(self, timeout: float):
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            return None

    def publish_playlist(self, device: str, items: list[dict], version: int, volume: int = 80) -> float:
        """What the server bridge does (contract section 2): the whole list, retained, QoS 1."""
        payload = {"version": version, "sent_at": clock.iso(clock.now()), "volume": volume, "items": items}
        info = self.client.publish(f"tinhso/v1/devices/{device}/playlist", json.dumps(payload), qos=1, retain=True)
        info.wait_for_publish(5)
        return time.time()

    def close(self) -> None:
        self.client.loop_stop()
        self.client.disconnect()


@pytest.fixture
def bridge(broker):
    client = TestClient(broker)
    yield client
    client.close()


# -- audio over HTTP ------------------------------------------------------------------
class AudioServer:
    def __init__(self, credentials: dict[str, str]):
        self.files: dict[str, bytes] = {}
        self.credentials = credentials
        self.requests: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                if not server.authorised(self.headers.get("Authorization", "")):
                    self.send_response(401)
                    self.end_headers()
                    return
                body = server.files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *_args):
                pass

        return Handler

    def authorised(self, header: str) -> bool:
        if not header.startswith("Basic "):
            return False
        user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        return self.credentials.get(user) == password

    def add(self, seconds: float = 0.3, frequency: int = 440) -> tuple[str, str]:
        """A tone encoded as the server's audio is (Ogg Opus); returns (url, sha256)."""
        data = subprocess.run(
            ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"sine=frequency={frequency}:duration={seconds}",
             "-ac", "1", "-c:a", "libopus", "-b:a", "24k", "-f", "ogg", "-"],
            capture_output=True, check=True,
        ).stdout  # fmt: skip
        sha256 = hashlib.sha256(data).hexdigest()
        self.files[f"/radio/device/audio/{sha256}.ogg"] = data
        return f"{self.url}/radio/device/audio/{sha256}.ogg", sha256

    def close(self) -> None:
        self.httpd.shutdown()


DEVICE, PASSWORD = "c-5f3a9e2b", "mật-khẩu-1"


@pytest.fixture(scope="session")
def audio_server():
    server = AudioServer({DEVICE: PASSWORD, "c-other": "other-password"})
    yield server
    server.close()


@pytest.fixture(scope="session")
def tone(audio_server):
    return audio_server.add(0.3)


def audio_item(item: str, bulletin: int, sound: tuple[str, str], **fields) -> dict:
    now = clock.now()
    url, sha256 = sound
    data = {
        "item": item, "bulletin": bulletin, "title": f"Bản tin {bulletin}", "level": "normal", "rank": 30,
        "kind": "audio", "audio_url": url, "sha256": sha256, "duration": 0.3,
        "starts_at": clock.iso(now - timedelta(seconds=1)), "expires_at": clock.iso(now + timedelta(hours=1)),
        "repeat": 1, "volume": None, "stream_url": None, "fallback_url": None, "fallback_sha256": None,
        "ends_at": None,
    }  # fmt: skip
    data.update(fields)
    return data


def relay_item(bulletin: int, stream_url: str, fallback: tuple[str, str] | None = None) -> dict:
    now = clock.now()
    url, sha256 = fallback or (None, None)
    return audio_item(
        f"b{bulletin}-relay", bulletin, (None, None), level="relay", rank=50, kind="relay", duration=0,
        stream_url=stream_url, fallback_url=url, fallback_sha256=sha256,
        starts_at=clock.iso(now - timedelta(seconds=1)), ends_at=clock.iso(now + timedelta(minutes=5)),
    )  # fmt: skip


# -- the agent as a process --------------------------------------------------------------
class AgentProcess:
    def __init__(
        self, broker: Broker, cache: Path, server: str, device=DEVICE, password=PASSWORD, player="null", extra=()
    ):
        self.records: list[dict] = []
        self._new = threading.Condition()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "speaker", "--broker", broker.url, "--device", device, "--password", password,
             "--server", server, "--player", player, "--cache", str(cache), "--keepalive", "5", *extra],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            with self._new:
                self.records.append(json.loads(line))
                self._new.notify_all()

    def wait_for(self, timeout: float = 10, nth: int = 1, **match) -> dict | None:
        """The `nth` printed event whose fields equal `match`, waiting up to `timeout` seconds for it."""
        deadline = time.monotonic() + timeout
        with self._new:
            while True:
                found = self.find(**match)
                if len(found) >= nth or time.monotonic() >= deadline:
                    return found[nth - 1] if len(found) >= nth else None
                self._new.wait(deadline - time.monotonic())

    def find(self, **match) -> list[dict]:
        return [record for record in self.records if all(record.get(key) == value for key, value in match.items())]

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(5)

    def terminate(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(5)


@pytest.fixture
def start_agent(broker, audio_server, tmp_path):
    started: list[AgentProcess] = []

    def start(cache: Path | None = None, **options) -> AgentProcess:
        agent = AgentProcess(options.pop("broker", broker), cache or tmp_path / "cache", audio_server.url, **options)
        started.append(agent)
        return agent

    yield start
    for agent in started:
        agent.kill()


class LiveStream:
    """A radio station for relay tests: sends an audio file at the pace it plays, like a live stream."""

    def __init__(self, data: bytes, seconds: float, port: int = 0):
        pace = len(data) / seconds / 10  # bytes per tenth of a second

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "audio/ogg")
                self.end_headers()
                try:
                    for start in range(0, len(data), max(1, int(pace))):
                        self.wfile.write(data[start : start + int(pace)])
                        time.sleep(0.1)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the listener hung up, as relays do when they switch

            def log_message(self, *_args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/live.ogg"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def encode(source: str, seconds: float) -> bytes:
    """A station's constant-bitrate stream (as Icecast stations send, silence included) from an ffmpeg
    lavfi source, e.g. "sine=frequency=440" or "anullsrc" (silence)."""
    return subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", source, "-t", str(seconds),
         "-ac", "1", "-c:a", "libopus", "-b:a", "32k", "-vbr", "off", "-f", "ogg", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
