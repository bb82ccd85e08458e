"""The change log as a person reads it: field and choice labels, names of related objects, local times.

Kept apart from the logging itself (changelog.py), which imports the ObjectChange model: the model's
`changed_fields()` reads through this module, and this module needs nothing of the model.
"""

import datetime
import json
from decimal import Decimal, InvalidOperation

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format, localize
from django.utils.text import capfirst
from django.utils.translation import gettext as _

_EMPTY = "—"
_LONGEST = 160


def readable_changes(change) -> list[tuple[str, str, str]]:
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
