"""Meetings under load: the notice of a 500-member body, the worker delivering it, a concurrent check-in
storm of 300 members scanning the QR code, and a province-wide notice to all 2.910 party cells.

Prints:
- send_notices() to a 500-member body (one Notice and one Message per member, in-app, e-mail and SMS
  deliveries): median of BENCH_RUNS runs (default 3);
- send_due_deliveries() (what the worker runs) sending that notice's deliveries through the console senders;
- the storm: 300 check-ins through POST /api/v1/meetings/<id>/checkin/ from 30 threads, arrivals spread
  evenly over 10 s (the WSGI app in-process, each thread its own client and database connection): wall time,
  median, p95, errors, and whether the quorum is right at the end;
- the province-wide notice: one meeting in each of 2.910 cells (BENCH_CELLS) with BENCH_CELL_MEMBERS members
  each (default 17: the seeds' 50.772 members / 2.910 cells), send_notices() on every one (time to queue), then
  the worker's send_delivery() over every queued e-mail/SMS/Zalo delivery (time to deliver; with
  BENCH_DELIVER_SECONDS > 0 it stops after that long and prints the rate and the extrapolated total).

Run: python -m bench.meetings_notify   (PostgreSQL at BENCH_DATABASE_URL if reachable; a throw-away SECRET_KEY
is set when none is given)
"""

import datetime
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from .common import count_queries, measure, percentile, report, setup_django

MEMBERS = 500
STORM = 300
STORM_SECONDS = 10
STORM_THREADS = 30
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
CELLS = int(os.environ.get("BENCH_CELLS", "2910"))
CELL_MEMBERS = int(os.environ.get("BENCH_CELL_MEMBERS", "17"))
DELIVER_SECONDS = float(os.environ.get("BENCH_DELIVER_SECONDS", "0"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
WORKER_THREADS = int(os.environ.get("BENCH_WORKER_THREADS", "2"))
# The queue (and cache) of the bench: a Redis database of its own, so that nobody else's worker takes its tasks
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")


def p95(times: list[float]) -> float:
    return percentile(times, 0.95)


def main() -> None:
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # VAR_DIR is a fresh temp dir: no key file
    os.environ.update(
        NOTIFY_SMS="console", NOTIFY_QUIET_HOURS="", EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
    )
    from scripts.reachable import reachable

    if reachable(REDIS):
        os.environ["REDIS_URL"] = REDIS
    url = setup_django("bench_meetings")
    import logging

    from django.db import connection
    from django.utils import timezone

    from tinhso.accounts.models import User
    from tinhso.core.models import Delivery
    from tinhso.core.notifications.dispatch import send_due_deliveries
    from tinhso.meetings import services
    from tinhso.meetings.models import Body, BodyMember, Meeting
    from tinhso.units.testing import build_unit_tree

    logging.getLogger("tinhso.core.notifications.senders").setLevel(logging.WARNING)
    tree = build_unit_tree()
    body = Body.objects.create(unit=tree.new_xuan_ai, name="Đảng bộ xã (bench)", kind="party_committee")
    User.objects.bulk_create(
        User(username=f"dangvien{n}", email=f"dangvien{n}@example.vn", phone=f"+849130{n:05d}") for n in range(MEMBERS)
    )
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
    secretary = people[0]
    start = timezone.now() + datetime.timedelta(minutes=30)
    meeting = services.create_meeting(
        body,
        actor=secretary,
        data=services.MeetingData(
            title="Hội nghị đảng bộ", starts_at=start, ends_at=start + datetime.timedelta(hours=3), place="Hội trường"
        ),
    )
    print(f"database: {connection.vendor} ({url.split('@')[-1]})")

    def notify_everyone():
        Meeting.objects.filter(pk=meeting.pk).update(sequence=meeting.sequence + notify_everyone.runs)
        notify_everyone.runs += 1
        sent = services.send_notices(meeting, actor=secretary)
        assert len(sent) == MEMBERS

    notify_everyone.runs = 1
    report(
        "send_notices() to a 500-member body",
        measure(notify_everyone, runs=RUNS, warmup=1),
        members=MEMBERS,
        queries=count_queries(notify_everyone),
    )

    def deliver():
        Delivery.objects.exclude(channel="in_app").update(state="queued", not_before=timezone.now())
        send_due_deliveries()

    Delivery.objects.exclude(channel="in_app").delete()
    notify_everyone()
    queued = Delivery.objects.exclude(channel="in_app").count()
    report(
        "worker delivers one notice (e-mail and SMS)",
        measure(deliver, runs=max(1, RUNS - 2), warmup=0),
        deliveries=queued,
    )

    storm(meeting, people[1 : STORM + 1])
    if CELLS:
        province_wide(tree)


def storm(meeting, people) -> None:
    """300 members scan the QR code within ~10 s: 30 threads, arrivals spread evenly over the window."""
    from django.db import connection

    from tinhso.core.testing import api_client
    from tinhso.meetings import services

    code = services.checkin_code(meeting)
    url = f"/api/v1/meetings/{meeting.pk}/checkin/"
    times: list[float] = []
    statuses: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()
    began = time.perf_counter()

    def one(index_person):
        index, person = index_person
        wait = began + index * STORM_SECONDS / len(people) - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        client = api_client(person)
        started = time.perf_counter()
        try:
            response = client.post(url, {"code": code}, format="json", secure=True)  # HTTPS, as behind the proxy
            status = response.status_code
            if status != 200:
                failures.append(f"{status} {response.content[:200]!r}")
        except Exception as error:  # raised through the test client: an error, not a crash of the bench
            status = 500
            failures.append(repr(error)[:300])
        with lock:
            times.append((time.perf_counter() - started) * 1000)
            statuses.append(status)
        connection.close()  # this thread's connection, as a server process would after its request

    with ThreadPoolExecutor(max_workers=STORM_THREADS, thread_name_prefix="checkin") as pool:
        futures = [pool.submit(one, item) for item in enumerate(people)]
        for future in futures:
            future.result()
    total = time.perf_counter() - began
    errors = sum(status != 200 for status in statuses)
    if failures:
        print(f"first failure of {len(failures)}: {failures[0]}")
    summary = services.attendance_summary(meeting)
    expected_quorum = (len(people) - errors) * 2 > MEMBERS  # the body's rule: more than 1/2 of all members
    print(
        f"check-in storm ({STORM_THREADS} threads, arrivals over {STORM_SECONDS} s): {len(people)} check-ins in "
        f"{total:.1f} s, median {statistics.median(times):.1f} ms, p95 {p95(times):.1f} ms, errors {errors}; "
        f"present {summary['present']} of {summary['invited']}, quorum {summary['quorum']} "
        f"(expected {expected_quorum})"
    )


def province_wide(tree) -> None:
    """A notice to every party cell of the province: one meeting per cell, send_notices() on each, then the
    worker delivering every e-mail/SMS/Zalo delivery through the console senders."""
    from django.db import connection, transaction
    from django.utils import timezone

    from tinhso.accounts.models import User
    from tinhso.core.models import Delivery
    from tinhso.core.models.jobs import Job
    from tinhso.meetings import services
    from tinhso.meetings.models import Body, BodyMember

    bodies = Body.objects.bulk_create(
        Body(unit=tree.new_xuan_ai, name=f"Chi bộ số {n + 1} (bench)", kind="party_cell") for n in range(CELLS)
    )
    User.objects.bulk_create(
        (
            User(username=f"dv{n}", email=f"dv{n}@example.vn", phone=f"+8491{n:07d}")
            for n in range(CELLS * CELL_MEMBERS)
        ),
        batch_size=2000,
    )
    people = list(User.objects.filter(username__startswith="dv").order_by("pk").values_list("pk", flat=True))
    BodyMember.objects.bulk_create(
        (
            BodyMember(
                body=bodies[n // CELL_MEMBERS],
                user_id=person,
                role="secretary" if n % CELL_MEMBERS == 0 else "member",
                valid_from=datetime.date(2024, 1, 1),
            )
            for n, person in enumerate(people)
        ),
        batch_size=2000,
    )
    from tinhso.accounts.testing import make_user

    officer = make_user("district_officer", tree.lao_cai, username="tinhuy-bench")
    start = timezone.now() + datetime.timedelta(days=7)
    data = services.MeetingData(
        title="Sinh hoạt chuyên đề toàn tỉnh",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place="Nhà văn hóa",
    )
    Delivery.objects.all().delete()
    workers = start_workers()
    try:
        began = time.perf_counter()
        with transaction.atomic():
            job = services.start_notice_to_bodies(actor=officer, unit=tree.lao_cai, kind="party_cell", data=data)
        while Job.objects.filter(pk=job.pk, status__in=["queued", "running"]).exists():
            time.sleep(0.2)
        queued_in = time.perf_counter() - began
        job.refresh_from_db()
        outside = Delivery.objects.exclude(channel="in_app")
        total = outside.count()
        print(
            f"province-wide notice ({WORKERS} worker processes × {WORKER_THREADS} threads): one call, job "
            f"{job.status}: {job.result.get('meetings')} meetings, {job.result.get('notices')} notices "
            f"({CELLS} cells × {CELL_MEMBERS} members) and {total} e-mail/SMS/Zalo deliveries queued in "
            f"{queued_in:.1f} s"
        )
        limit = DELIVER_SECONDS or 3600
        while time.perf_counter() - began - queued_in < limit:
            waiting = outside.filter(state="queued").count()
            if not waiting:
                break
            time.sleep(1)
        took = time.perf_counter() - began - queued_in
        sent = outside.filter(state="sent").count()
        rate = sent / took if took else 0.0
        tail = (
            ""
            if sent >= total
            else f"; stopped after BENCH_DELIVER_SECONDS, all would take about {total / max(rate, 1e-9) / 60:.0f} min"
        )
        print(f"worker delivered {sent} of {total} deliveries in {took:.1f} s after the job ({rate:.0f}/s){tail}")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    connection.close()


def start_workers() -> list:
    """BENCH_WORKERS `run_huey` processes (as tinhso-worker@N runs, --no-periodic), on the bench's database
    and queue; the queue's leftovers of the earlier parts are flushed first."""
    from huey.contrib.djhuey import HUEY

    HUEY.flush()
    root = Path(__file__).resolve().parent.parent
    command = [sys.executable, "manage.py", "run_huey", "--workers", str(WORKER_THREADS), "--no-periodic"]
    return [
        subprocess.Popen(command, cwd=root, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(WORKERS)
    ]


if __name__ == "__main__":
    main()
