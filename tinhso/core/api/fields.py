"""Serializer fields shared by every module's API."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tinhso.core.filtersets import LARGEST_INTEGER


class IdField(serializers.IntegerField):
    """The id of an object a client names: a positive whole number the database can hold, so a huge
    number is a 400 (“không tồn tại”), not an OverflowError when it is looked up."""

    default_error_messages = {
        "min_value": _("An id is a positive whole number."),
        "max_value": _("No object has this id."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", LARGEST_INTEGER)
        super().__init__(**kwargs)


class IdListField(serializers.ListField):
    child = IdField()
