import django_filters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import ObjectChange
from .models.changelog import ChangeAction
from .periods import PeriodChoiceField
from .text import LONGEST_SEARCH

# The largest id (and number) the database stores: a bigger one in a query is a 400, never an OverflowError.
LARGEST_INTEGER = 2**63 - 1


def id_param(value) -> int | None:
    """An id read from a query parameter, or None: ASCII digits within what the database stores (full-width or
    superscript digits pass str.isdigit() but not int(), and 2**70 passes int() but overflows the database)."""
    text = str(value or "")
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    return int(text) if int(text) <= LARGEST_INTEGER else None


class FilterSet(django_filters.FilterSet):
    """The base of every filter set: number filters accept only what the database can compare
    (Django's Vietnamese message “Đảm bảo giá trị này nhỏ hơn hoặc bằng …” otherwise), text filters a search
    of at most LONGEST_SEARCH characters (“Giá trị này chỉ có tối đa 200 kí tự …”)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for each in self.filters.values():
            if isinstance(each, django_filters.NumberFilter):
                each.extra.setdefault("min_value", -LARGEST_INTEGER)
                each.extra.setdefault("max_value", LARGEST_INTEGER)
            elif isinstance(each, django_filters.CharFilter):
                each.extra.setdefault("max_length", LONGEST_SEARCH)


class ObjectChangeFilterSet(FilterSet):
    object_type = django_filters.CharFilter(method="filter_object_type", label=_("object type (app.model)"))
    object_id = django_filters.NumberFilter(label=_("object id"))
    action = django_filters.ChoiceFilter(choices=ChangeAction.choices, label=_("action"))
    user = django_filters.CharFilter(field_name="user_name", label=_("user"))
    request_id = django_filters.UUIDFilter(label=_("request id"))
    since = django_filters.IsoDateTimeFilter(field_name="time", lookup_expr="gte", label=_("since"))
    until = django_filters.IsoDateTimeFilter(field_name="time", lookup_expr="lte", label=_("until"))

    class Meta:
        model = ObjectChange
        fields = ["object_type", "object_id", "action", "user", "request_id"]

    def filter_object_type(self, queryset, name, value):
        app_label, _dot, model = value.lower().partition(".")
        try:
            content_type = ContentType.objects.get_by_natural_key(app_label, model)
        except ContentType.DoesNotExist as error:
            raise ValidationError(
                _("Unknown object type “%(type)s”; use app_label.model, e.g. units.unit.") % {"type": value}
            ) from error
        return queryset.filter(object_type=content_type)


@extend_schema_field(OpenApiTypes.STR)  # in the API a period is its code, as before (no list that changes daily)
class PeriodFilter(django_filters.Filter):
    """A period picked from a list in words (tinhso.core.periods.PeriodChoiceField); the parameter stays the
    period's code (?period=202411), so API clients and bookmarks keep working."""

    field_class = PeriodChoiceField
