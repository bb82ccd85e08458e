"""Base classes every domain model builds on: scoping by administrative unit and change logging."""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

from tinhso.core.scoping import resolve_permission, scope_backend
from tinhso.core.text import clean_text


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows how to keep only what a user may see or change.

    `restrict(user, "view")` is the one place where pages, the API and the admin scope data
    to the user's administrative units. The second argument is an action of this model ("view",
    "add", "change", "delete") or a full permission name ("radio.add_bulletin"); `path` is the ORM
    lookup from this model to the unit path the permission is checked on (default: `scope_path`):

        Unit.objects.restrict(user, "radio.add_bulletin")              # units where I may add a bulletin
        Report.objects.restrict(user, "plans.approve_report", path="unit__parent__path")

    The rules live in accounts, which registers them at start-up (tinhso.core.scoping).
    """

    def restrict(self, user, permission_or_action: str = "view", *, path: str | None = None):
        model = self.model
        permission = resolve_permission(model, permission_or_action)
        distinct = path is None and getattr(model, "scope_distinct", False)
        return scope_backend().restrict(self, user, permission, path or model.scope_path, distinct)


class ScopedModel(models.Model):
    """Something owned by an administrative unit.

    `scope_path` is the ORM lookup from this model to the materialised path of its unit.
    """

    scope_path = "unit__path"
    scope_distinct = False

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True

    def unit_paths(self) -> list[str]:
        """Paths of the units that own this object, used for per-object permission checks."""
        owner: Any = self
        for step in self.scope_path.split("__")[:-1]:
            owner = getattr(owner, step, None)
            if owner is None:
                return []
        return [owner.path]


class ChangeLogEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, FieldFile):
            return o.name or None
        return super().default(o)


_PLAIN = (str, int, float, bool, type(None))
_ENCODER = ChangeLogEncoder()


def _json_scalar(value):
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, list | dict):
        return json.loads(json.dumps(value, cls=ChangeLogEncoder))
    return _ENCODER.default(value)


def to_json_value(values: dict) -> dict:
    """Field values as they will read back from the JSON column (dates as ISO text, decimals as text)."""
    return {name: _json_scalar(value) for name, value in values.items()}


class ChangeLoggedModel(models.Model):
    """Every create, update and delete of a subclass is written to the change log.

    The values read from the database are kept (Django's documented `from_db` hook), so the
    "before" side of an update costs no extra query.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    change_log_exclude: tuple[str, ...] = ("created_at", "updated_at")
    _logged_attnames_of_model: tuple[str, ...] | None = None  # set on each model by _logged_attnames

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_values = dict(zip(field_names, values, strict=True))
        return instance

    def clean_fields(self, exclude=None):
        """Text is stored in NFC and without invisible or direction-control characters, whichever door it came
        through (page, API, admin): every service calls full_clean() before saving."""
        errors: dict[str, list] = {}
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.name in (exclude or ()):
                continue
            value = getattr(self, field.attname)
            if isinstance(value, str):
                try:
                    setattr(self, field.attname, clean_text(value, multiline=isinstance(field, models.TextField)))
                except ValidationError as error:
                    errors[field.name] = error.error_list
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            for name, messages in error.error_dict.items():
                errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    @classmethod
    def _logged_attnames(cls) -> tuple[str, ...]:
        """The fields a snapshot holds; worked out once per model (the demo snapshots 130,000 objects)."""
        names = cls.__dict__.get("_logged_attnames_of_model")
        if names is None:
            names = tuple(
                field.attname
                for field in cls._meta.concrete_fields
                if field.name not in cls.change_log_exclude and field.attname not in cls.change_log_exclude
            )
            cls._logged_attnames_of_model = names
        return names

    def change_log_snapshot(self) -> dict:
        return to_json_value({name: getattr(self, name) for name in self._logged_attnames()})

    def change_log_loaded(self) -> dict | None:
        loaded = getattr(self, "_loaded_values", None)
        if loaded is None:
            return None
        return to_json_value({name: loaded[name] for name in self._logged_attnames() if name in loaded})

    def remember_saved_state(self) -> None:
        self._loaded_values = {name: getattr(self, name) for name in self._logged_attnames()}

    def change_log_unit_path(self) -> str:
        paths = self.unit_paths() if hasattr(self, "unit_paths") else []
        return paths[0] if paths else ""

    @classmethod
    def change_log_unit_paths(cls, instances: list) -> list[str]:
        """`change_log_unit_path` of each of `instances` (a batch logged at once). A model whose path costs a
        query per object overrides this to work the batch out in a few."""
        return [instance.change_log_unit_path() for instance in instances]
