"""Telling many people at once: notify() to 1,356 people (one per village, as a province-wide notice
to village heads would be), and the worker sending their e-mail and SMS deliveries.

Prints the median of several runs of:
- notify() writing 1,356 messages and their in-app, e-mail and SMS deliveries (one transaction),
- send_due_deliveries() sending 1,356 × 2 deliveries through the console senders,
and the SQL statements each costs.

Run: python -m bench.notifications_fanout   (PostgreSQL at BENCH_DATABASE_URL if reachable)
"""

import itertools
import os

from .common import count_queries, measure, report, setup_django

PEOPLE = 1356


def main() -> None:
    os.environ.update(
        NOTIFY_SMS="console", NOTIFY_QUIET_HOURS="", EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"
    )
    url = setup_django("bench_notifications")
    import logging

    from django.db import connection
    from django.utils import timezone

    from tinhso.accounts.models import User
    from tinhso.core.models import Delivery
    from tinhso.core.notifications import notify, register_kind
    from tinhso.core.notifications.dispatch import send_due_deliveries

    register_kind("bench.flood_warning", "Cảnh báo lũ (bench)", channels=("in_app", "email", "sms"))
    logging.getLogger("tinhso.core.notifications.senders").setLevel(logging.WARNING)
    User.objects.bulk_create(
        User(username=f"truongthon{n}", email=f"truongthon{n}@example.vn", phone=f"+849120{n:05d}")
        for n in range(PEOPLE)
    )
    people = list(User.objects.filter(username__startswith="truongthon"))
    print(f"database: {connection.vendor} ({url.split('@')[-1]})")
    keys = itertools.count()

    def tell_everyone():
        notify(
            people,
            kind="bench.flood_warning",
            subject="Mưa lớn đêm nay",
            body="Thông báo cho bà con tránh xa bờ suối.",
            url="/radio/",
            dedupe_key=f"bench-{next(keys)}",
        )

    report(
        "notify() to every village head",
        measure(tell_everyone, runs=3, warmup=1),
        people=PEOPLE,
        queries=count_queries(tell_everyone),
    )

    def send_all():
        Delivery.objects.exclude(channel="in_app").update(state="queued", not_before=timezone.now())
        send_due_deliveries()

    Delivery.objects.exclude(channel="in_app").delete()
    tell_everyone()
    report("worker sends the e-mail and SMS of one notice", measure(send_all, runs=3, warmup=0), deliveries=2 * PEOPLE)


if __name__ == "__main__":
    main()
