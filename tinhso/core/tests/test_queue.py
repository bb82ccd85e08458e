"""Jobs and messages reach the worker through core.queue, so that the worker's task module is the only
one importing them (no loop jobs ↔ tasks ↔ notifications, not even inside a function)."""

import ast
from pathlib import Path

import pytest

from tinhso.core import queue

CORE = Path(__file__).resolve().parent.parent


def imported_names(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            found.add(("." * node.level) + (node.module or ""))
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


@pytest.mark.parametrize(
    "path", [CORE / "jobs.py", *sorted((CORE / "notifications").glob("*.py"))], ids=lambda p: p.name
)
def test_work_below_the_worker_never_imports_its_task_module(path):
    names = imported_names(path)
    assert not {name for name in names if name.endswith("tasks") and "." in name or name == "tinhso.core.tasks"}


def test_the_worker_offers_its_entry_points_at_start_up():
    # CoreConfig.ready imported tasks.py, which offered both entry points: nothing else did.
    assert {"run_job", "send_deliveries"} <= set(queue._entries)


def test_an_unknown_entry_point_is_a_clear_error_not_a_silent_drop():
    with pytest.raises(LookupError, match="no_such_thing"):
        queue.enqueue("no_such_thing", 1)


def test_a_started_job_runs_through_the_queue(db, django_capture_on_commit_callbacks):
    from tinhso.core.jobs import HANDLERS, start_job
    from tinhso.core.models.jobs import JobStatus

    HANDLERS.setdefault("core.test_queue", lambda job, progress: {"message": "đã chạy"})
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(kind="core.test_queue", title="queue", actor=None)
    job.refresh_from_db()
    assert (job.status, job.message) == (JobStatus.SUCCEEDED, "đã chạy")
