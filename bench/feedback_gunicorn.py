"""Citizen report submissions with a photo over HTTP, against gunicorn on a Unix socket, clients in
separate processes, while an officer answers.

python -m bench.feedback_gunicorn [--seconds 60] [--clients 6] [--workers 3] [--runs 3] [--job-workers 1]

A fresh database (PostgreSQL when reachable) with the bench world of bench/feedback_api.py; gunicorn
(`--workers` sync workers) bound to a Unix socket; `--clients` processes each send POST /api/v1/feedback/
(multipart, a 2,000 × 1,500 JPEG, an Idempotency-Key; every fifth is sent twice with the same key, which
must answer 200, not a second report) as fast as answers come back, for `--seconds`; one more process
answers reports as the officer. Prints submissions per minute, p50/p95, errors, reports in the database
(must equal the 201s), the median over `--runs`, and the machine's load average before and after (the
machine is shared: the load generator runs on the same 2 cores as the server and the database).

The photos are resized by core jobs on a Huey consumer (`--job-workers` threads, 0: none) started beside
gunicorn on the same machine, so its CPU counts against the submissions. Each run prints the photos still
waiting at its end; after the last run the bench waits (at most 10 minutes) until every photo is ready and
prints how long that took: the worker's backlog after a burst.
"""

import argparse
import http.client
import io
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench.common import ROOT, percentile, setup_django


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str):
        super().__init__("localhost", timeout=60)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(60)
        self.sock.connect(self.path)


def multipart(fields: dict, picture: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    out.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="anh.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
    )
    out.write(picture + f"\r\n--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def citizen(sock: str, token: str, villages: list[int], seconds: float, number: int, queue) -> None:
    from bench.feedback_api import photo

    picture, latencies, created, replayed, errors = photo(), [], 0, 0, 0
    connection = UnixConnection(sock)
    end = time.monotonic() + seconds
    index = 0
    while time.monotonic() < end:
        key = str(uuid.uuid4())
        fields = {
            "service": "duong-hu-hong",
            "place": villages[index % len(villages)],
            "description": f"Phản ánh {number}-{index}: đường hỏng.",
        }
        body, kind = multipart(fields, picture)
        headers = {"Authorization": f"Token {token}", "Content-Type": kind, "Idempotency-Key": key, "Host": "localhost"}
        for attempt in range(2 if index % 5 == 0 else 1):
            started = time.perf_counter()
            try:
                connection.request("POST", "/api/v1/feedback/", body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                connection = UnixConnection(sock)
            latencies.append((time.perf_counter() - started) * 1000)
            if status == (201 if attempt == 0 else 200):
                created += attempt == 0
                replayed += attempt == 1
            else:
                errors += 1
        index += 1
    queue.put({"latencies": latencies, "created": created, "replayed": replayed, "errors": errors})


def officer(sock: str, token: str, seconds: float, queue) -> None:
    connection, answered, errors = UnixConnection(sock), 0, 0
    headers = {"Authorization": f"Token {token}", "Host": "localhost", "Content-Type": "application/json"}
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        connection.request("GET", "/api/v1/feedback/?status=open", headers=headers)
        response = connection.getresponse()
        rows = json.loads(response.read() or b"[]")
        rows = rows.get("results", rows) if isinstance(rows, dict) else rows
        for row in [row for row in rows if row.get("status") == "open"][:5]:
            connection.request(
                "POST",
                f"/api/v1/feedback/{row['id']}/answer/",
                body=json.dumps({"answer": "Đã xử lý."}),
                headers=headers,
            )
            reply = connection.getresponse()
            reply.read()
            answered += reply.status == 200
            errors += reply.status != 200
        time.sleep(1)
    queue.put({"answered": answered, "officer_errors": errors})


def start_gunicorn(sock: str, workers: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "ALLOWED_HOSTS": "localhost",
        "LOG_LEVEL": "WARNING",
    }
    command = [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "-b", f"unix:{sock}", "-w", str(workers)]
    with log.open("wb") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 240  # three workers importing Django on a loaded 2-core machine take a while
    while time.monotonic() < deadline:
        try:
            connection = UnixConnection(sock)
            connection.request("GET", "/phan-anh/", headers={"Host": "localhost"})
            connection.getresponse().read()
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()  # not left running after the bench gives up
    process.wait(60)
    raise RuntimeError(f"gunicorn did not answer:\n{log.read_text()[-2000:]}")


def start_worker(threads: int, log: Path) -> subprocess.Popen | None:
    if threads <= 0:
        return None
    command = [sys.executable, "manage.py", "run_huey", "-w", str(threads)]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_LEVEL": "WARNING"}
    with log.open("wb") as output:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)


def waiting_photos() -> int:
    from tinhso.feedback.choices import PhotoStatus
    from tinhso.feedback.models import Photo

    return Photo.objects.filter(status=PhotoStatus.PENDING).count()


def drain(limit_seconds: float = 600) -> tuple[float, int]:
    """Seconds until no photo waits (or the limit), and how many still wait then."""
    began = time.monotonic()
    while waiting_photos() and time.monotonic() - began < limit_seconds:
        time.sleep(1)
    return time.monotonic() - began, waiting_photos()


def run(sock: str, tokens: list[str], officer_token: str, villages: list[int], seconds: float) -> dict:
    queue = multiprocessing.Queue()
    processes = [
        multiprocessing.Process(target=citizen, args=(sock, token, villages, seconds, n, queue))
        for n, token in enumerate(tokens)
    ]
    processes.append(multiprocessing.Process(target=officer, args=(sock, officer_token, seconds, queue)))
    began = time.perf_counter()
    for process in processes:
        process.start()
    results = [queue.get() for _ in processes]
    for process in processes:
        process.join()
    wall = time.perf_counter() - began
    latencies = [value for result in results for value in result.get("latencies", [])]
    created = sum(result.get("created", 0) for result in results)
    return {
        "per_minute": created / wall * 60,
        "p50_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 0.95),
        "errors": sum(result.get("errors", 0) + result.get("officer_errors", 0) for result in results),
        "created": created,
        "replayed": sum(result.get("replayed", 0) for result in results),
        "answered": sum(result.get("answered", 0) for result in results),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=6)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--job-workers", type=int, default=1)
    arguments = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "bench-feedback-gunicorn-" + "x" * 40)
    database_url = setup_django("bench_feedback_gunicorn")
    from rest_framework.authtoken.models import Token

    from bench.feedback_api import world
    from tinhso.feedback.models import Report

    data = world()
    tokens = [Token.objects.create(user=user).key for user in data["citizens"][: arguments.clients]]
    officer_token = Token.objects.create(user=data["officer"]).key
    villages = [village.pk for village in data["villages"]]
    sock = str(Path(tempfile.mkdtemp()) / "gunicorn.sock")
    log = Path(sock).with_name("gunicorn.log")
    print(
        f"database: {database_url.split('@')[-1]}; {arguments.workers} gunicorn workers on a Unix socket; "
        f"{arguments.clients} client processes + 1 officer; {arguments.seconds:.0f} s per run"
    )
    server = start_gunicorn(sock, arguments.workers, log)
    worker = start_worker(arguments.job_workers, log.with_name("huey.log"))
    try:
        results = []
        for number in range(arguments.runs):
            load_before = os.getloadavg()[0]
            before = Report.objects.count()
            result = run(sock, tokens, officer_token, villages, arguments.seconds)
            result["in_database"] = Report.objects.count() - before
            results.append(result)
            print(
                f"  run {number + 1}: {result['per_minute']:.0f}/min, p50 {result['p50_ms']:.0f} ms, p95 "
                f"{result['p95_ms']:.0f} ms, errors {result['errors']}, created {result['created']} "
                f"(in the database {result['in_database']}), replays {result['replayed']}, "
                f"answered {result['answered']}; photos waiting {waiting_photos()}; "
                f"load {load_before:.1f} → {os.getloadavg()[0]:.1f}"
            )
        for key in ("per_minute", "p50_ms", "p95_ms"):
            print(f"  median of {len(results)} runs: {key} = {statistics.median(r[key] for r in results):.0f}")
        if worker is not None:
            server.terminate()  # the submissions are over: the worker has the machine
            waited, left = drain()
            print(f"  photos: all prepared {waited:.0f} s after the last run; still waiting {left}")
    finally:
        for process in (server, worker):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(15)


if __name__ == "__main__":
    main()
