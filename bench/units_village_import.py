"""Importing 10,000 villages from an Excel file: validation of every row, then all-or-nothing writes.

Seeds the demo structure into a fresh database, builds an .xlsx of 10,000 new villages spread over
the 99 communes of today's Lào Cai, and times `import_villages` (read + validate + write + change
log) as the province administrator, three times with fresh names; also times a file whose last row
is bad (everything validated, nothing written).

Run: python -m bench.units_village_import   (PostgreSQL at BENCH_DATABASE_URL if reachable)
"""

import io
import statistics
import time

from .common import setup_django

ROWS = 10_000


def workbook(communes: list[str], run: int, bad_last_row: bool = False) -> io.BytesIO:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Mã xã", "Tên thôn", "Loại", "Số hộ"])
    for number in range(ROWS):
        sheet.append([communes[number % len(communes)], f"Thử nghiệm {run}-{number}", "Thôn", 100])
    if bad_last_row:
        sheet.append(["99999", "Thôn Lạ", "Thôn", "nhiều"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "thon.xlsx"
    return buffer


def main() -> None:
    url = setup_django("bench_units_import")
    from django.core.management import call_command
    from django.db import connection

    from tinhso.accounts.models import User
    from tinhso.core.imports import ImportRejected
    from tinhso.units.importers.villages import import_villages
    from tinhso.units.models import Unit

    call_command("seed_demo", "--only", "units", "users", verbosity=0, stdout=io.StringIO())
    admin = User.objects.get(username="admin")
    communes = list(Unit.objects.valid_on().filter(level="commune").values_list("code", flat=True))
    print(f"database: {connection.vendor} ({url.split('@')[-1]}); {ROWS:,} rows over {len(communes)} communes")
    times = []
    for run in range(3):
        started = time.perf_counter()
        result = import_villages(workbook(communes, run), actor=admin)
        times.append(time.perf_counter() - started)
        assert result["created"] == ROWS
    print(
        f"import of {ROWS:,} valid rows: median {statistics.median(times):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in times)})"
    )
    before = Unit.objects.count()
    started = time.perf_counter()
    try:
        import_villages(workbook(communes, 9, bad_last_row=True), actor=admin)
    except ImportRejected as rejected:
        errors = len(rejected.errors)
    print(
        f"file of {ROWS + 1:,} rows with one bad row: rejected in {time.perf_counter() - started:.2f} s, "
        f"{errors} errors listed, {Unit.objects.count() - before} villages written"
    )


if __name__ == "__main__":
    main()
