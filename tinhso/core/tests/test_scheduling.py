"""A scheduled task runs once per slot, even when two schedulers enqueue it."""

import datetime

import pytest
from django.core.cache import cache
from huey import SqliteHuey, crontab

from tinhso.core.scheduling import claim_slot, slot_of


@pytest.fixture
def queue(tmp_path):
    """A real SQLite-backed huey queue with the hook, as two consumers with periodic tasks would share it."""
    huey = SqliteHuey("schedulers", filename=str(tmp_path / "queue.sqlite3"), utc=True)
    huey.pre_execute(name="one-run-per-slot")(claim_slot)

    @huey.periodic_task(crontab(hour="3", minute="10"), name="nightly_purge")
    def nightly_purge():
        cache.incr("purges")

    cache.set("purges", 0)
    return huey, nightly_purge


def run_everything(huey) -> None:
    while (task := huey.dequeue()) is not None:
        huey.execute(task)


def test_two_schedulers_enqueueing_the_nightly_task_run_it_once(queue, db):
    huey, nightly_purge = queue
    huey.enqueue(nightly_purge.task_class())  # scheduler of worker 1 at 03:10
    huey.enqueue(nightly_purge.task_class())  # scheduler of worker 2 at 03:10
    run_everything(huey)
    assert cache.get("purges") == 1


def test_the_next_night_it_runs_again():
    task = crontab_task("3", "10")
    monday = slot_of(task, datetime.datetime(2026, 12, 7, 3, 10, 40))
    tuesday = slot_of(task, datetime.datetime(2026, 12, 8, 3, 11, 5))
    assert monday == datetime.datetime(2026, 12, 7, 3, 10)
    assert tuesday == datetime.datetime(2026, 12, 8, 3, 10)


def test_a_copy_that_runs_late_still_belongs_to_its_slot():
    task = crontab_task("3", "10")
    assert slot_of(task, datetime.datetime(2026, 12, 7, 4, 59)) == datetime.datetime(2026, 12, 7, 3, 10)


def crontab_task(hour: str, minute: str):
    huey = SqliteHuey("slots", filename=":memory:", utc=True)

    @huey.periodic_task(crontab(hour=hour, minute=minute), name=f"at_{hour}_{minute}")
    def scheduled():
        return None

    return scheduled.task_class()
