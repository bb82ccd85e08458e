"""Contest load through the API on gunicorn (PostgreSQL when reachable): N participants each start an attempt,
save 20 answers one by one (autosave) and submit; then the leaderboard of last year's contest at its real size
(13.498 participants, 23.094 attempts), for the province and within one commune.

    python -m bench.learning_contest [--participants 2000] [--concurrency 16] [--workers 2]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.common import ROOT, percentile, setup_django

QUESTIONS = 20


def populate(participants: int) -> dict:
    from tinhso.accounts.models import User
    from tinhso.accounts.services import issue_token
    from tinhso.learning import demo
    from tinhso.learning.models import Question
    from tinhso.units.models import Organisation
    from tinhso.units.testing import build_unit_tree

    tree = build_unit_tree()
    demo._seed_bank(tree.lao_cai)
    demo._seed_current_contest(tree.lao_cai)
    from tinhso.learning.models import Contest, QuestionPool

    contest = Contest.objects.get(title=demo.TITLE_NOW)
    QuestionPool.objects.filter(contest=contest).update(count=QUESTIONS)
    users = User.objects.bulk_create([User(username=f"bench{index}", password="!") for index in range(participants)])
    tokens = [issue_token(user) for user in users]
    for unit in (tree.yen_bai, tree.xuan_ai, tree.yen_hop, tree.khanh_hoa):
        Organisation.objects.create(name=f"Ủy ban nhân dân {unit.name}", kind="peoples_committee", unit=unit)
    started = time.perf_counter()
    demo._seed_contest_2025(tree.yen_bai, list(Question.objects.all()))
    seeded = time.perf_counter() - started
    last_year = Contest.objects.get(title=demo.TITLE_2025)
    return {"contest": contest.pk, "last_year": last_year.pk, "tokens": tokens, "seed_seconds": seeded}


def call(base: str, token: str, method: str, path: str, body=None) -> tuple[dict, float]:
    headers = {"Accept": "application/json", "Authorization": f"Token {token}"}
    data = None
    if body is not None:
        data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    request = urllib.request.Request(f"{base}/api/v1/{path}", data=data, headers=headers, method=method)
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = response.read()
    return json.loads(answer or b"{}"), (time.perf_counter() - started) * 1000


def sit(base: str, token: str, contest: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"start": [], "answer": [], "finish": []}
    attempt, took = call(base, token, "POST", f"contests/{contest}/attempts/")
    timings["start"].append(took)
    for question in attempt["questions"]:
        answer = {"single": 0, "multiple": [0], "truefalse": True, "short": "VNeID", "numeric": 1356}.get(
            question["kind"], [None] * len(question.get("lefts", []))
        )
        _body, took = call(
            base, token, "PUT", f"attempts/{attempt['id']}/answers/", {"answers": {question["id"]: answer}}
        )
        timings["answer"].append(took)
    _body, took = call(base, token, "POST", f"attempts/{attempt['id']}/finish/")
    timings["finish"].append(took)
    return timings


def figures(values: list[float]) -> str:
    p95 = percentile(values, 0.95)
    return f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms ({len(values)} requests)"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()
    database_url = setup_django("bench_learning_contest")
    data = populate(arguments.participants)
    print(f"database {database_url.split('@')[-1]}; last year's contest seeded in {data['seed_seconds']:.1f} s")
    directory = Path(tempfile.mkdtemp(prefix="bench-learning-"))
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": "bench-learning-" + "x" * 40,
        "LOG_LEVEL": "WARNING",
    }
    from bench.radio_fanout import free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = directory / "gunicorn.log"
    gunicorn = [
        shutil.which("gunicorn") or str(ROOT / ".venv/bin/gunicorn"),
        "config.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(arguments.workers),
    ]
    with log.open("wb") as output:
        server = subprocess.Popen(
            [*gunicorn, "--threads", "4"], cwd=ROOT, env=environment, stdout=output, stderr=output
        )
    try:
        for _second in range(60):
            try:
                urllib.request.urlopen(f"{base}/api/v1/", timeout=2).close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.5)
        started = time.perf_counter()
        with ThreadPoolExecutor(arguments.concurrency) as pool:
            results = list(pool.map(lambda token: sit(base, token, data["contest"]), data["tokens"]))
        wall = time.perf_counter() - started
        requests = sum(len(values) for result in results for values in result.values())
        print(
            f"{arguments.participants} participants × (start + {QUESTIONS} answers + submit) = {requests} requests "
            f"in {wall:.1f} s ({requests / wall:.0f} req/s; {arguments.concurrency} clients, "
            f"{arguments.workers} gunicorn workers × 4 threads)"
        )
        for kind in ("start", "answer", "finish"):
            print(f"  {kind}: {figures([value for result in results for value in result[kind]])}")
        token = data["tokens"][0]
        for label, query in (("province", ""), ("within commune 04441", "?within=04441")):
            times = [
                call(base, token, "GET", f"contests/{data['last_year']}/leaderboard/{query}")[1] for _run in range(15)
            ]
            print(f"leaderboard of 23.094 attempts / 13.498 participants, {label}: {figures(times)}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
