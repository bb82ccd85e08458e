"""Where one citizen report submission spends its time: cProfile and the SQL it sends.

python -m bench.feedback_profile [--submissions 60] [--top 25]

In a fresh database (PostgreSQL when reachable), in-process (Django's test client), the bench world of
bench/feedback_api.py: `submissions` POST /api/v1/feedback/ with a 2,000 × 1,500 JPEG (after 5 to warm
up). Prints the mean milliseconds per submission, the functions with the most cumulative time, and the SQL
statements per submission grouped by their first words. The photo job is queued, not run (it runs on the
worker); `--with-job` runs it after each submission to show its cost too.
"""

import argparse
import collections
import cProfile
import io
import os
import pstats
import re
import statistics
import time
import uuid

from bench.common import percentile, setup_django


def submit(client, data: dict, picture: bytes, index: int):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = {
        "service": "duong-hu-hong",
        "place": data["villages"][index % 10].pk,
        "description": f"Phản ánh số {index}: đường hỏng.",
        "photos": [SimpleUploadedFile("anh.jpg", picture, content_type="image/jpeg")],
    }
    response = client.post("/api/v1/feedback/", body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert response.status_code == 201, response.content
    return response.json()["id"]


def statement_kind(sql: str) -> str:
    sql = re.sub(r"\s+", " ", sql)
    table = re.search(r'(?:FROM|INTO|UPDATE) "?(\w+)"?', sql)
    return f"{sql.split(' ', 1)[0]} {table.group(1) if table else ''}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--submissions", type=int, default=60)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--with-job", action="store_true")
    arguments = parser.parse_args()
    for name, value in (
        ("SECRET_KEY", "bench-feedback-" + "x" * 40),
        ("DEBUG", "true"),
        ("SECURE_SSL_REDIRECT", "false"),
        ("ALLOWED_HOSTS", "testserver,127.0.0.1"),
        ("LOG_LEVEL", "WARNING"),
    ):
        os.environ.setdefault(name, value)
    print(f"database: {setup_django('bench_feedback_profile').split('@')[-1]}; load {os.getloadavg()[0]:.1f}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.feedback_api import photo, world
    from tinhso.core.testing import api_client
    from tinhso.feedback.photos import prepare_photos

    data, picture = world(), photo()
    clients = [api_client(citizen) for citizen in data["citizens"][:10]]
    for index in range(5):
        submit(clients[index % 10], data, picture, index)
    # First unprofiled: this process's CPU per submission (the server's Python work; the database's own CPU
    # is not in it) is steadier than wall time on a loaded machine.
    cpu, wall, job_cpu = [], [], []
    for index in range(arguments.submissions):
        started, started_cpu = time.perf_counter(), time.process_time()
        pk = submit(clients[index % 10], data, picture, 500 + index)
        cpu.append((time.process_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        started_cpu = time.process_time()
        prepare_photos(pk)
        job_cpu.append((time.process_time() - started_cpu) * 1000)
    print(
        f"{arguments.submissions} submissions: request CPU median {statistics.median(cpu):.0f} ms "
        f"(p95 {percentile(cpu, 0.95):.0f}), wall median {statistics.median(wall):.0f} ms; "
        f"the photo job afterwards (on the worker): CPU median {statistics.median(job_cpu):.0f} ms"
    )
    profile, statements = cProfile.Profile(), collections.Counter()
    for index in range(arguments.submissions):
        with CaptureQueriesContext(connection) as captured:
            profile.enable()
            pk = submit(clients[index % 10], data, picture, 1000 + index)
            if arguments.with_job:
                prepare_photos(pk)
            profile.disable()
        statements.update(statement_kind(query["sql"]) for query in captured.captured_queries)
    output = io.StringIO()
    pstats.Stats(profile, stream=output).sort_stats("cumulative").print_stats(arguments.top)
    print(output.getvalue())
    total = sum(statements.values()) / arguments.submissions
    print(f"SQL per submission: {total:.1f}")
    for kind, count in statements.most_common():
        print(f"  {count / arguments.submissions:5.1f}  {kind}")
    print(f"load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
