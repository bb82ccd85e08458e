"""The automatic change log: every create, update and delete of a ChangeLoggedModel.

Signals cover pages, API, admin and commands alike. Bulk writes bypass signals, so a
service that bulk-creates calls `log_bulk_create` in the same transaction.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

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


def log_bulk_create(instances) -> None:
    """Record creations done with bulk_create (the instances must have their primary keys)."""
    changes = [build_change(obj, ChangeAction.CREATE, None, obj.change_log_snapshot()) for obj in instances]
    ObjectChange.objects.bulk_create(changes, batch_size=1000)


def log_bulk_update(pairs) -> None:
    """Record updates done with bulk_update: `pairs` are (before snapshot, instance) tuples."""
    changes = [build_change(obj, ChangeAction.UPDATE, before, obj.change_log_snapshot()) for before, obj in pairs]
    ObjectChange.objects.bulk_create(changes, batch_size=1000)


# -- reading the log: what a person sees on a history page ---------------------------------------
