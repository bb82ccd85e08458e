"""The hand-off to the background worker, without knowing how the worker is built.

`jobs` and `notifications` sit below the worker's task module (`tasks.py`, which imports them to run
their work); they reach the queue through this registry instead of importing `tasks` back. `tasks.py`
offers its entry points here when it is imported, which `CoreConfig.ready` does at start-up in every
process (web, worker, shell, tests).
"""

from collections.abc import Callable

_entries: dict[str, Callable[..., object]] = {}


def offer(name: str, task: Callable[..., object]) -> None:
    """Make `task` the worker's entry point for `name` (called by tasks.py at import)."""
    _entries[name] = task


def enqueue(name: str, *args) -> None:
    """Queue `name` with `args` for the worker (in-process when the queue is immediate)."""
    try:
        task = _entries[name]
    except KeyError:
        raise LookupError(f"No background entry point {name!r}: is tinhso.core in INSTALLED_APPS?") from None
    task(*args)
