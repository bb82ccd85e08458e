"""The automatic change log: every create, update and delete of a ChangeLoggedModel.

Signals cover pages, API, admin and commands alike. Bulk writes bypass signals, so a
service that bulk-creates calls `log_bulk_create` in the same transaction.
"""

import datetime
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format, localize
from django.utils.text import capfirst
from django.utils.translation import gettext as _

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

_EMPTY = "—"
_LONGEST = 160


def readable_changes(change: ObjectChange) -> list[tuple[str, str, str]]:
    """(field label, before, after) of each field that changed, in the model's field order, as a person reads
    them: the field's label, a choice's label, the name of a related object, local time in Vietnamese format.

    A difference that reads the same on both sides (None and "", 1 and 1.0) is not a change to the reader."""
    before = change.prechange_data or {}
    after = change.postchange_data or {}
    model = change.object_type.model_class()
    fields = {field.attname: field for field in model._meta.concrete_fields} if model else {}
    order = list(fields) + sorted((set(before) | set(after)) - set(fields))
    rows = []
    for name in order:
        if name not in before and name not in after or before.get(name) == after.get(name):
            continue
        field = fields.get(name)
        old, new = display_value(field, before.get(name)), display_value(field, after.get(name))
        if old != new:
            rows.append((capfirst(str(field.verbose_name)) if field else name, old, new))
    return rows


def display_value(field, value) -> str:
    """One logged value (as the JSON column holds it) in the words and formats of the pages."""
    if value is None or value == "" or value == [] or value == {}:
        return _EMPTY
    if field is None:
        return _short(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("Yes") if value else _("No"))
    if isinstance(field, models.ForeignKey):
        return _related_name(field, value)
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        if moment is None:
            return _short(value)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, datetime.UTC)
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        day = parse_date(str(value))
        return date_format(day, "DATE_FORMAT") if day else _short(value)
    if isinstance(field, models.SmallIntegerField | models.PositiveSmallIntegerField):
        return str(value)  # years, orders, attempt numbers: 2024, not 2.024
    if isinstance(field, models.DecimalField | models.FloatField | models.IntegerField) and not isinstance(value, bool):
        try:
            return localize(Decimal(str(value)).normalize() if isinstance(field, models.DecimalField) else value)
        except (InvalidOperation, ValueError):
            return _short(value)
    return _short(value)


def _related_name(field, value) -> str:
    related = field.related_model._base_manager.filter(pk=value).first()
    return str(related)[:_LONGEST] if related is not None else f"#{value}"


def _short(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    return text if len(text) <= _LONGEST else text[: _LONGEST - 1] + "…"
