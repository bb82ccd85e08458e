"""Read from a PostgreSQL streaming replica when DATABASE_REPLICA_URL is set.

Reads inside a transaction (every service) stay on the primary, so a write is never checked
against stale data; so do all reads of a session for a few seconds after it wrote something
(RequestContextMiddleware marks those requests), so people always see their own changes.
"""

from contextvars import ContextVar

from django.db import connections

read_from_primary: ContextVar[bool] = ContextVar("read_from_primary", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if read_from_primary.get() or connections["default"].in_atomic_block:
            return "default"
        return "replica"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, first, second, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
