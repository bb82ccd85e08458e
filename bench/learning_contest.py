"""A contest opening, open-loop, as the issue states it: `--participants` people arrive uniformly at random over
`--arrival` seconds; each starts an attempt at their arrival time (whatever the server is doing), then answers
the 20 questions one save at a time, reading each question for a think time (`--think`, seconds, "A-B" draws
uniformly), and finally submits. Then the leaderboard of last year's contest at its real size (13,498
participants, 23,094 attempts), for the province and within one commune.

    python -m bench.learning_contest                      # the issue's figure: 2,000 people in 60 s, 20-30 s a question
    python -m bench.learning_contest --think 1-2          # stress: the same people answering as fast as they click
    python -m bench.learning_contest --quick              # 100 people in 10 s, 1-2 s a question: checks the bench

Server as in production (deploy/systemd → `gunicorn -c python:config.gunicorn`: gthread, `--workers` workers ×
`--threads` threads, workers recycled every ~2,000 requests, access log on), PostgreSQL (BENCH_DATABASE_URL, a
fresh database) and Redis (BENCH_REDIS_URL, database 12 by default, flushed first): the cache and the per-person
rate limits (start 20/min, save 120/min, finish 20/min) go through Redis. A participant sends at most 22 requests
in all, one at a time, so no limit can trip; a 429 would be counted as an error.

Latency is measured from the moment a request was DUE (its scheduled arrival, or the end of the previous answer
plus the think time), not from when the client managed to send it: queueing in the client, the kernel or gunicorn
counts (no coordinated omission). Each request opens its own connection (a phone after 20 s of reading has lost
gunicorn's 2 s keep-alive anyway). The client is one asyncio process with raw HTTP/1.1 (no HTTP library is
installed), so 2,000 waiting participants cost it nearly nothing; its CPU is printed, as are the server's
(gunicorn master and workers, including recycled ones) and the whole machine's (the rest is PostgreSQL, Redis and
whoever else shares the machine: compare with the load average printed beside).
"""

import argparse
import asyncio
import collections
import contextlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, percentile, setup_django

QUESTIONS = 20
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
TIMEOUT = 120.0


def populate(participants: int) -> dict:
    from rest_framework.authtoken.models import Token

    from tinhso.accounts.models import User
    from tinhso.learning import demo
    from tinhso.learning.models import Contest, Question, QuestionPool
    from tinhso.units.models import Organisation
    from tinhso.units.testing import build_unit_tree

    tree = build_unit_tree()
    demo._seed_bank(tree.lao_cai)
    demo._seed_current_contest(tree.lao_cai)
    contest = Contest.objects.get(title=demo.TITLE_NOW)
    QuestionPool.objects.filter(contest=contest).update(count=QUESTIONS)
    users = User.objects.bulk_create([User(username=f"bench{index}", password="!") for index in range(participants)])
    tokens = Token.objects.bulk_create([Token(user=user, key=Token.generate_key()) for user in users])
    for unit in (tree.yen_bai, tree.xuan_ai, tree.yen_hop, tree.khanh_hoa):
        Organisation.objects.create(name=f"Ủy ban nhân dân {unit.name}", kind="peoples_committee", unit=unit)
    started = time.perf_counter()
    demo._seed_contest_2025(tree.yen_bai, list(Question.objects.all()))
    seeded = time.perf_counter() - started
    last_year = Contest.objects.get(title=demo.TITLE_2025)
    return {
        "contest": contest.pk,
        "last_year": last_year.pk,
        "tokens": [token.key for token in tokens],
        "seed_seconds": seeded,
        "bank": Question.objects.count(),
        "last_year_attempts": last_year.attempts.count(),
        "last_year_participants": last_year.participations.count(),
        "time_limit": contest.time_limit_minutes,
    }


# --- the client: raw HTTP/1.1 over asyncio ----------------------------------------------------------------


async def request(port: int, token: str, method: str, path: str, body=None) -> tuple[int, bytes]:
    """One request on its own connection; (status, body), status 0 for a connection error or a timeout."""
    payload = b"" if body is None else json.dumps(body).encode()
    head = (
        f"{method} /api/v1/{path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Token {token}\r\n"
        f"Accept: application/json\r\nContent-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
        "Connection: close\r\n\r\n"
    )
    writer = None
    try:
        async with asyncio.timeout(TIMEOUT):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(head.encode() + payload)
            raw = await reader.read(-1)  # Connection: close: the answer ends with the connection
    except (OSError, TimeoutError):
        return 0, b""
    finally:
        if writer is not None:
            writer.close()
    header, _sep, content = raw.partition(b"\r\n\r\n")
    try:
        return int(header.split(b" ", 2)[1]), content
    except (IndexError, ValueError):
        return 0, b""


def answer_for(question: dict):
    """A plausible answer of the right shape (right or wrong does not matter to the server's work)."""
    choices = [choice["key"] for choice in question.get("choices", [])]
    return {
        "single": choices[0] if choices else 0,
        "multiple": choices[:1],
        "truefalse": True,
        "short": "VNeID",
        "numeric": 1356,
    }.get(question["kind"], question.get("rights", [None])[: len(question.get("lefts", []))])


class Results:
    def __init__(self):
        self.latency: dict[str, list[float]] = collections.defaultdict(list)
        self.samples: list[tuple[str, float, float, int]] = []  # (kind, due s, latency ms, status)
        self.errors: collections.Counter = collections.Counter()
        self.lag: list[float] = []  # how late the client sent a request after it was due (client overload)
        self.start_sent: list[float] = []
        self.start_done: list[float] = []
        self.finished = 0


async def participant(port, token, contest, due, think, rng, clock, results: Results) -> None:
    async def call(kind, method, path, due_at, body=None):
        delay = due_at - clock()
        if delay > 0:
            await asyncio.sleep(delay)
        sent = clock()
        results.lag.append(sent - due_at)
        if kind == "start":
            results.start_sent.append(sent)
        status, content = await request(port, token, method, path, body)
        done = clock()
        results.latency[kind].append((done - due_at) * 1000)
        results.samples.append((kind, due_at, (done - due_at) * 1000, status))
        if status not in (200, 201):
            results.errors[kind, status] += 1
            return None, done
        return json.loads(content or b"{}"), done

    attempt, done = await call("start", "POST", f"contests/{contest}/attempts/", due)
    results.start_done.append(done)
    if attempt is None:
        return
    for question in attempt["questions"]:
        body = {"answers": {str(question["id"]): answer_for(question)}}
        _saved, done = await call("save", "PUT", f"attempts/{attempt['id']}/answers/", done + rng.uniform(*think), body)
    result, _done = await call("finish", "POST", f"attempts/{attempt['id']}/finish/", done + rng.uniform(*think))
    results.finished += result is not None and result.get("status") == "finished"


async def crowd(port, tokens, contest, arrival, think, seed) -> tuple[Results, float]:
    rng = random.Random(seed)
    loop = asyncio.get_running_loop()
    origin = loop.time() + 1.0
    clock = lambda: loop.time() - origin  # noqa: E731
    arrivals = sorted(rng.uniform(0, arrival) for _token in tokens)
    results = Results()
    await asyncio.gather(
        *(
            participant(port, token, contest, due, think, random.Random(rng.random()), clock, results)
            for token, due in zip(tokens, arrivals, strict=True)
        )
    )
    return results, clock()


# --- the server and its CPU -----------------------------------------------------------------------------------


def start_gunicorn(port: int, workers: int, threads: int, environment: dict, log: Path) -> subprocess.Popen:
    import urllib.error
    import urllib.request

    gunicorn = shutil.which("gunicorn") or str(Path(sys.executable).parent / "gunicorn")
    command = [gunicorn, "-c", "python:config.gunicorn"]
    env = {
        **environment,
        "TINHSO_BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": str(workers),
        "WEB_THREADS": str(threads),
    }
    with log.open("wb") as output:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/", timeout=5).close()
            return server
        except urllib.error.HTTPError:
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    server.wait(30)
    raise RuntimeError(f"gunicorn did not answer:\n{log.read_text()[-2000:]}")


def server_cpu(server: subprocess.Popen) -> float:
    """CPU seconds of gunicorn: the master, its live workers, and the workers it has reaped (recycled)."""
    import psutil

    master = psutil.Process(server.pid)
    times = master.cpu_times()
    total = times.user + times.system + times.children_user + times.children_system
    for child in master.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += sum(child.cpu_times()[:2])
    return total


def machine_cpu() -> float:
    import psutil

    times = psutil.cpu_times()
    return times.user + times.nice + times.system + getattr(times, "irq", 0) + getattr(times, "softirq", 0)


def figures(values: list[float]) -> str:
    if not values:
        return "no requests"
    return (
        f"p50 {percentile(values, 0.5):.0f} ms, p95 {percentile(values, 0.95):.0f} ms, "
        f"p99 {percentile(values, 0.99):.0f} ms, max {max(values):.0f} ms ({len(values)} requests)"
    )


def parse_think(text: str) -> tuple[float, float]:
    low, _sep, high = text.partition("-")
    return float(low), float(high or low)


def leaderboard_times(port: int, token: str, contest: int, query: str, runs: int) -> tuple[list[float], set]:
    times, statuses = [], set()
    for _run in range(runs):
        started = time.perf_counter()
        status, _body = asyncio.run(request(port, token, "GET", f"contests/{contest}/leaderboard/{query}"))
        times.append((time.perf_counter() - started) * 1000)
        statuses.add(status)
    return times, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--arrival", type=float, default=60, help="seconds over which the starts are spread")
    parser.add_argument("--think", default="20-30", help="seconds a person reads each question: N or A-B")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (production: WEB_WORKERS=3)")
    parser.add_argument("--threads", type=int, default=4, help="threads a worker (production: WEB_THREADS=4)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--leaderboard-runs", type=int, default=30)
    parser.add_argument("--samples", help="write every request (kind, due s, latency ms, status) to this JSON file")
    parser.add_argument("--quick", action="store_true", help="100 people in 10 s, 1-2 s a question")
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.participants, arguments.arrival, arguments.think = 100, 10, "1-2"
        arguments.leaderboard_runs = 10
    think = parse_think(arguments.think)

    import redis

    redis.Redis.from_url(REDIS).flushdb()  # the rate-limit counters of a previous run (user ids start again)
    os.environ["REDIS_URL"] = REDIS
    os.environ.setdefault("SECRET_KEY", "bench-learning-" + "x" * 40)
    database_url = setup_django("bench_learning_contest")
    seeding = time.perf_counter()
    data = populate(arguments.participants)
    print(
        f"data: {arguments.participants:,} participants with API tokens; bank of {data['bank']} questions, "
        f"{QUESTIONS} drawn per attempt, {data['time_limit']} min limit; last year's contest "
        f"{data['last_year_attempts']:,} attempts / {data['last_year_participants']:,} participants "
        f"(seeded in {data['seed_seconds']:.0f} s; all data {time.perf_counter() - seeding:.0f} s)"
    )
    print(f"database {database_url.split('@')[-1]}; cache and rate limits: Redis {REDIS}")
    from bench.radio_fanout import free_port

    port = free_port()
    directory = Path(tempfile.mkdtemp(prefix="bench-learning-"))
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    }
    environment.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log = directory / "gunicorn.log"
    server = start_gunicorn(port, arguments.workers, arguments.threads, environment, log)
    try:
        print(
            f"gunicorn -c python:config.gunicorn: {arguments.workers} workers × {arguments.threads} threads (gthread); "
            f"{arguments.participants:,} arrivals uniform over {arguments.arrival:.0f} s, "
            f"think {think[0]:g}-{think[1]:g} s a question; "
            f"load average before {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)"
        )
        server_before, machine_before = server_cpu(server), machine_cpu()
        client_before, wall_before = time.process_time(), time.perf_counter()
        results, span = asyncio.run(
            crowd(port, data["tokens"], data["contest"], arguments.arrival, think, arguments.seed)
        )
        wall = time.perf_counter() - wall_before
        client = time.process_time() - client_before
        server_seconds, machine = server_cpu(server) - server_before, machine_cpu() - machine_before
        load_after = os.getloadavg()
        requests = sum(len(values) for values in results.latency.values())
        first, last = min(results.start_sent), max(results.start_sent)
        print(
            f"{requests:,} requests in {wall:.0f} s ({requests / wall:.0f} req/s on average); starts sent from "
            f"{first:.1f} s to {last:.1f} s (spread {last - first:.1f} s), last start answered at "
            f"{max(results.start_done):.1f} s"
        )
        print("latency from the time each request was due (queueing counts):")
        for kind in ("start", "save", "finish"):
            print(f"  {kind:6}: {figures(results.latency[kind])}")
        print(
            f"  client lateness (sent after due): p99 {percentile(results.lag, 0.99) * 1000:.0f} ms, "
            f"max {max(results.lag) * 1000:.0f} ms"
        )
        if arguments.samples:
            Path(arguments.samples).write_text(json.dumps(results.samples))
        boots = log.read_text(errors="replace").count("Booting worker")
        print(f"  gunicorn workers booted: {boots} ({arguments.workers} at the start, the rest recycled)")
        if server.poll() is not None:
            print(f"  GUNICORN STOPPED during the run (exit {server.returncode}); the end of its log ({log}):")
            print("    " + "\n    ".join(log.read_text(errors="replace").splitlines()[-6:]))
        errors = ", ".join(f"{kind} {status or 'no answer'}: {n}" for (kind, status), n in results.errors.items())
        print(f"errors: {sum(results.errors.values())}{' (' + errors + ')' if errors else ''}")
        from tinhso.learning.choices import AttemptStatus
        from tinhso.learning.models import Attempt

        attempts = Attempt.objects.filter(contest_id=data["contest"])
        full = sum(1 for answers in attempts.values_list("answers", flat=True) if len(answers) == QUESTIONS)
        print(
            f"in the database: {attempts.filter(status=AttemptStatus.FINISHED).count():,} attempts submitted "
            f"({results.finished:,} answered 'finished'), {full:,} with all {QUESTIONS} answers saved"
        )
        print(
            f"CPU: server (gunicorn) {server_seconds:.0f} s = {server_seconds / max(requests, 1) * 1000:.1f} ms a "
            f"request; client {client:.0f} s; whole machine {machine:.0f} s of {wall * (os.cpu_count() or 1):.0f} s "
            f"available (the rest: PostgreSQL, Redis, others); load average after {load_after[0]:.2f} "
            f"(1 min) {load_after[1]:.2f} (5 min)"
        )
        token = data["tokens"][0]
        for label, query in (("province", ""), ("within commune 04441", "?within=04441")):
            times, statuses = leaderboard_times(port, token, data["last_year"], query, arguments.leaderboard_runs)
            print(
                f"leaderboard of {data['last_year_attempts']:,} attempts / {data['last_year_participants']:,} "
                f"participants, {label}: {figures(times)}; statuses {sorted(statuses)}"
            )
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
