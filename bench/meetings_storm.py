"""Check-in storm against gunicorn over a socket: 300 members of a 500-member body scan the meeting's QR code
within 10 s, each posting to POST /api/v1/meetings/<id>/checkin/ with their own API token.

Seeds a fresh database (PostgreSQL at BENCH_DATABASE_URL when reachable; the Redis cache when BENCH_REDIS_URL
answers), starts gunicorn (config.wsgi, 2 workers × 8 threads, as bench/trace_public.py) on a free
loopback port, then for each of BENCH_RUNS runs (default 3) a new meeting gets the storm: arrivals spread
evenly over 10 s from 30 client threads, one new connection per member (separate phones). Prints per run the
wall time, median and p95 latency, errors, the server's CPU time per check-in (gunicorn's processes: less
sensitive to the machine's load than latency) and whether the quorum reported by GET .../attendance/ is right,
then the median of the runs and the load average. The load generator shares the machine's cores with the
server (and with whatever else runs on it): the figures are a floor.

Run: python -m bench.meetings_storm
"""

import datetime
import http.client
import json
import os
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .common import percentile, setup_django
from .trace_public import environment, free_port, start_gunicorn

MEMBERS = 500
STORM = 300
STORM_SECONDS = 10
THREADS = 30
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


def seed():
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from tinhso.accounts.models import User
    from tinhso.meetings import services
    from tinhso.meetings.models import Body, BodyMember
    from tinhso.units.testing import build_unit_tree

    tree = build_unit_tree()
    body = Body.objects.create(unit=tree.new_xuan_ai, name="Đảng bộ xã (bench)", kind="party_committee")
    User.objects.bulk_create(User(username=f"dangvien{n}", email=f"dv{n}@example.vn") for n in range(MEMBERS))
    people = list(User.objects.filter(username__startswith="dangvien").order_by("pk"))
    BodyMember.objects.bulk_create(
        BodyMember(
            body=body,
            user=person,
            role="secretary" if n == 0 else "member",
            valid_from=datetime.date(2024, 1, 1),
            member_number=f"{n:04d}",
        )
        for n, person in enumerate(people)
    )
    tokens = [Token.objects.create(user=person).key for person in people]
    start = timezone.now() + datetime.timedelta(minutes=30)
    meetings = [
        services.create_meeting(
            body,
            actor=people[0],
            data=services.MeetingData(
                title=f"Hội nghị {run + 1}",
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=3),
                place="Hội trường",
            ),
        )
        for run in range(RUNS)
    ]
    return meetings, tokens


def server_cpu(server) -> float:
    """CPU seconds the gunicorn master and its workers have used so far (user + system)."""
    import psutil

    processes = [psutil.Process(server.pid), *psutil.Process(server.pid).children(recursive=True)]
    return sum(sum(process.cpu_times()[:2]) for process in processes)


def storm(port: int, meeting, tokens: list[str], server) -> dict:
    from tinhso.meetings import services

    body = json.dumps({"code": services.checkin_code(meeting)})
    path = f"/api/v1/meetings/{meeting.pk}/checkin/"
    times: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    cpu_before = server_cpu(server)
    began = time.perf_counter()

    def one(index: int) -> None:
        wait = began + index * STORM_SECONDS / STORM - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request(
                "POST",
                path,
                body=body,
                headers={"Authorization": f"Token {tokens[index + 1]}", "Content-Type": "application/json"},
            )
            response = connection.getresponse()
            content = response.read()
            connection.close()
            if response.status != 200:
                failures.append(f"{response.status} {content[:200]!r}")
        except (OSError, http.client.HTTPException) as error:
            failures.append(repr(error))
        with lock:
            times.append((time.perf_counter() - started) * 1000)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        list(pool.map(one, range(STORM)))
    wall = time.perf_counter() - began
    cpu = server_cpu(server) - cpu_before
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "GET", f"/api/v1/meetings/{meeting.pk}/attendance/", headers={"Authorization": f"Token {tokens[0]}"}
    )
    attendance = json.loads(connection.getresponse().read())
    expected = (STORM - len(failures)) * 2 > MEMBERS  # the party body's rule: more than half of all members
    return {
        "wall": wall,
        "cpu_ms": cpu * 1000 / STORM,
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "errors": len(failures),
        "first_failure": failures[0] if failures else "",
        "present": attendance.get("present"),
        "quorum": attendance.get("quorum"),
        "expected": expected,
    }


def main() -> None:
    from scripts.reachable import reachable

    if reachable(REDIS):
        os.environ["REDIS_URL"] = REDIS
    os.environ["SECRET_KEY"] = environment("http://127.0.0.1")["SECRET_KEY"]  # gunicorn's: the codes must verify
    url = setup_django("bench_meetings_storm")
    meetings, tokens = seed()
    port = free_port()
    web_url = f"http://127.0.0.1:{port}"
    log = Path(tempfile.mkdtemp()) / "gunicorn.log"
    server = start_gunicorn(web_url, log)
    print(
        f"database: {url.split('@')[-1]}, cache: {os.environ.get('REDIS_URL', 'local')}, gunicorn 2 workers × 8 threads"
    )
    results = []
    try:
        for meeting in meetings:
            result = storm(port, meeting, tokens, server)
            results.append(result)
            print(
                f"storm: {STORM} check-ins ({THREADS} client threads, arrivals over {STORM_SECONDS} s) in "
                f"{result['wall']:.1f} s, median {result['median']:.1f} ms, p95 {result['p95']:.1f} ms, errors "
                f"{result['errors']}, server CPU {result['cpu_ms']:.1f} ms a check-in; present {result['present']} "
                f"of {MEMBERS}, quorum {result['quorum']} "
                f"(expected {result['expected']}) {result['first_failure']}"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"median of {len(results)} runs: p95 {statistics.median(r['p95'] for r in results):.1f} ms, median "
        f"{statistics.median(r['median'] for r in results):.1f} ms, server CPU "
        f"{statistics.median(r['cpu_ms'] for r in results):.1f} ms a check-in, "
        f"errors {sum(r['errors'] for r in results)}, "
        f"quorum right in {sum(r['quorum'] == r['expected'] for r in results)} of {len(results)}; "
        f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )


if __name__ == "__main__":
    main()
