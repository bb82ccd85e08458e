"""The embedded SQLite database: web, worker and radio bridge write to one file, so a write must wait for another
process's transaction instead of failing with "database is locked" (a citizen's submitted paper, a report)."""

import threading

import pytest
from django.conf import settings
from django.db.backends.sqlite3.base import DatabaseWrapper

HELD_SECONDS = 6  # longer than sqlite3's default wait of 5 s, which the settings must raise


def _connection(path):
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if "busy_timeout" not in options.get("init_command", ""):
        pytest.skip("the default database is not the embedded SQLite (its options are not in effect)")
    wrapper = DatabaseWrapper(
        {**settings.DATABASES["default"], "NAME": str(path), "OPTIONS": options, "TEST": {}}, alias="waits"
    )
    wrapper.ensure_connection()
    return wrapper


@pytest.fixture
def unblocked(django_db_blocker):
    with django_db_blocker.unblock():  # files of its own, not the test database
        yield


def test_a_write_waits_for_another_connections_long_transaction(tmp_path, unblocked):
    path = tmp_path / "shared.sqlite3"
    first, second = _connection(path), _connection(path)
    with first.cursor() as cursor:
        cursor.execute("CREATE TABLE paper (id INTEGER PRIMARY KEY, answer TEXT)")
    holding = threading.Event()

    def hold_the_write_lock():
        holder = _connection(path)
        with holder.cursor() as cursor:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("INSERT INTO paper (answer) VALUES ('job')")
            holding.set()
            threading.Event().wait(HELD_SECONDS)
            cursor.execute("COMMIT")
        holder.close()

    worker = threading.Thread(target=hold_the_write_lock)
    worker.start()
    assert holding.wait(10)
    with second.cursor() as cursor:
        cursor.execute("INSERT INTO paper (answer) VALUES ('submitted')")  # waits, then writes
    worker.join()
    with first.cursor() as cursor:
        cursor.execute("SELECT answer FROM paper ORDER BY id")
        assert [row[0] for row in cursor.fetchall()] == ["job", "submitted"]
    first.close()
    second.close()
