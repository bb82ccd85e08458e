"""Public tree page and sensor ingestion on gunicorn (2 workers), loopback only.

python -m bench.trace_public [--requests 5000] [--clients 50] [--runs 3] [--workers 2] [--threads 8]

Seeds the Suối Giàng demo world (400 trees, a season, sensors) in a fresh database (PostgreSQL when
reachable), starts gunicorn with 2 workers × 8 threads (Redis cache when REDIS_URL answers, else the file
cache), then:
1. public tree pages: `clients` concurrent keep-alive clients fetch /t/<code> of random trees until
   `requests` pages are served; requests per second and p50/p99 latency, median of `runs` runs. The
   first run warms the page cache (every page rendered once), the next runs are the cached case.
2. sensor ingestion: 4 devices post 10,000 readings in batches of 100 over HTTP, then post them all
   again; readings per minute, and the count in the database (must be 10,000: no loss, no duplicate).
The load generator is Python threads on the same 2 cores as the server: figures are a floor. So the
benchmark also prints the CPU the gunicorn workers spent per cached request (read from /proc, Linux): on a
machine with nothing else running, 2 cores serve about 2,000 / that many ms requests per second.
"""

import argparse
import datetime
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.common import ROOT, setup_django


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seed() -> dict:
    from tinhso.trace import services
    from tinhso.trace.demo import seed_trace
    from tinhso.trace.models import Tree
    from tinhso.units.testing import make_unit

    province = make_unit(None, "15", "Yên Bái", "tinh")
    commune = make_unit(province, "04657", "Suối Giàng", "xa")
    seed_trace()
    devices = [services.register_device(actor=None, unit=commune, device_id=f"bench-{n}")[1] for n in range(4)]
    return {"codes": list(Tree.objects.values_list("short_code", flat=True)), "tokens": devices}


def environment(web_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SITE_URL": web_url,
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": "bench-trace-public-" + "x" * 40,
        "LOG_LEVEL": "WARNING",
    }


def start_gunicorn(web_url: str, log: Path, workers: int = 2, threads: int = 8) -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "-b", web_url.removeprefix("http://")]
    command += ["-w", str(workers), "--threads", str(threads), "--keep-alive", "30"]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=environment(web_url), stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", int(web_url.rsplit(":", 1)[1]), timeout=2)
            connection.request("GET", "/.well-known/gs1resolver")
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer:\n{log.read_text()[-2000:]}")


def load(port: int, paths: list[str], total: int, clients: int) -> dict:
    latencies: list[float] = []
    errors = [0]
    counter = iter(range(total))
    lock = threading.Lock()

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        rng = random.Random()
        while True:
            with lock:
                if next(counter, None) is None:
                    break
            started = time.perf_counter()
            try:
                connection.request("GET", rng.choice(paths), headers={"Accept-Encoding": "gzip"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    ordered = sorted(latencies)
    return {
        "rps": len(latencies) / wall,
        "p50_ms": ordered[len(ordered) // 2],
        "p99_ms": ordered[int(len(ordered) * 0.99) - 1],
        "errors": errors[0],
    }


def ingest(port: int, tokens: list[str], readings: int = 10_000, batch: int = 100) -> dict:
    start = datetime.datetime(2025, 4, 1, tzinfo=datetime.UTC)
    per_device = readings // len(tokens)

    def device(number: int, token: str, results: list):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for offset in range(0, per_device, batch):
            body = {
                "readings": [
                    {
                        "time": (start + datetime.timedelta(minutes=offset + i)).isoformat(),
                        "temperature": 18.5,
                        "humidity": 90,
                    }
                    for i in range(batch)
                ]
            }
            connection.request(
                "POST",
                f"/api/v1/trace/sensors/bench-{number}/readings/",
                body=json.dumps(body),
                headers={"Content-Type": "application/json", "Authorization": f"Device {token}"},
            )
            response = connection.getresponse()
            results.append(json.loads(response.read()))

    def run() -> tuple[float, list]:
        results: list = []
        threads = [threading.Thread(target=device, args=(n, t, results)) for n, t in enumerate(tokens)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - began, results

    first, stored = run()
    again, repeated = run()
    from tinhso.trace.models import SensorReading

    return {
        "per_minute": readings / first * 60,
        "stored": sum(r.get("stored", 0) for r in stored),
        "again_per_minute": readings / again * 60,
        "again_duplicates": sum(r.get("duplicates", 0) for r in repeated),
        "in_database": SensorReading.objects.filter(device__device_id__startswith="bench-").count(),
    }


def workers_cpu_seconds(master: int) -> float:
    """User + system CPU seconds of the gunicorn master's child processes so far (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # ppid; utime and stime are the 12th and 13th fields after the name
            total += int(fields[11]) + int(fields[12])
    return total / ticks


def measured_load(server: subprocess.Popen, port: int, paths: list[str], total: int, clients: int) -> dict:
    server_before, generator_before = workers_cpu_seconds(server.pid), time.process_time()
    figures = load(port, paths, total, clients)
    served = total - figures["errors"]
    figures["server_cpu_ms"] = (workers_cpu_seconds(server.pid) - server_before) / served * 1000
    figures["generator_cpu_ms"] = (time.process_time() - generator_before) / served * 1000
    return figures


def server_cpu_per_page(paths: list[str], count: int = 1000) -> float:
    """CPU ms one cached page costs inside Django (no network, no load generator): the server's ceiling
    is about 1,000 / this × cores requests per second when the machine is otherwise idle."""
    from django.test import Client

    client = Client()
    for path in paths:
        client.get(path)  # render and cache every page
    began = time.process_time()
    for index in range(count):
        client.get(paths[index % len(paths)])
    return (time.process_time() - began) / count * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    arguments = parser.parse_args()
    database_url = setup_django("bench_trace_public")
    data = seed()
    print(
        f"database: {database_url.split('://')[0]}; {len(data['codes'])} trees; "
        f"cache: {'redis' if os.getenv('REDIS_URL') else 'file'}; load average {os.getloadavg()[0]:.1f}"
    )
    paths = [f"/t/{code}" for code in data["codes"]]
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    cpu = statistics.median(server_cpu_per_page(paths) for _ in range(3))
    print(f"server CPU per cached tree page (in process, median of 3 × 1,000): {cpu:.2f} ms")
    port = free_port()
    web_url = f"http://127.0.0.1:{port}"
    log = Path(tempfile.mkdtemp()) / "gunicorn.log"
    server = start_gunicorn(web_url, log, arguments.workers, arguments.threads)
    try:
        runs = [
            measured_load(server, port, paths, arguments.requests, arguments.clients) for _ in range(arguments.runs + 1)
        ]
        cold, cached = runs[0], runs[1:]
        print(
            f"public tree page, {arguments.clients} clients, {arguments.requests} requests per run, "
            f"gunicorn {arguments.workers} workers × {arguments.threads} threads"
        )
        print(
            f"  first run (pages rendered): {cold['rps']:.0f} req/s, "
            f"p99 {cold['p99_ms']:.0f} ms, errors {cold['errors']}"
        )
        for key in ("rps", "p50_ms", "p99_ms", "server_cpu_ms", "generator_cpu_ms"):
            places = 2 if key.endswith("cpu_ms") else 1
            median = statistics.median(r[key] for r in cached)
            print(f"  cached, median of {len(cached)} runs: {key} = {median:.{places}f}")
        print(f"  errors in cached runs: {sum(r['errors'] for r in cached)}; load average {os.getloadavg()[0]:.1f}")
        figures = ingest(port, data["tokens"])
        print("sensor ingestion, 4 devices × batches of 100, 10,000 readings")
        print(f"  first post: {figures['per_minute']:,.0f} readings/min, stored {figures['stored']:,}")
        print(
            f"  same again: {figures['again_per_minute']:,.0f} readings/min, duplicates {figures['again_duplicates']:,}"
        )
        print(f"  readings in the database: {figures['in_database']:,} (expected 10,000)")
    finally:
        server.terminate()
        server.wait(15)


if __name__ == "__main__":
    main()
