"""Who is acting and under which request id, for the change log and domain events.

Set once per web request by RequestContextMiddleware, and by commands and jobs with
`acting_as(...)`, so that every write path records the same facts without passing them around.
"""

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ActionContext:
    user: object | None = None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    source: str = "system"


_current: ContextVar[ActionContext | None] = ContextVar("tinhso_action_context", default=None)


def current_context() -> ActionContext:
    return _current.get() or ActionContext()


@contextmanager
def acting_as(user=None, *, request_id: uuid.UUID | None = None, source: str = "system"):
    token = _current.set(ActionContext(user=user, request_id=request_id or uuid.uuid4(), source=source))
    try:
        yield _current.get()
    finally:
        _current.reset(token)
