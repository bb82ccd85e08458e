"""Emergency fan-out to every speaker cluster of the province, and cancel.

Starts a dedicated Mosquitto on a free port (open-file limit raised, since 1,356 connections exceed the
usual 1,024), an HTTP server for the bulletin's audio, and 1,356 simulated clusters (speaker agents with
the null player, one MQTT connection each, all in one process: speaker/swarm.py) and a publisher in its own
process standing in for the server's bridge. Then, three times:
- publish the emergency playlist to every device → time until `play` at every agent (the audio is new each
  run and is fetched once into the swarm's shared cache inside the measured time);
- cancel (publish the playlists without it) → time until `stop` at every agent;
and prints p50/p99 and the delivery ratio, median of the 3 runs.

Run: python -m bench.radio_fanout   [CLUSTERS=1356]
Target: p99 < 1 s and 100 % delivered, for play and for stop.
"""

import getpass
import hashlib
import json
import multiprocessing
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .common import ROOT  # noqa: F401  (puts the project root on sys.path for `speaker`)

CLUSTERS = int(os.environ.get("CLUSTERS", "1356"))
RUNS = 3
TIMEOUT = 30.0
OPEN_FILES = 8192


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_mosquitto(directory: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    config = directory / "mosquitto.conf"
    config.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\nmax_connections -1\npersistence false\n"
        f"log_dest stderr\nlog_type error\nuser {getpass.getuser()}\n"
    )

    def more_open_files() -> None:
        _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (OPEN_FILES, max(hard, OPEN_FILES)))

    broker = subprocess.Popen(["/usr/sbin/mosquitto", "-c", str(config)], preexec_fn=more_open_files)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return broker, f"mqtt://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("Mosquitto did not start")


class AudioFiles:
    """The server's device audio endpoint, reduced to serving bytes by path."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        files = self.files

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = files.get(self.path, b"")
                self.send_response(200 if body else 404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def add_tone(self, seconds: float, frequency: int) -> dict:
        data = subprocess.run(
            ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", f"sine=frequency={frequency}:duration={seconds}",
             "-ac", "1", "-c:a", "libopus", "-b:a", "24k", "-f", "ogg", "-"],
            capture_output=True, check=True,
        ).stdout  # fmt: skip
        sha256 = hashlib.sha256(data).hexdigest()
        self.files[f"/radio/device/audio/{sha256}.ogg"] = data
        return {"audio_url": f"{self.url}/radio/device/audio/{sha256}.ogg", "sha256": sha256, "bytes": len(data)}


def connect_publisher(broker_url: str):
    import paho.mqtt.client as mqtt

    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="tinhso-bridge-bench")
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    port = int(broker_url.rsplit(":", 1)[1])
    client.connect("127.0.0.1", port)
    client.loop_start()
    return client


class PlaylistBridge:
    """Stands in for the server's bridge: its own process with one MQTT connection, as in production,
    so its publishing does not compete with the swarm for this process's interpreter lock."""

    def __init__(self, broker_url: str):
        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_bridge_main, args=(broker_url, child), daemon=True)
        self.process.start()
        self.connection.recv()  # connected

    def publish(self, devices: list[str], items: list[dict], version: int) -> None:
        self.connection.send((devices, items, version))
        self.connection.recv()

    def close(self) -> None:
        self.connection.send(None)
        self.process.join(10)


def _bridge_main(broker_url: str, connection) -> None:
    publisher = connect_publisher(broker_url)
    connection.send("connected")
    while (command := connection.recv()) is not None:
        publish_playlists(publisher, *command)
        connection.send("published")
    publisher.loop_stop()


def publish_playlists(publisher, devices: list[str], items: list[dict], version: int) -> None:
    """As the server bridge publishes (contract section 2): the full list per device, retained, QoS 1."""
    from speaker import clock

    sent = clock.iso(clock.now())
    infos = []
    for device in devices:
        payload = json.dumps({"version": version, "sent_at": sent, "volume": 80, "items": items})
        infos.append(publisher.publish(f"tinhso/v1/devices/{device}/playlist", payload, qos=1, retain=True))
    for info in infos:
        info.wait_for_publish(TIMEOUT)


def trigger_emergency(bridge: PlaylistBridge, devices: list[str], bulletin: int, audio: dict, version: int) -> None:
    """An emergency bulletin to every device. Later: the server's broadcast API + bridge instead."""
    from speaker import clock

    now = clock.now()
    item = {
        "item": f"b{bulletin}-r1", "bulletin": bulletin, "title": "Cảnh báo lũ quét", "level": "emergency",
        "rank": 0, "kind": "audio", "audio_url": audio["audio_url"], "sha256": audio["sha256"], "duration": 120.0,
        "starts_at": clock.iso(now), "expires_at": clock.iso(now + timedelta(hours=1)), "repeat": 3,
        "volume": 100, "stream_url": None, "fallback_url": None, "fallback_sha256": None, "ends_at": None,
    }  # fmt: skip
    bridge.publish(devices, [item], version)


def trigger_cancel(bridge: PlaylistBridge, devices: list[str], bulletin: int, version: int) -> None:
    """Cancel the bulletin everywhere: the playlists without it. Later: the server's cancel API + bridge."""
    bridge.publish(devices, [], version)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))] if ordered else float("nan")


def one_run(swarm, bridge: PlaylistBridge, devices, audio_files, run: int) -> dict:
    bulletin, version = 9000 + run, 10 * run
    audio = audio_files.add_tone(20.0, 300 + 50 * run)
    started = time.time()
    trigger_emergency(bridge, devices, bulletin, audio, version)
    played = swarm.wait_for("play", bulletin, len(devices), TIMEOUT, since=started)
    time.sleep(0.5)
    cancelled = time.time()
    trigger_cancel(bridge, devices, bulletin, version + 1)
    stopped = swarm.wait_for("stop", bulletin, len(devices), TIMEOUT, since=cancelled)
    return {"play": played, "stop": stopped, "audio_bytes": audio["bytes"]}


def summary(runs: list[dict], key: str, clusters: int) -> str:
    p50 = statistics.median(percentile(run[key], 0.50) * 1000 for run in runs)
    p99 = statistics.median(percentile(run[key], 0.99) * 1000 for run in runs)
    worst = statistics.median(max(run[key], default=float("nan")) * 1000 for run in runs)
    delivered = statistics.median(len(run[key]) / clusters * 100 for run in runs)
    return f"p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {worst:.0f} ms, delivered {delivered:.1f} %"


def main() -> None:
    from speaker.swarm import start_swarm

    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(1))  # so the broker is stopped in `finally`

    directory = Path(tempfile.mkdtemp(prefix="bench-radio-"))
    broker, broker_url = start_mosquitto(directory)
    audio_files = AudioFiles()
    devices = [f"c-{number:08x}" for number in range(1, CLUSTERS + 1)]
    try:
        bridge = PlaylistBridge(broker_url)  # before the swarm's threads exist
        began = time.perf_counter()
        swarm = start_swarm(broker_url, devices, password="bench", cache_root=directory / "swarm")
        online = swarm.wait_connected(120)
        print(f"{online} of {CLUSTERS} clusters online in {time.perf_counter() - began:.1f} s")
        runs = [one_run(swarm, bridge, devices, audio_files, run) for run in range(1, RUNS + 1)]
        volume = f"clusters={CLUSTERS}, runs={RUNS}, audio={runs[0]['audio_bytes']} bytes fetched once per run"
        print(f"emergency publish → play at every agent: {summary(runs, 'play', CLUSTERS)} (median of runs; {volume})")
        print(f"cancel publish → stop at every agent: {summary(runs, 'stop', CLUSTERS)} (median of runs; {volume})")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"swarm process peak memory {rss:.0f} MB for {CLUSTERS} agents (one thread, one MQTT connection each)")
        bridge.close()
        swarm.stop()
    finally:
        broker.terminate()
        broker.wait(10)
        audio_files.httpd.shutdown()
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
