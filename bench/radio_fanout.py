"""Emergency fan-out to every speaker cluster of the province through the real server path, and cancel.

Everything runs as in production, each in its own process: a dedicated Mosquitto on a free port (open-file
limit raised, since 1,356 connections exceed the usual 1,024), gunicorn serving the API and the device audio
endpoint, `manage.py run_radio_bridge` (the server's only MQTT client), all on a fresh PostgreSQL database;
and 1,356 simulated clusters (speaker agents with the null player, one MQTT connection each, in
SWARM_PROCESSES child processes, one per core unless set: speaker/swarm.py) whose SpeakerCluster rows are spread over
the villages of the test unit tree.
Then, three times, as a province administrator with an API token:
- create a text emergency bulletin for the whole province (not timed: speech synthesis happens here);
- t0, `POST .../broadcast/` → time until `play` of that bulletin at every agent (the bridge publishes the
  playlists; the audio is new each run and is fetched from gunicorn once into the swarm's shared cache,
  inside the measured time);
- t1, `POST .../cancel/` → time until `stop` at every agent;
and prints p50/p99/max and the delivery ratio (median of the runs), and the API call durations. Then, per
run: how long the bridge takes to store what the agents reported, how much of it reached the play log, whether
any agent played the cancelled bulletin again and whether its deliveries all stayed cancelled, and the errors
(deadlocks) gunicorn and the bridge logged. Times are the swarm's wall clock (same machine as the API calls).

Run: python -m bench.radio_fanout   [--clusters 1356 | CLUSTERS=1356] [--swarm-processes N]
     (PostgreSQL: BENCH_DATABASE_URL)
Target: p99 < 1 s and 100 % delivered, for play and for stop.
"""

import getpass
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from .common import ROOT, percentile

CLUSTERS = int(os.environ.get("CLUSTERS", "1356"))
if "--clusters" in sys.argv:
    CLUSTERS = int(sys.argv[sys.argv.index("--clusters") + 1])
# The agents run in processes of their own (speaker/swarm.py), not in the measuring one: 1,356 agents in one
# Python thread take a good part of a second to handle a playlist each, which would count as the platform's.
SWARM_PROCESSES = int(os.environ.get("SWARM_PROCESSES", str(os.cpu_count() or 2)))
if "--swarm-processes" in sys.argv:
    SWARM_PROCESSES = int(sys.argv[sys.argv.index("--swarm-processes") + 1])
LOG_TIMEOUT = 600.0  # generous: the play log must be complete, however slow the machine
RUNS = 3
TIMEOUT = 180.0  # long enough to measure a slow stop rather than cut it off
OPEN_FILES = 8192
PASSWORD = "bench"
ADMIN, ADMIN_PASSWORD = "bench-admin", "mat-khau-rat-dai-2025"
WARNING = (
    "Cảnh báo khẩn cấp lần {run}: mưa lớn kéo dài, nước sông Chảy đang lên nhanh, nguy cơ lũ quét và sạt lở "
    "đất tại các thôn ven suối. Đề nghị bà con đưa người già, trẻ em đến nơi an toàn, không qua lại ngầm "
    "tràn, theo dõi thông báo của chính quyền."
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_mosquitto(directory: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    config = directory / "mosquitto.conf"
    config.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\nmax_connections -1\npersistence false\n"
        "max_queued_messages 0\nmax_inflight_messages 1000\n"  # as deploy/mosquitto/mosquitto.conf
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


# --- The database: the unit tree, an administrator, the clusters ------------------------------------


def populate() -> dict:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from tinhso.accounts.testing import make_user
    from tinhso.radio import services
    from tinhso.radio.models import SpeakerCluster
    from tinhso.units.models import Unit
    from tinhso.units.testing import build_unit_tree

    tree = build_unit_tree()
    make_user("province_admin", tree.lao_cai, username=ADMIN, password=ADMIN_PASSWORD)
    villages = list(Unit.objects.valid_on(timezone.localdate()).filter(level="village").order_by("code"))
    # One password for every cluster, hashed once: argon2 per row would take minutes.
    password_hash, mosquitto_hash = make_password(PASSWORD), services.mosquitto_hash(PASSWORD)
    clusters = SpeakerCluster.objects.bulk_create(
        SpeakerCluster(
            name=f"Cụm loa {number}",
            unit=villages[number % len(villages)],
            device_id=f"bench-{number:05d}",
            password_hash=password_hash,
            mosquitto_hash=mosquitto_hash,
        )
        for number in range(1, CLUSTERS + 1)
    )
    return {
        "devices": [cluster.device_id for cluster in clusters],
        "villages": len(villages),
        "targets": [tree.lao_cai.code],  # the province: every village's clusters
    }


# --- The server's processes -------------------------------------------------------------------------


def server_environment(database_url: str, broker_url: str, web_url: str, var_dir: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "MQTT_URL": broker_url,
        "MQTT_EMBEDDED": "false",
        "RADIO_DEVICE_BASE_URL": web_url,
        "SITE_URL": web_url,
        "VAR_DIR": var_dir,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback, no proxy in front
        "SECURE_COOKIES": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": "bench-radio-fanout-" + "x" * 40,
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }


def start_process(command: list[str], environment: dict, log: Path) -> subprocess.Popen:
    with log.open("wb") as output:
        return subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)


def wait_for_web(web_url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(f"{web_url}/api/v1/", timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def wait_for_bridge(process: subprocess.Popen, log: Path) -> float:
    """On connecting, the bridge republishes every cluster's playlist: done when the outbox is empty."""
    from tinhso.radio.models import PlaylistOutbox

    started, deadline = time.perf_counter(), time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the bridge exited:\n{log.read_text()[-3000:]}")
        published = PlaylistOutbox.objects.filter(published_at__isnull=False).count()
        if published >= CLUSTERS and not PlaylistOutbox.objects.filter(published_at__isnull=True).exists():
            return time.perf_counter() - started
        time.sleep(0.2)
    raise RuntimeError("the bridge did not publish the playlists")


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def stop_process(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


# --- The API ------------------------------------------------------------------------------------------


class ApiError(RuntimeError):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


class Api:
    def __init__(self, base: str):
        self.base = base
        self.token = ""

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[dict, float]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(f"{self.base}/api/v1/{path}", data=data, headers=headers, method=method)
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                answer = response.read()
        except urllib.error.HTTPError as error:
            raise ApiError(f"{method} {path}: {error.code} {error.read()[:300]!r}", error.code) from error
        return json.loads(answer or b"{}"), time.perf_counter() - started

    def retried(self, method: str, path: str, attempts: int = 5) -> tuple[dict, float, int]:
        """As an operator would: again after a server error (a deadlock with the bridge, see report)."""
        started = time.perf_counter()
        for attempt in range(1, attempts + 1):
            try:
                answer, _seconds = self.call(method, path)
                return answer, time.perf_counter() - started, attempt - 1
            except ApiError as error:
                if error.status < 500 or attempt == attempts:
                    raise
                time.sleep(0.2)
        raise AssertionError("unreachable")


# --- CPU per process ------------------------------------------------------------------------------------

# name -> root process ids (set in main): each figure counts the process and its descendants (gunicorn's workers)
WATCHED: dict[str, list[int]] = {}
TICK = os.sysconf("SC_CLK_TCK")


def cpu_snapshot() -> dict[str, float]:
    """CPU seconds (user + system) used so far by each watched process with its descendants."""
    used, parents = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        used[pid] = (int(fields[11]) + int(fields[12])) / TICK
    totals = {}
    for name, roots in WATCHED.items():
        tree, added = set(roots), True
        while added:
            more = {pid for pid, parent in parents.items() if parent in tree} - tree
            tree |= more
            added = bool(more)
        totals[name] = sum(used.get(pid, 0.0) for pid in tree)
    return totals


def cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {name: after[name] - before[name] for name in before}


# --- One run -------------------------------------------------------------------------------------------


def one_run(swarm, api: Api, targets: list[str], run: int) -> dict:
    from django.core.files.storage import default_storage

    from tinhso.radio.audio import path_for_checksum
    from tinhso.radio.models import Bulletin, Delivery, PlayEvent

    body = {"title": f"Cảnh báo lũ quét {run}", "text": WARNING.format(run=run), "level": "emergency"}
    bulletin, created = api.call("POST", "radio/bulletins/", {**body, "targets": targets})
    number = bulletin["id"]
    outbox_before = last_outbox_id()
    cpu_before = cpu_snapshot()
    started = time.time()
    result, broadcast, broadcast_retries = api.retried("POST", f"radio/bulletins/{number}/broadcast/")
    cpu_answered = cpu_snapshot()
    played = swarm.wait_for("play", number, CLUSTERS, TIMEOUT, since=started)
    cpu_played = cpu_snapshot()
    broadcast_published = bridge_took(outbox_before, started)
    broadcast_playlists = swarm.wait_for("playlist", None, 0, 0, since=started)
    downloaded = swarm.wait_for("download", number, 0, 0, since=started)
    time.sleep(0.5)
    outbox_before = last_outbox_id()
    cancelled_at = time.time()
    _answer, cancel, cancel_retries = api.retried("POST", f"radio/bulletins/{number}/cancel/")
    stopped = swarm.wait_for("stop", number, CLUSTERS, TIMEOUT, since=cancelled_at)
    cancel_published = bridge_took(outbox_before, cancelled_at)
    cancel_playlists = swarm.wait_for("playlist", None, 0, 0, since=cancelled_at)
    # The bridge stores every play and stop the agents report: wait until the play log holds all of them
    # (a play and a stop per cluster), then check it. No report may be lost.
    logged = PlayEvent.objects.filter(bulletin_id=number)
    complete = wait_until(
        lambda: logged.filter(event="play").count() >= CLUSTERS and logged.filter(event="stop").count() >= CLUSTERS,
        LOG_TIMEOUT,
    )
    settled = time.time() - cancelled_at
    assert complete, (
        f"play log incomplete after {LOG_TIMEOUT:.0f} s: {logged.filter(event='play').count()} plays, "
        f"{logged.filter(event='stop').count()} stops of {CLUSTERS} clusters"
    )
    logged = PlayEvent.objects.filter(bulletin_id=number)
    # A cancelled bulletin must not play again anywhere, and every delivery of it must stay cancelled.
    replayed = swarm.wait_for("play", number, 0, 0, since=cancelled_at + 0.001)
    not_cancelled = Delivery.objects.filter(bulletin_id=number).exclude(state="cancelled").count()
    sha256 = Bulletin.objects.values_list("audio_sha256", flat=True).get(pk=number)
    return {
        "play": played,
        "stop": stopped,
        "reached": result["clusters_reached"],
        "create_s": created,
        "broadcast_s": broadcast,
        "cancel_s": cancel,
        "events_stored_s": settled,
        "logged_plays": logged.filter(event="play").count(),
        "logged_stops": logged.filter(event="stop").count(),
        "retries": broadcast_retries + cancel_retries,
        "broadcast_playlists": broadcast_playlists,
        "cancel_playlists": cancel_playlists,
        "downloaded": downloaded,
        "broadcast_published": broadcast_published,
        "cancel_published": cancel_published,
        "replayed": len(replayed),
        "not_cancelled": not_cancelled,
        "audio_bytes": default_storage.size(path_for_checksum(sha256)),
        "audio_seconds": bulletin["duration"],
        "cpu_call": cpu_used(cpu_before, cpu_answered),  # while the broadcast call ran
        "cpu_fanout": cpu_used(cpu_answered, cpu_played),  # from its answer until every agent played
    }


def last_outbox_id() -> int:
    from tinhso.radio.models import PlaylistOutbox

    return PlaylistOutbox.objects.order_by("-id").values_list("id", flat=True).first() or 0


def bridge_took(after_id: int, since: float) -> tuple[float, float]:
    """From the API call to the bridge's first and last turn publishing the playlists it caused (the
    server's clock, same machine): where the time goes between the API and the agents."""
    from django.db.models import Max, Min

    from tinhso.radio.models import PlaylistOutbox

    turns = PlaylistOutbox.objects.filter(id__gt=after_id).aggregate(Min("published_at"), Max("published_at"))
    first, last = turns["published_at__min"], turns["published_at__max"]
    return (first.timestamp() - since if first else float("nan"), last.timestamp() - since if last else float("nan"))


def summary(runs: list[dict], key: str) -> str:
    p50 = statistics.median(percentile(run[key], 0.50) * 1000 for run in runs)
    p99 = statistics.median(percentile(run[key], 0.99) * 1000 for run in runs)
    worst = statistics.median(max(run[key], default=float("nan")) * 1000 for run in runs)
    delivered = statistics.median(len(run[key]) / CLUSTERS * 100 for run in runs)
    each = ", ".join(f"{percentile(run[key], 0.99) * 1000:.0f}" for run in runs)
    return f"p50 {p50:.0f} ms, p99 {p99:.0f} ms (runs: {each}), max {worst:.0f} ms, delivered {delivered:.1f} %"


def seconds(runs: list[dict], key: str) -> str:
    values = [run[key] * 1000 for run in runs]
    return f"median {statistics.median(values):.0f} ms (runs: {', '.join(f'{value:.0f}' for value in values)})"


def report_server_errors(directory: Path) -> None:
    """Errors gunicorn and the bridge logged during the runs (e.g. a deadlock between them)."""
    for log in sorted(directory.glob("*.log")):
        lines = log.read_text(errors="replace").splitlines()
        errors = [line for line in lines if " ERROR " in line or line.startswith(("psycopg", "django.db"))]
        deadlocks = sum("deadlock detected" in line for line in lines) // 2  # psycopg's line and Django's
        dropped = sum("bridge disconnected" in line for line in lines)
        shown = "".join(f"\n  {line[:200]}" for line in errors[:4] if " ERROR " in line)
        print(f"{log.stem}: {len(errors)} error lines, {deadlocks} deadlocks, {dropped} MQTT disconnections{shown}")


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(1))  # so the processes are stopped in `finally`
    directory = Path(tempfile.mkdtemp(prefix="bench-radio-"))
    os.environ["VAR_DIR"] = str(directory / "var")  # shared with gunicorn and the bridge (media files)
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # not a line per agent connection
    os.environ.setdefault("SECRET_KEY", "bench-radio-fanout-" + "x" * 40)  # a fresh VAR_DIR has none

    from .common import setup_django

    database_url = setup_django("bench_radio_fanout")
    began = time.perf_counter()
    data = populate()
    print(
        f"database: {database_url.split(':')[0]}; {CLUSTERS} speaker clusters over {data['villages']} villages "
        f"created in {time.perf_counter() - began:.1f} s"
    )

    broker = web = bridge = swarm = None
    try:
        # Every MQTT client and subprocess before the swarm: its 1,356 sockets take the low file numbers
        # that select()-based clients need below 1,024.
        broker, broker_url = start_mosquitto(directory)
        web_url = f"http://127.0.0.1:{free_port()}"
        environment = server_environment(database_url, broker_url, web_url, os.environ["VAR_DIR"])
        gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "-b", web_url.removeprefix("http://")]
        web_log, bridge_log = directory / "gunicorn.log", directory / "bridge.log"
        web = start_process([*gunicorn, "-w", "2", "--threads", "8"], environment, web_log)
        bridge = start_process([sys.executable, "manage.py", "run_radio_bridge"], environment, bridge_log)
        wait_for_web(web_url, web, web_log)
        print(f"bridge connected and published {CLUSTERS} playlists in {wait_for_bridge(bridge, bridge_log):.1f} s")
        api = Api(web_url)
        from tinhso.accounts.models import User
        from tinhso.accounts.services import issue_token

        api.token = issue_token(User.objects.get(username=ADMIN))  # an administrator's token needs the TOTP step

        from speaker.swarm import start_swarm
        from tinhso.radio.models import SpeakerCluster

        began = time.perf_counter()
        swarm = start_swarm(
            broker_url, data["devices"], password=PASSWORD, cache_root=directory / "swarm", processes=SWARM_PROCESSES
        )
        WATCHED.update(web=[web.pid], bridge=[bridge.pid], mosquitto=[broker.pid])
        WATCHED["swarm"] = [child.pid for child in getattr(swarm, "children", [])] or [os.getpid()]
        online = swarm.wait_connected(120)
        print(f"{online} of {CLUSTERS} clusters online in {time.perf_counter() - began:.1f} s")
        online_in_database = wait_until(lambda: SpeakerCluster.objects.filter(is_online=True).count() >= online, 120)
        print(f"bridge recorded them online in {time.perf_counter() - began:.1f} s ({online_in_database=})")

        runs = [one_run(swarm, api, data["targets"], run) for run in range(1, RUNS + 1)]
        first = runs[0]
        print(
            f"volume: clusters={CLUSTERS}, runs={RUNS}, clusters reached per broadcast={first['reached']}, "
            f"audio {first['audio_bytes']} bytes / {first['audio_seconds']:.1f} s per bulletin (new each run, "
            f"fetched once per run and swarm process into its shared cache)"
        )
        print(f"API broadcast → play at every agent: {summary(runs, 'play')} (median of {RUNS} runs)")
        print(f"API cancel → stop at every agent: {summary(runs, 'stop')} (median of {RUNS} runs)")
        # Where the time goes: API call → the bridge's turn → the playlist at the agent → (audio) → play/stop.
        for key, name in (("broadcast_published", "broadcast"), ("cancel_published", "cancel")):
            turns = ", ".join(f"{run[key][0] * 1000:.0f}–{run[key][1] * 1000:.0f}" for run in runs)
            print(f"API {name} → the bridge's turns publishing its playlists began (first–last), ms per run: {turns}")
        print(f"API broadcast → playlist at every agent: {summary(runs, 'broadcast_playlists')}")
        print(f"API cancel → playlist at every agent: {summary(runs, 'cancel_playlists')}")
        downloads = ", ".join(f"{min(run['downloaded']) * 1e3:.0f}–{max(run['downloaded']) * 1e3:.0f}" for run in runs)
        print(f"API broadcast → the audio fetched, as the agents saw it (first–last), ms per run: {downloads}")
        for key, name in (("cpu_call", "during POST broadcast/"), ("cpu_fanout", "from its answer to the last play")):
            per_process = ", ".join(
                f"{process} {statistics.median(run[key][process] for run in runs) * 1000:.0f}"
                for process in runs[0][key]
            )
            print(f"CPU ms {name} (median of {RUNS} runs): {per_process}")
        print(f"POST bulletins/ (create, speech synthesis; not in the above): {seconds(runs, 'create_s')}")
        print(f"POST broadcast/ response: {seconds(runs, 'broadcast_s')}")
        print(f"POST cancel/ response: {seconds(runs, 'cancel_s')}")
        print(f"cancel → the bridge done storing the reports: {seconds(runs, 'events_stored_s')}")
        logged = ", ".join(
            f"{run['logged_plays']}/{len(run['play'])} plays {run['logged_stops']}/{len(run['stop'])} stops"
            for run in runs
        )
        print(f"in the server's play log (stored / seen at the agents), per run: {logged}")
        print(
            "after cancel: agents that played the bulletin again / deliveries not left cancelled, per run: "
            + ", ".join(f"{run['replayed']} / {run['not_cancelled']}" for run in runs)
        )
        print(f"API calls retried after a server error: {[run['retries'] for run in runs]} (per run)")
        if SWARM_PROCESSES > 1:
            memory = swarm.memory_mb()
        else:
            status = Path("/proc/self/status").read_text().splitlines()
            memory = int(next(line for line in status if line.startswith("VmRSS")).split()[1]) // 1024
        print(
            f"swarm memory {memory} MB for {CLUSTERS} agents in {SWARM_PROCESSES} process(es) "
            "(one thread each, one MQTT connection per agent)"
        )
        report_server_errors(directory)
    except BaseException:
        for log in sorted(directory.glob("*.log")):
            print(f"--- {log.name} (end) ---\n{log.read_text(errors='replace')[-4000:]}", file=sys.stderr)
        raise
    finally:
        if swarm is not None:
            swarm.stop()
        for process in (bridge, web, broker):
            stop_process(process)
        shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
