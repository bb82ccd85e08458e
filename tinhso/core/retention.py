"""How long records are kept: each kind of record has a period in settings, and a nightly job removes
what is older, in batches so that a first run on years of data never holds a long lock.

A module registers its own records in `ready()`: `retention.register("radio.play_log", PlayEvent, "at",
"PLAY_LOG_RETENTION_DAYS")`. A period of 0 keeps the records forever.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

BATCH = 5000


@dataclass(frozen=True)
class Policy:
    name: str
    model: type[models.Model]
    date_field: str
    setting: str

    @property
    def days(self) -> int:
        return int(getattr(settings, self.setting, 0) or 0)


POLICIES: dict[str, Policy] = {}


def register(name: str, model: type[models.Model], date_field: str, setting: str) -> None:
    POLICIES[name] = Policy(name, model, date_field, setting)


def purge(policy: Policy, now: datetime.datetime | None = None) -> int:
    """Delete the policy's records older than its period; returns how many went."""
    if policy.days <= 0:
        return 0
    cutoff = (now or timezone.now()) - datetime.timedelta(days=policy.days)
    # A plain queryset: append-only logs refuse deletes through their own manager, but not their retention.
    old: models.QuerySet = models.QuerySet(policy.model).filter(**{f"{policy.date_field}__lt": cutoff}).order_by()
    removed = 0
    while ids := list(old.values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            models.QuerySet(policy.model).filter(pk__in=ids).delete()
        removed += len(ids)
    return removed


def purge_all(now: datetime.datetime | None = None) -> dict[str, int]:
    return {name: purge(policy, now) for name, policy in POLICIES.items()}


def _register_foundation() -> None:
    from .models import Delivery
    from .models.changelog import ObjectChange

    register("core.change_log", ObjectChange, "time", "CHANGE_LOG_RETENTION_DAYS")
    register("core.notification_deliveries", Delivery, "created_at", "NOTIFICATION_RETENTION_DAYS")
