"""A live round in a room: N phones (default 300) poll the play page with HTMX's header every 1 s on gunicorn
(PostgreSQL when reachable) while the host opens Q questions; for each question, the time from the host opening
it to each phone's first response that shows it ("question to every phone"), and the poll response times.
Each phone keeps the cookies it is given, as a browser does (the CSRF cookie the answer form needs); the first
question opens once every phone has had a first answer (a room joins over minutes, not in one second).

    python -m bench.learning_live [--phones 300] [--questions 5] [--workers 2]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench.common import ROOT, percentile, setup_django

POLL = 1.0  # as the pages poll (live_views.POLL_SECONDS)
OPEN, SHOW = 6.0, 2.0  # seconds a question stays open (phones reached in that window), then its answer shows


def populate(phones: int) -> dict:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from tinhso.accounts.models import User
    from tinhso.accounts.testing import make_user
    from tinhso.learning import demo, services
    from tinhso.learning.live_views import SESSION_KEY as JOINED
    from tinhso.units.testing import build_unit_tree

    tree = build_unit_tree()
    demo._seed_bank(tree.lao_cai)
    host = make_user("commune_officer", tree.new_xuan_ai, full_name="Người dẫn")
    live = services.create_live_round(actor=host, unit=tree.new_xuan_ai, title="Đố vui", count=20, seconds=30)
    users = User.objects.bulk_create([User(username=f"phone{index}", password="!") for index in range(phones)])
    cookies = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[JOINED] = [live.pk]
        session.save()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return {"live": live, "host": host, "cookies": cookies}


def figures(values: list[float]) -> str:
    p95 = percentile(values, 0.95)
    return f"median {statistics.median(values):.0f} ms, p95 {p95:.0f} ms ({len(values)})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    arguments = parser.parse_args()
    database_url = setup_django("bench_learning_live")
    data = populate(arguments.phones)
    from tinhso.learning import services
    from tinhso.learning.models import LiveRound, Question

    live, host = data["live"], data["host"]
    from bench.radio_fanout import free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
    }
    environment.setdefault("SECRET_KEY", "bench-learning-live-" + "x" * 40)
    directory = Path(tempfile.mkdtemp(prefix="bench-live-"))
    gunicorn = shutil.which("gunicorn") or str(ROOT / ".venv/bin/gunicorn")
    with (directory / "gunicorn.log").open("wb") as output:
        server = subprocess.Popen(
            [gunicorn, "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(arguments.workers), "--threads", "4"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=output,
        )
    url = f"{base}/learning/live/{live.pk}/play/"
    stop = threading.Event()
    lock = threading.Lock()
    polls: list[float] = []
    errors: list[str] = []
    seen: dict[tuple[int, int], float] = {}  # (phone, question number) → when the phone first showed it
    texts: list[str] = []
    codes: dict[int, int] = {}
    ready: set[int] = set()

    def phone(index: int, cookie: str) -> None:
        time.sleep(POLL * index / len(data["cookies"]))  # phones joined at different moments
        body, etag = "", ""
        cookies = {cookie.split("=", 1)[0]: cookie}
        while not stop.is_set():
            started = time.perf_counter()
            headers = {"Cookie": "; ".join(cookies.values()), "HX-Request": "true"}
            if etag:
                headers["If-None-Match"] = etag  # what a browser's cache sends for HTMX's request
            request = urllib.request.Request(url, headers=headers)
            try:
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:
                        body, etag = response.read().decode(), response.headers.get("ETag", "")
                        code = response.status
                        for kept in response.headers.get_all("Set-Cookie") or []:  # a browser's cookie jar
                            cookies[kept.split("=", 1)[0]] = kept.split(";", 1)[0]  # (the CSRF cookie for forms)
                        ready.add(index)
                except urllib.error.HTTPError as error:
                    if error.code != 304:
                        raise
                    code = 304
                took = time.perf_counter() - started
                with lock:
                    polls.append(took * 1000)
                    codes[code] = codes.get(code, 0) + 1
                    for number, text in enumerate(texts):
                        if (index, number) not in seen and text in body:
                            seen[(index, number)] = time.perf_counter()
            except (urllib.error.URLError, OSError) as error:
                with lock:
                    errors.append(str(error))
            stop.wait(max(0.0, POLL - (time.perf_counter() - started)))

    try:
        for _second in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/v1/", timeout=2).close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.5)
        threads = [
            threading.Thread(target=phone, args=(index, cookie), daemon=True)
            for index, cookie in enumerate(data["cookies"])
        ]
        for thread in threads:
            thread.start()
        for _second in range(240):  # the room has joined: every phone has its page and a first poll
            if len(ready) == len(threads):
                break
            time.sleep(0.5)
        time.sleep(POLL * 2)
        print(f"{len(ready)} phones joined; load average {os.getloadavg()[0]:.1f}")
        delivery: list[float] = []
        everyone: list[float] = []  # a phone not reached while the question was open counts as more than OPEN
        for number in range(arguments.questions):
            live = services.advance_live_round(LiveRound.objects.get(pk=live.pk), actor=host)  # open question
            opened = time.perf_counter()
            text = Question.objects.get(pk=live.questions[live.current]["id"]).text
            with lock:
                texts.append(text)
            time.sleep(OPEN)
            with lock:
                delivery += [(seen[(i, number)] - opened) * 1000 for i in range(len(threads)) if (i, number) in seen]
                missing = sum(1 for i in range(len(threads)) if (i, number) not in seen)
                everyone += [
                    (seen[(i, number)] - opened) * 1000 if (i, number) in seen else OPEN * 1000 + 1
                    for i in range(len(threads))
                ]
            print(f"question {number + 1}: reached {len(threads) - missing}/{len(threads)} phones")
            live = services.advance_live_round(LiveRound.objects.get(pk=live.pk), actor=host)  # show the answer
            time.sleep(SHOW)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        print(
            f"load average {os.getloadavg()[0]:.1f}; "
            f"{arguments.phones} phones polling every {POLL:.0f} s, {arguments.questions} questions, "
            f"{arguments.workers} gunicorn workers × 4 threads; errors: {len(errors)} {errors[:2]}"
        )
        print(f"  question to every phone: {figures(delivery)}")
        print(
            f"  the same, a phone not reached in {OPEN:.0f} s counted as {OPEN * 1000 + 1:.0f} ms: {figures(everyone)}"
        )
        print(f"  one poll (200 or 304): {figures(polls)}; by status: {dict(sorted(codes.items()))}")
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
