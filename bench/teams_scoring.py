"""Scoring every community DX team of the province for a year, and the rankings page.

Seeds the demo (Yên Bái's 173 communes and 1,356 villages with their teams, Lào Cai's 99 commune
teams after the reform, the criteria sets) into a fresh database, then loads field activities
until the year holds at least 500,000 of them (bulk insert, as a migration of past records
would), and times:
- scoring all teams for the year (village and commune criteria sets, every computed criterion),
  from nothing (evaluations deleted between runs) and again when nothing changed;
- the rankings page of the province (first page of 50 of the 1,356 village teams), and ranked
  within communes, as the province administrator — median and p95.

Run: python -m bench.teams_scoring   (PostgreSQL at BENCH_DATABASE_URL if reachable)
Target: scoring < 5 s.
"""

import datetime
import io
import random
import time

from .common import count_queries, measure, report, setup_django

TARGET_ACTIVITIES = 500_000


def load_activities(period) -> int:
    from tinhso.teams.demo.activities import ActivityMaker
    from tinhso.teams.models import Activity, ActivityType, Team

    have = Activity.objects.filter(date__range=(period.start, period.end)).count()
    teams = list(Team.objects.filter(ended_on__isnull=True).select_related("unit"))
    maker = ActivityMaker(random.Random(7), list(ActivityType.objects.all()), (period.start, _last_day(period)))
    batch: list = []
    while have < TARGET_ACTIVITIES:
        for team in teams:
            batch += maker.year_of(team, [])
        Activity.objects.bulk_create(batch, batch_size=5000)
        have, batch = have + len(batch), []
    return have


def _last_day(period) -> datetime.date:
    from django.utils import timezone

    return min(period.end, timezone.localdate())


def score_all(period_code: str) -> int:
    from tinhso.teams import services

    return sum(len(services.evaluate_teams(level, period_code, actor=None)) for level in ("village", "commune"))


def time_scoring(period_code: str, runs: int = 5) -> dict:
    """Median and slowest of `runs` scorings from nothing (evaluations removed between runs)."""
    from tinhso.scoring.models import Evaluation

    times = []
    for _ in range(runs):
        Evaluation.objects.filter(period=period_code, criteria_set__subject_kind__startswith="teams.").delete()
        started = time.perf_counter()
        score_all(period_code)
        times.append((time.perf_counter() - started) * 1000)
    ordered = sorted(times)
    return {
        "runs": runs,
        "median_ms": ordered[runs // 2],
        "p95_ms": ordered[-1],
        "min_ms": ordered[0],
        "max_ms": ordered[-1],
    }


def main() -> None:
    url = setup_django("bench_teams")
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from tinhso.accounts.models import User
    from tinhso.core.periods import parse_period
    from tinhso.scoring.models import Evaluation, Score
    from tinhso.teams.demo import demo_period
    from tinhso.teams.models import Team

    call_command("seed_demo", "--only", "units", "users", "teams", verbosity=0, stdout=io.StringIO())
    period_code = demo_period()
    period = parse_period(period_code)
    activities = load_activities(period)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics after the bulk load
    teams = Team.objects.filter(founded_on__lte=period.end).exclude(ended_on__lt=period.start).count()
    print(f"database: {connection.vendor} ({url.split('@')[-1]}); period {period_code}")
    volume = {"activities": activities, "teams": teams}
    report("score every team, from nothing", time_scoring(period_code), **volume)
    report(
        "score every team again, nothing changed", measure(lambda: score_all(period_code), runs=5, warmup=1), **volume
    )
    scores = Score.objects.filter(evaluation__period=period_code).count()
    print(f"  → {Evaluation.objects.filter(period=period_code).count()} evaluations, {scores} scores")
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    for title, query in (
        ("rankings page, province (50 of all village teams)", "level=village&group=province"),
        ("rankings page, within communes", "level=village&group=commune"),
        ("rankings page, commune teams", "level=commune&group=province"),
    ):
        page = f"/teams/rankings/?{query}&period={period_code}"
        assert client.get(page).status_code == 200
        report(
            title,
            measure(lambda page=page: client.get(page), runs=30),
            teams=teams,
            queries=count_queries(lambda page=page: client.get(page)),
        )


if __name__ == "__main__":
    main()
