"""Meetings under load: the notice of a 500-member body, the worker delivering it, and a check-in storm of
300 members scanning the QR code.

Prints the median of several runs of:
- send_notices() to a 500-member body (one Notice and one Message per member, in-app, e-mail and SMS deliveries),
- send_due_deliveries() sending its 500 × 2 deliveries through the console senders,
and for the storm: 300 check-ins through POST /api/v1/meetings/<id>/checkin/ (in-process client, one after
another), their median and p95, errors, and whether the quorum is right at the end.

Run: python -m bench.meetings_notify   (PostgreSQL at BENCH_DATABASE_URL if reachable)
"""

import datetime
import os
import statistics
import time

from .common import count_queries, measure, report, setup_django

MEMBERS = 500
STORM = 300


def main() -> None:
    os.environ.update(
        NOTIFY_SMS="console", NOTIFY_QUIET_HOURS="", EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
    )
    url = setup_django("bench_meetings")
    import logging

    from django.db import connection
    from django.utils import timezone

    from tinhso.accounts.models import User
    from tinhso.core.models import Delivery
    from tinhso.core.notifications.dispatch import send_due_deliveries
    from tinhso.core.testing import api_client
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
        measure(notify_everyone, runs=3, warmup=1),
        members=MEMBERS,
        queries=count_queries(notify_everyone),
    )

    def deliver():
        Delivery.objects.exclude(channel="in_app").update(state="queued", not_before=timezone.now())
        send_due_deliveries()

    Delivery.objects.exclude(channel="in_app").delete()
    notify_everyone()
    queued = Delivery.objects.exclude(channel="in_app").count()
    report("worker delivers one notice (e-mail and SMS)", measure(deliver, runs=3, warmup=0), deliveries=queued)

    code = services.checkin_code(meeting)
    times, errors = [], 0
    began = time.perf_counter()
    for person in people[1 : STORM + 1]:
        client = api_client(person)
        started = time.perf_counter()
        response = client.post(f"/api/v1/meetings/{meeting.pk}/checkin/", {"code": code}, format="json")
        times.append((time.perf_counter() - started) * 1000)
        errors += response.status_code != 200
    total = time.perf_counter() - began
    ordered = sorted(times)
    summary = services.attendance_summary(meeting)
    expected_quorum = STORM * 2 > MEMBERS
    print(
        f"check-in storm: {STORM} check-ins in {total:.1f} s, median {statistics.median(times):.1f} ms, "
        f"p95 {ordered[round(0.95 * len(ordered)) - 1]:.1f} ms, errors {errors}; present {summary['present']} "
        f"of {summary['invited']}, quorum {summary['quorum']} (expected {expected_quorum})"
    )


if __name__ == "__main__":
    main()
