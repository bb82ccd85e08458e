"""The automatic change log: every create, update and delete of a ChangeLoggedModel.

Signals cover pages, API, admin and commands alike. Bulk writes bypass signals, so a
service that bulk-creates calls `log_bulk_create` in the same transaction.
"""

import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from .bulk import insert_values
from .context import current_context
from .models.base import ChangeLoggedModel
from .models.changelog import ChangeAction, ObjectChange


def _actor_fields() -> dict:
    context = current_context()
    user: Any = context.user.resolve() if hasattr(context.user, "resolve") else context.user
    user = user if getattr(user, "pk", None) else None
    return {
        "user": user,
        "user_name": user.get_username() if user else context.source,
        "request_id": context.request_id,
        "source": context.source,
    }


def build_change(instance: ChangeLoggedModel, action: str, before, after) -> ObjectChange:
    return ObjectChange(
        action=action,
        object_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        unit_path=instance.change_log_unit_path(),
        prechange_data=before,
        postchange_data=after,
        **_actor_fields(),
    )


@receiver(post_save)
def log_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, ChangeLoggedModel):
        return
    after = instance.change_log_snapshot()
    before = None if created else instance.change_log_loaded()
    if not created and before == after:
        return
    build_change(instance, ChangeAction.CREATE if created else ChangeAction.UPDATE, before, after).save()
    instance.remember_saved_state()


@receiver(post_delete)
def log_delete(sender, instance, **kwargs):
    if not isinstance(instance, ChangeLoggedModel):
        return
    before = instance.change_log_loaded() or instance.change_log_snapshot()
    build_change(instance, ChangeAction.DELETE, before, None).save()


def _bulk_changes(action: str, pairs) -> list[dict]:
    """The field values of one change per (before, instance); who acted and the object type are worked out
    once per batch, and the unit paths once per model (`change_log_unit_paths`: one query for a batch of users
    instead of one per user)."""
    actor, now, types = _actor_fields(), timezone.now(), {}
    user = actor.pop("user")
    common = {"time": now, "action": action, "user_id": user.pk if user else None, **actor}
    pairs = list(pairs)
    by_model: dict[type[ChangeLoggedModel], list] = {}
    for _before, instance in pairs:
        by_model.setdefault(type(instance), []).append(instance)
    paths: dict[int, str] = {}
    for model, instances in by_model.items():
        types[model] = ContentType.objects.get_for_model(model, for_concrete_model=True).pk
        paths.update(zip(map(id, instances), model.change_log_unit_paths(instances), strict=True))
    return [
        {
            **common,
            "object_type_id": types[type(instance)],
            "object_id": instance.pk,
            "object_repr": str(instance)[:200],
            "unit_path": paths[id(instance)],
            "prechange_data": before,
            "postchange_data": instance.change_log_snapshot(),
        }
        for before, instance in pairs
    ]


def _insert_changes(changes: list[dict]) -> None:
    """Write many changes at once, straight from the values: a month's scoring of a province logs 10,000
    evaluations and reviews, and the demo 80,000 rows; building a model instance for each, then turning its
    values into SQL parameters, cost more than the rest of the logging. On PostgreSQL through COPY; elsewhere one
    prepared INSERT run for every row, with each value converted by its field as bulk_create would."""
    if not changes:
        return
    fields = [f for f in ObjectChange._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(ObjectChange._meta.db_table)
    names = [f.attname for f in fields]
    if connection.vendor != "postgresql":
        insert_values(ObjectChange, fields, ([change[name] for name in names] for change in changes))
        return
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}

    def value(change: dict, name: str):
        found = change[name]
        if name in json_fields and found is not None:
            return json.dumps(found, cls=DjangoJSONEncoder)
        return found

    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for change in changes:
            copy.write_row([value(change, name) for name in names])


def log_bulk_create(instances) -> None:
    """Record creations done with bulk_create (the instances must have their primary keys)."""
    _insert_changes(_bulk_changes(ChangeAction.CREATE, ((None, obj) for obj in instances)))


def log_bulk_update(pairs) -> None:
    """Record updates done with bulk_update: `pairs` are (before snapshot, instance) tuples."""
    _insert_changes(_bulk_changes(ChangeAction.UPDATE, pairs))


# -- reading the log: what a person sees on a history page ---------------------------------------
