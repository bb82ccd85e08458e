"""Live dashboards under load: the province dashboard and a district drill-down at 1×, 3× and 10× data.

1× is the seeds' province: 1,356 villages × 34 data elements × 60 months (1/2021 – 12/2025, across
the 2025 reform, so roll-ups follow successions) ≈ 2.8 M approved values; k× multiplies the villages.
Data is generated inside PostgreSQL (INSERT … SELECT over generate_series, big indexes dropped
during the load), roll-ups rebuilt, then, as the province administrator, the script times:
- the province dashboard for 2024 (34 indicators, 9 districts, trend, reporting, tasks, ranking),
- the district drill-down (Văn Yên and its communes),
- the dashboard of today's province (Lào Cai, two tiers) for 2025, figures rolled across the reform,
and checks that a value approved a moment ago is counted on the next load.

Run: python -m bench.plans_dashboard [scales...]   (PostgreSQL at BENCH_DATABASE_URL; default 1 3 10)
"""

import datetime
import io
import os
import sys
import time
from functools import partial

from .common import count_queries, measure, report, setup_django

ELEMENTS = 34
FIRST_MONTH, LAST_MONTH = datetime.date(2021, 1, 1), datetime.date(2025, 12, 1)


def main(scales: list[int]) -> None:
    url = setup_django("bench_plans")
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("This benchmark needs PostgreSQL (BENCH_DATABASE_URL); skipped.")
        return
    call_command("seed_demo", "--only", "units", "users", verbosity=0, stdout=io.StringIO())
    print(f"database: {connection.vendor} ({url.split('@')[-1]})")
    definitions = define()
    done = 1
    for scale in scales:
        add_villages(done, scale)
        done = scale
        load(definitions, scale)
        time_dashboards(definitions, scale)


def define():
    """34 monthly village data elements, 34 indicators over them, a plan with 34 targets."""
    from tinhso.plans.models import DataSet, Plan, Target
    from tinhso.plans.testing import make_data_set, make_indicator
    from tinhso.units.models import Unit

    elements = [(f"DE_{n:02d}", f"Chỉ số dữ liệu {n}", "integer", "sum" if n % 2 else "last") for n in range(ELEMENTS)]
    data_set = make_data_set("BENCH_THON_THANG", "month", "village", elements, due_days=5)
    indicators = [
        make_indicator(
            f"CT_{n:02d}", f"#{{DE_{n:02d}}}", f"#{{DE_{(n + 1) % ELEMENTS:02d}}}", name=f"Chỉ tiêu {n}", order=n
        )
        for n in range(ELEMENTS)
    ]
    yen_bai = Unit.objects.get(code="15", level="province", valid_to__isnull=False)
    plan = Plan.objects.create(
        unit=yen_bai,
        number="80/KH-UBND",
        title="Kế hoạch chuyển đổi số năm 2024",
        issued_on=datetime.date(2024, 3, 27),
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 12, 31),
    )
    lao_cai = Unit.objects.get(code="15", valid_from=datetime.date(2025, 7, 1))
    today = Plan.objects.create(
        unit=lao_cai,
        number="15/KH-UBND",
        title="Kế hoạch chuyển đổi số năm 2025",
        issued_on=datetime.date(2025, 7, 15),
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2025, 12, 31),
    )
    Target.objects.bulk_create(
        [Target(plan=plan, indicator=each, unit=yen_bai, period="2024", value=90) for each in indicators]
        + [Target(plan=today, indicator=each, unit=lao_cai, period="2025", value=90) for each in indicators]
    )
    return {"data_set": DataSet.objects.get(pk=data_set.pk), "plan": plan, "province": yen_bai, "today": lao_cai}


def add_villages(have: int, want: int) -> None:
    """Grow every village (each version, with its succession links) from `have` copies to `want`."""
    from tinhso.units.models import Unit, UnitSuccession
    from tinhso.units.succession import bump_tree_version

    if want <= have:
        return
    originals = list(Unit.objects.filter(level="village", code__regex=r"^\d+-\d+$").select_related("parent"))
    copies, made = [], {}
    for village in originals:
        for copy in range(have, want):
            clone = Unit(
                code=f"{village.code}-{copy}",
                name=f"{village.name} {copy}",
                short_name=village.short_name,
                level="village",
                unit_type=village.unit_type,
                parent=village.parent,
                depth=3,
                valid_from=village.valid_from,
                valid_to=village.valid_to,
            )
            copies.append(clone)
            made[(village.pk, copy)] = clone
    Unit.objects.bulk_create(copies, batch_size=5000)
    for clone in copies:
        clone.path = f"{clone.parent.path}{clone.pk}/"
    Unit.objects.bulk_update(copies, ["path"], batch_size=5000)
    links = UnitSuccession.objects.filter(predecessor__in=originals)
    UnitSuccession.objects.bulk_create(
        [
            UnitSuccession(predecessor=made[(link.predecessor_id, copy)], successor=made[(link.successor_id, copy)])
            for link in links
            for copy in range(have, want)
        ],
        batch_size=5000,
    )
    bump_tree_version()


REPORTS_SQL = """
INSERT INTO plans_report (created_at, updated_at, data_set_id, unit_id, period, due_date, status,
                          first_submitted_at, submitted_at, decided_at, return_reason)
SELECT now(), now(), %(data_set)s, unit.id, to_char(month, 'YYYYMM'),
       (month + interval '1 month 4 days')::date, 'approved',
       month + interval '1 month 2 days', month + interval '1 month 2 days', month + interval '1 month 5 days', ''
FROM units_unit unit
JOIN generate_series(%(first)s::date, %(last)s::date, interval '1 month') AS month
  ON unit.valid_from <= (month + interval '1 month - 1 day')::date
 AND (unit.valid_to IS NULL OR unit.valid_to >= (month + interval '1 month - 1 day')::date)
WHERE unit.level = 'village'
  AND NOT EXISTS (SELECT 1 FROM plans_report r WHERE r.unit_id = unit.id AND r.data_set_id = %(data_set)s)
"""
VALUES_SQL = """
INSERT INTO plans_datavalue (created_at, updated_at, report_id, data_element_id, unit_id, period, value, number,
                             comment, is_outlier, is_approved, stored_by_id)
SELECT now(), now(), report.id, element.data_element_id, report.unit_id, report.period,
       ((report.id * 7 + element.data_element_id * 13) %% 90 + 10)::text,
       (report.id * 7 + element.data_element_id * 13) %% 90 + 10, '', false, true, NULL
FROM plans_report report
JOIN plans_datasetelement element ON element.data_set_id = report.data_set_id
WHERE report.data_set_id = %(data_set)s AND report.id > %(after)s
"""


def load(definitions, scale: int) -> None:
    from django.db import connection

    from tinhso.plans import rollups
    from tinhso.plans.models import DataValue, Report

    started = time.perf_counter()
    after = Report.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    parameters = {"data_set": definitions["data_set"].pk, "first": FIRST_MONTH, "last": LAST_MONTH, "after": after}
    with connection.cursor() as cursor:
        cursor.execute('ALTER TABLE plans_datavalue DROP CONSTRAINT IF EXISTS "one_value_per_element"')
        cursor.execute('DROP INDEX IF EXISTS "value_element_period_idx"')
        cursor.execute(REPORTS_SQL, parameters)
        cursor.execute(VALUES_SQL, parameters)
        unique = 'ADD CONSTRAINT "one_value_per_element" UNIQUE (unit_id, period, data_element_id)'
        cursor.execute(f"ALTER TABLE plans_datavalue {unique}")
        cursor.execute('CREATE INDEX "value_element_period_idx" ON plans_datavalue (data_element_id, period)')
    loaded = time.perf_counter()
    rollups.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    values = DataValue.objects.count()
    reports = Report.objects.count()
    print(
        f"\n{scale}× data: {values:,} values in {reports:,} reports "
        f"(loaded in {loaded - started:.0f} s, roll-ups rebuilt in {time.perf_counter() - loaded:.0f} s)"
    )


def time_dashboards(definitions, scale: int) -> None:
    from django.test import Client

    from tinhso.accounts.models import User
    from tinhso.plans.models import DataValue
    from tinhso.units.models import Unit

    client = Client()
    client.force_login(User.objects.get(username="admin"))
    province, district = definitions["province"], Unit.objects.get(code="136")
    lao_cai = definitions["today"]
    volume = {"scale": f"{scale}x", "values": DataValue.objects.count()}
    cases = [
        ("province dashboard, Yên Bái 2024", f"/plans/units/{province.pk}/?as_of=2024-12-31&period=2024"),
        ("district drill-down, Văn Yên 2024", f"/plans/units/{district.pk}/?as_of=2024-12-31&period=2024"),
        ("today's province, Lào Cai 2025 (across the reform)", f"/plans/units/{lao_cai.pk}/?period=2025"),
        (
            "Yên Bái's plan read with 2025 data on 2024's tree",
            f"/plans/units/{province.pk}/?as_of=2024-12-31&period=2025",
        ),
    ]
    for title, path in cases:
        started = time.perf_counter()
        first = client.get(path)
        cold = (time.perf_counter() - started) * 1000
        assert first.status_code == 200, first.status_code
        load = partial(client.get, path)
        figures = measure(load, runs=20)
        machine = f"{os.getloadavg()[0]:.1f}"
        report(f"{title} [first load {cold:.0f} ms]", figures, **volume, queries=count_queries(load), load=machine)
    approval_is_live(client, province)


def approval_is_live(client, province) -> None:
    """Return an approved report, read the figure, approve the report again: the next read counts it."""
    from tinhso.plans import services
    from tinhso.plans.models import Report

    target = Report.objects.filter(period="202412", unit__code__startswith="04441-").order_by("pk").first()
    api = "/api/v1/indicators/CT_00/values/?unit=15&period=2024&as_of=2024-12-31"
    services.return_report(target, actor=None, reason="Kiểm tra benchmark")
    services.submit_report(target, actor=None)
    before = client.get(api).json()["numerator"]
    started = time.perf_counter()
    services.approve_report(target, actor=None)
    approval_ms = (time.perf_counter() - started) * 1000
    after = client.get(api).json()["numerator"]
    verdict = "yes" if before != after else "NO"
    print(
        f"value approved a moment ago counted on the next read: {verdict} "
        f"(numerator {before} → {after}; the approval itself took {approval_ms:.0f} ms)"
    )


if __name__ == "__main__":
    main([int(each) for each in sys.argv[1:]] or [1, 3, 10])
