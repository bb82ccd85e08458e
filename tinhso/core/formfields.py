"""Ids a form receives stay within what the database stores, in every module's forms at once.

Django's ModelMultipleChoiceField checks each submitted id with a lazy filter, then looks them all up with
`pk__in`: an id of 2**70 passes the first and overflows SQLite in the second (OverflowError, a 500) — on the
modules' own multiple choices and on those Django makes for many-to-many fields of model forms alike. Core
bounds the check once, when the application starts: an id out of range is “Không có đối tượng nào có id này.”
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .filtersets import LARGEST_INTEGER

_INTEGER_KEYS = {"AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField"}
_check_values = forms.ModelMultipleChoiceField._check_values


def _bounded_check_values(field: forms.ModelMultipleChoiceField, value):
    key = field.to_field_name or "pk"
    model_field = field.queryset.model._meta.pk if key == "pk" else field.queryset.model._meta.get_field(key)
    if model_field.get_internal_type() in _INTEGER_KEYS:
        for each in value or ():
            if _out_of_range(each):
                raise ValidationError(_("No object has this id."), code="invalid_pk_value")
    return _check_values(field, value)


def _out_of_range(value) -> bool:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return False  # Django's own check refuses what is not a number
    return abs(number) > LARGEST_INTEGER


def bound_multiple_choice_ids() -> None:
    forms.ModelMultipleChoiceField._check_values = _bounded_check_values  # type: ignore[method-assign]
