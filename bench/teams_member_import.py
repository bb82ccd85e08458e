"""Importing 10,000 team members from one Excel file: every row checked, then all written at once.

Seeds the demo (teams in every commune and village of Yên Bái), writes a workbook of 10,000
new members spread over the village teams, and times, as the province administrator:
- reading, checking and writing the whole file (rolled back after each run);
- rejecting the same file when 300 of its rows are bad (every bad row reported, nothing written).

Run: python -m bench.teams_member_import   (PostgreSQL at BENCH_DATABASE_URL if reachable)
"""

import io
import random

from .common import measure, report, setup_django

ROWS = 10_000
BAD_ROWS = 300


def workbook(codes: list[str], bad: int = 0) -> bytes:
    from openpyxl import Workbook

    from tinhso.teams.demo.names import ethnicity_for, full_name

    rng = random.Random(10)
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["Mã đơn vị", "Họ và tên", "Số điện thoại", "Giới tính", "Dân tộc", "Năm sinh", "Chức danh"])
    ethnic = {"01": "Kinh", "02": "Tày", "03": "Thái", "06": "Mường", "07": "Nùng", "08": "H'Mông", "09": "Dao"}
    for number in range(ROWS):
        gender = rng.choice(["male", "female"])
        ethnicity = ethnicity_for("136", rng)
        row = [
            rng.choice(codes),
            full_name(ethnicity, gender, rng),
            f"03{number:08d}",
            "Nam" if gender == "male" else "Nữ",
            ethnic.get(ethnicity, "Kinh"),
            rng.randint(1965, 2004),
            "Thành viên",
        ]
        if number < bad:
            row[5] = 3000
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def run_import(content: bytes, actor) -> None:
    from django.db import transaction

    from tinhso.core.imports import ImportRejected
    from tinhso.teams.importers.members import import_members

    uploaded = io.BytesIO(content)
    uploaded.name = "thanh-vien.xlsx"
    with transaction.atomic():
        try:
            import_members(uploaded, actor=actor)
        except ImportRejected as rejected:
            assert len({error.row for error in rejected.errors}) == BAD_ROWS
        transaction.set_rollback(True)


def main() -> None:
    url = setup_django("bench_teams_import")
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from tinhso.accounts.models import User
    from tinhso.units.snapshot import snapshot_on

    call_command("seed_demo", "--only", "units", "users", "teams", verbosity=0, stdout=io.StringIO())
    print(f"database: {connection.vendor} ({url.split('@')[-1]})")
    codes = [place.code for place in snapshot_on(timezone.localdate()).current("village")]
    admin = User.objects.get(username="admin")
    good, bad = workbook(codes), workbook(codes, bad=BAD_ROWS)
    report(
        "import 10,000 members (check + write)",
        measure(lambda: run_import(good, admin), runs=5, warmup=1),
        rows=ROWS,
        file_kb=len(good) // 1024,
    )
    report(
        "reject a file with 300 bad rows",
        measure(lambda: run_import(bad, admin), runs=5, warmup=1),
        rows=ROWS,
        bad_rows=BAD_ROWS,
    )


if __name__ == "__main__":
    main()
