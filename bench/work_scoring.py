"""Monthly KPI scoring of a province's officials, one official's explained score page, and a body's table.

Builds, in a fresh database, `--officials` officials in bodies of `--body-size` (the first body is the
"300-person department"), each with `--items-per-month` work items in each of 12 months (bulk insert,
most accepted, some late, some returned), the Decree 335 rules, then times:
- scoring every official for one month (from nothing, and again when nothing changed);
- one official's explained score page (/work/evaluations/<id>/<month>/) — median and p95;
- the head's explained score page (the body's results included), the completion dashboard and one body's
  people on it;
- the evaluation table of the 300-person body, seen by its head (/work/evaluations/) — median and p95.

Run: python -m bench.work_scoring [--officials 5000 --items-per-month 40]   (the issue's target scale,
2.4 M items; the defaults are a scale that runs in a couple of minutes on a shared laptop)
Targets: month scoring < 10 s at 5,000 officials; score page p95 < 200 ms; body table p95 < 300 ms.
"""

import argparse
import datetime
import os
import random
import time
from decimal import Decimal

from .common import count_queries, measure, report, setup_django

YEAR = 2026
MONTH = f"{YEAR}03"


def build(officials: int, per_month: int, body_size: int) -> int:
    from django.contrib.auth.hashers import make_password

    from tinhso.accounts.models import RoleAssignment, User
    from tinhso.units.models import Organisation
    from tinhso.units.testing import make_unit
    from tinhso.work.defaults import decree_335_rules
    from tinhso.work.models import ConversionFactor, Product, StaffMember, WorkItem

    province = make_unit(None, "15", "Yên Bái", "tinh")
    decree_335_rules(province)
    chance = random.Random(335)
    password = make_password("bench-password-long-enough")
    bodies, made = [], 0
    while made < officials:
        size = min(body_size, officials - made)
        number = len(bodies)
        commune = make_unit(province, f"{10000 + number}", f"Đơn vị {number}", "xa")
        body = Organisation.objects.create(name=f"Cơ quan {number}", kind="peoples_committee", unit=commune)
        users = User.objects.bulk_create(
            [User(username=f"cb{number}-{i}", full_name=f"Cán bộ {number}-{i}", password=password) for i in range(size)]
        )
        RoleAssignment.objects.bulk_create(
            [RoleAssignment(user=u, role="commune_officer", unit=commune) for u in users]
        )
        head = StaffMember.objects.create(user=users[0], organisation=body, title="Thủ trưởng", is_head=True)
        StaffMember.objects.bulk_create(
            [StaffMember(user=u, organisation=body, title="Công chức", manager=head) for u in users[1:]]
        )
        products = [Product.objects.create(organisation=body, code=f"P{k}", name=f"Sản phẩm {k}") for k in range(6)]
        ConversionFactor.objects.bulk_create(
            [
                ConversionFactor(product=p, effective_from=datetime.date(YEAR, 1, 1), factor=Decimal("1.5"))
                for p in products
            ]
        )
        bodies.append((body, commune, users, products))
        made += size
    items = 0
    for body, commune, users, products in bodies:
        batch = []
        for user in users:
            for month in range(1, 13):
                for _ in range(per_month):
                    due = datetime.date(YEAR, month, chance.randint(1, 28))
                    late = chance.choice([0, 0, 0, 1, 3, 8])
                    accepted = chance.random() < 0.85
                    batch.append(
                        WorkItem(
                            unit=commune,
                            organisation=body,
                            title="Việc",
                            assignee=user,
                            assigned_on=due - datetime.timedelta(days=7),
                            due_date=due,
                            product=chance.choice(products),
                            quantity=Decimal(chance.randint(1, 3)),
                            status="accepted" if accepted else "returned",
                            submitted_on=due + datetime.timedelta(days=late) if accepted else None,
                            accepted_on=due + datetime.timedelta(days=late) if accepted else None,
                            quality=chance.choice(["excellent", "good", "good", "fair"]) if accepted else "",
                        )
                    )
            if len(batch) >= 20000:
                WorkItem.objects.bulk_create(batch, batch_size=5000)
                items, batch = items + len(batch), []
        WorkItem.objects.bulk_create(batch, batch_size=5000)
        items += len(batch)
    return items


def time_scoring(runs: int, *, fresh: bool = True) -> dict:
    """Wall time of `runs` month runs (from nothing when `fresh`), and the CPU time this process spent: on a
    machine shared with other work the wall time mostly measures the queue for a core."""
    from tinhso.work.evaluation import score_month
    from tinhso.work.models import StaffMember

    staff = list(StaffMember.objects.select_related("organisation__unit"))
    times, cpu, database_cpu = [], [], []
    for _ in range(runs):
        if fresh:
            forget_month()
        started, started_cpu, started_database = time.perf_counter(), time.process_time(), backend_cpu()
        score_month(staff, MONTH)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append(time.process_time() - started_cpu)
        database_cpu.append(backend_cpu() - started_database)
    ordered = sorted(times)
    return {
        "runs": runs,
        "median_ms": ordered[runs // 2],
        "p95_ms": ordered[-1],
        "min_ms": ordered[0],
        "max_ms": ordered[-1],
        "cpu_s": sorted(cpu)[runs // 2],
        "database_cpu_s": sorted(database_cpu)[runs // 2],
    }


def backend_cpu() -> float:
    """CPU seconds the PostgreSQL backend serving this connection has used (from /proc: the database runs on
    this machine in the bench); 0 elsewhere."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def forget_month() -> None:
    """Remove the month's reviews, evaluations and scores straight in SQL before a run "from nothing": the ORM's
    delete sends a signal (and writes a change-log row) per object, 60,000 of them, which took minutes."""
    from django.db import connection

    from tinhso.scoring.models import Evaluation, Score
    from tinhso.work.models import MonthlyReview

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MonthlyReview._meta.db_table} WHERE period = %s", [MONTH])
        cursor.execute(
            f"DELETE FROM {Score._meta.db_table} WHERE evaluation_id IN "
            f"(SELECT id FROM {Evaluation._meta.db_table} WHERE period = %s)",
            [MONTH],
        )
        cursor.execute(f"DELETE FROM {Evaluation._meta.db_table} WHERE period = %s", [MONTH])


def time_month(options) -> None:
    from tinhso.core.context import acting_as
    from tinhso.work.models import StaffMember, WorkItem

    volume = {"officials": StaffMember.objects.count(), "work_items": WorkItem.objects.count()}
    with acting_as(None, source="command"):
        for title, fresh in (("from nothing", True), ("again, nothing changed", False)):
            figures = time_scoring(options.runs, fresh=fresh)
            load = os.getloadavg()[0]
            report(
                f"score every official for one month, {title}",
                figures,
                process_cpu_s=f"{figures['cpu_s']:.1f}",
                database_cpu_s=f"{figures['database_cpu_s']:.1f}",
                load_average=f"{load:.1f}",
                **volume,
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officials", type=int, default=300)
    parser.add_argument("--items-per-month", type=int, default=40)
    parser.add_argument("--body-size", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--pages-only", action="store_true", help="time the pages on the database the last run built and scored"
    )
    parser.add_argument(
        "--scoring-only", action="store_true", help="time the month's scoring on the database the last run built"
    )
    options = parser.parse_args()
    if options.scoring_only:
        setup_existing("bench_work")
        time_month(options)
        return
    if options.pages_only:
        setup_existing("bench_work")
        time_pages(options)
        return
    url = setup_django("bench_work")
    from django.db import connection

    from tinhso.core.context import acting_as

    started = time.perf_counter()
    with acting_as(None, source="command"):
        items = build(options.officials, options.items_per_month, options.body_size)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"database: {connection.vendor} ({url.split('@')[-1]}); built in {time.perf_counter() - started:.0f} s")
    print(f"{options.officials} officials, {items} work items")
    time_month(options)
    time_pages(options)


def setup_existing(database_name: str) -> None:
    import os
    import tempfile
    from urllib.parse import urlparse

    from .common import DEFAULT_POSTGRES

    base = os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES)
    os.environ["DATABASE_URL"] = base.replace(urlparse(base).path, f"/{database_name}")
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def time_pages(options) -> None:
    from django.test import Client

    from tinhso.work.models import StaffMember

    official = StaffMember.objects.filter(is_head=False).select_related("user").first()
    head = StaffMember.objects.filter(is_head=True, organisation=official.organisation).select_related("user").first()
    client = Client()
    client.force_login(official.user)
    get = client.get

    def secure_get(path):
        return get(path, secure=True)

    client.get = secure_get  # the settings send plain http to https
    page = f"/work/evaluations/{official.pk}/{MONTH}/"
    assert client.get(page).status_code == 200
    report(
        "one official's explained score page",
        measure(lambda: client.get(page), runs=30),
        items_that_month=options.items_per_month,
        queries=count_queries(lambda: client.get(page)),
    )
    client.force_login(head.user)
    head_page = f"/work/evaluations/{head.pk}/{MONTH}/"
    assert client.get(head_page).status_code == 200
    report(
        "the head's explained score page (with the body's results)",
        measure(lambda: client.get(head_page), runs=15),
        people=StaffMember.objects.filter(organisation=head.organisation).count(),
        queries=count_queries(lambda: client.get(head_page)),
    )
    dashboard = f"/work/dashboard/?year={YEAR}"
    assert client.get(dashboard).status_code == 200
    report(
        "the completion dashboard of the year, seen by a head",
        measure(lambda: client.get(dashboard), runs=10),
        queries=count_queries(lambda: client.get(dashboard)),
    )
    body_page = f"/work/dashboard/{head.organisation_id}/?year={YEAR}"
    assert client.get(body_page).status_code == 200
    report(
        "one body's people on the dashboard",
        measure(lambda: client.get(body_page), runs=10),
        people=StaffMember.objects.filter(organisation=head.organisation).count(),
        queries=count_queries(lambda: client.get(body_page)),
    )
    table = f"/work/evaluations/?year={YEAR}"
    assert client.get(table).status_code == 200
    report(
        "the body's evaluation table, seen by its head",
        measure(lambda: client.get(table), runs=20),
        people=StaffMember.objects.filter(organisation=head.organisation).count(),
        queries=count_queries(lambda: client.get(table)),
    )


if __name__ == "__main__":
    main()
