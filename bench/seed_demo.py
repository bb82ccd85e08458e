"""The whole demo (`manage.py seed_demo`) on a fresh SQLite database: what every first `make run`, the browser
tests' setup and several tests pay.

Times seed_demo alone (after migrate) in a fresh process and database, three times, and reports the median and
the rows written. Each run also takes a fingerprint of what was written: per table the row count and a hash of
every row in primary-key order, leaving out the columns that differ between two runs of the same code (times of
"now", random tokens, password hashes). Two runs of one version give the same fingerprint, so a change that
speeds the seeding up must give the fingerprint the code before it gave (on the same day: some demo dates
follow today):

    python -m bench.seed_demo --save /tmp/before.json     # on the old code
    python -m bench.seed_demo --compare /tmp/before.json  # on the new code: lists the tables that differ

`--runs N` changes the number of runs; `--columns` also saves a hash per column (the change log's snapshots
without the volatile fields), to find the columns that legitimately differ between runs: compare two such dumps.
"""

import argparse
import hashlib
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Columns whose values change from run to run of the same code (found by comparing two runs with --columns): set
# by the clock at the moment of writing or relative to it, or drawn at random (tokens, codes, password salts).
# The change log's before/after snapshots leave out the same fields of the object they describe.
VOLATILE = {
    "*": {"created_at", "updated_at"},
    "accounts_user": {"date_joined", "password", "last_login"},
    "core_delivery": {"delivered_at", "sent_at"},
    "core_objectchange": {"request_id", "time"},
    "django_migrations": {"applied"},
    "feedback_report": {"answered_at", "closed_at", "deadline", "submitted_at", "token"},
    "feedback_reportevent": {"at"},
    "learning_attempt": {"deadline", "finished_at", "started_at"},
    "learning_certificate": {"code"},
    "learning_contest": {"closes_at", "opens_at"},
    "learning_participation": {"finished_at"},
    "meetings_meeting": {"ical_uid"},
    "radio_board": {"slug"},
    "radio_bulletin": {"audio", "audio_sha256", "broadcast_at", "cancelled_at", "expires_at", "send_at"},
    "radio_delivery": {"expires_at", "starts_at"},
    "radio_speakercluster": {"device_id", "last_seen_at", "mosquitto_hash", "password_hash"},
    "scoring_evaluation": {"computed_at", "verified_at"},
    "scoring_score": {"recorded_at"},
    "trace_batch": {"link", "short_code"},
    "trace_device": {"token_hash"},
    "trace_sensorreading": {"time"},
    "trace_tree": {"link", "short_code"},
}
SNAPSHOTS = ("prechange_data", "postchange_data")


def _volatile(table: str) -> set[str]:
    return VOLATILE["*"] | VOLATILE.get(table, set())


def _snapshot(value: str | None, table: str) -> str | None:
    """A change's before/after JSON without the volatile fields of the object's table, keys sorted."""
    if value is None:
        return None
    data = json.loads(value)
    if isinstance(data, dict):
        data = {key: found for key, found in data.items() if key not in _volatile(table)}
    return json.dumps(data, sort_keys=True)


def _rows(db: sqlite3.Connection, table: str, kept: list[str], order: str):
    """The rows of `table` (only the `kept` columns) in key order; the change log's snapshots stabilised."""
    selected = ", ".join(f'"{name}"' for name in kept)
    rows = db.execute(f'SELECT {selected} FROM "{table}" ORDER BY {order}')
    if table != "core_objectchange":
        yield from rows
        return
    tables = {
        pk: f"{app}_{model}" for pk, app, model in db.execute("SELECT id, app_label, model FROM django_content_type")
    }
    kind = kept.index("object_type_id")
    snapshots = [kept.index(name) for name in SNAPSHOTS if name in kept]
    for row in rows:
        row = list(row)
        for index in snapshots:
            row[index] = _snapshot(row[index], tables.get(row[kind], ""))
        yield tuple(row)


def _tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    return [name for (name,) in rows]


def _columns(db: sqlite3.Connection, table: str) -> tuple[list[str], list[str]]:
    """(all columns, primary-key columns) of `table`."""
    info = db.execute(f'PRAGMA table_info("{table}")').fetchall()
    keys = [row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]]
    return [row[1] for row in info], keys


def _order(keys: list[str], columns: list[str]) -> str:
    return ", ".join(f'"{name}"' for name in (keys or columns))


def fingerprint(path: str) -> dict:
    """{table: [rows, sha256 of the stable columns of every row in key order]}."""
    db = sqlite3.connect(path)
    found = {}
    for table in _tables(db):
        columns, keys = _columns(db, table)
        kept = [name for name in columns if name not in _volatile(table)]
        digest = hashlib.sha256()
        count = 0
        for row in _rows(db, table, kept, _order(keys, columns)):
            digest.update(repr(row).encode())
            count += 1
        found[table] = [count, digest.hexdigest()[:16]]
    db.close()
    return found


def column_hashes(path: str) -> dict:
    """{table.column: sha256 of that column over all rows in key order}: compare two runs to find what varies."""
    db = sqlite3.connect(path)
    found = {}
    for table in _tables(db):
        columns, keys = _columns(db, table)
        digests = {name: hashlib.sha256() for name in columns}
        for row in _rows(db, table, columns, _order(keys, columns)):
            for name, value in zip(columns, row, strict=True):
                digests[name].update(repr(value).encode())
        found.update({f"{table}.{name}": digest.hexdigest()[:16] for name, digest in digests.items()})
    db.close()
    return found


def run_once(var_dir: str, columns: bool) -> None:
    """In a child process: migrate a fresh SQLite database in `var_dir`, time seed_demo, print the figures."""
    import io

    os.environ["VAR_DIR"] = var_dir
    os.environ["DATABASE_URL"] = f"sqlite:///{var_dir}/tinhso.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", stdout=io.StringIO())
    seconds = time.perf_counter() - started
    from django.db import connection

    connection.close()
    path = f"{var_dir}/tinhso.sqlite3"
    print(
        json.dumps({"seconds": seconds, "tables": fingerprint(path), "columns": column_hashes(path) if columns else {}})
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--save", help="write the fingerprint (and column hashes with --columns) to this JSON file")
    parser.add_argument("--compare", help="compare the fingerprint with one saved by --save")
    parser.add_argument("--columns", action="store_true", help="also hash each column (slower)")
    parser.add_argument("--once", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.once:
        run_once(options.once, options.columns)
        return
    results = []
    for _ in range(options.runs):
        with tempfile.TemporaryDirectory(prefix="bench-seed-") as var_dir:
            command = [sys.executable, "-m", "bench.seed_demo", "--once", var_dir]
            output = subprocess.run(
                command + (["--columns"] if options.columns else []),
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            results.append(json.loads(output.strip().splitlines()[-1]))
    times = [result["seconds"] for result in results]
    tables = results[0]["tables"]
    rows = sum(count for count, _ in tables.values())
    big = sorted(tables.items(), key=lambda item: -item[1][0])[:5]
    print(
        f"seed_demo on SQLite: median {statistics.median(times):.1f} s "
        f"(min {min(times):.1f}, max {max(times):.1f}; {len(times)} runs; "
        f"rows={rows}, tables={sum(1 for count, _ in tables.values() if count)})"
    )
    print("  most rows: " + ", ".join(f"{name} {count}" for name, (count, _) in big))
    overall = hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()[:16]
    same = all(result["tables"] == tables for result in results)
    print(f"  fingerprint {overall} ({'the same in every run' if same else 'DIFFERS between runs'})")
    if not same:
        for result in results[1:]:
            for name in sorted(set(tables) | set(result["tables"])):
                if tables.get(name) != result["tables"].get(name):
                    print(f"    {name}: {tables.get(name)} / {result['tables'].get(name)}")
    if options.save:
        Path(options.save).write_text(json.dumps({"tables": tables, "columns": results[0]["columns"]}, indent=1))
    if options.compare:
        saved = json.loads(Path(options.compare).read_text())["tables"]
        differing = [name for name in sorted(set(saved) | set(tables)) if saved.get(name) != tables.get(name)]
        print(f"  compared with {options.compare}: " + ("identical" if not differing else "DIFFERENT"))
        for name in differing:
            print(f"    {name}: saved {saved.get(name)}, now {tables.get(name)}")


if __name__ == "__main__":
    main()
