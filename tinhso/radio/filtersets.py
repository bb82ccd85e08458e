"""Filters shared by the radio pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from tinhso.core.filtersets import FilterSet

from .choices import BulletinKind, BulletinLevel, BulletinStatus, ClusterStatus, PlayEventKind
from .models import Bulletin, PlayEvent, SpeakerCluster


class ClusterFilterSet(FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    unit = django_filters.CharFilter(method="filter_unit", label=_("Within (unit code)"))
    status = django_filters.ChoiceFilter(choices=ClusterStatus.choices, method="filter_status", label=_("status"))

    class Meta:
        model = SpeakerCluster
        fields = ["q", "unit", "status"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(name__icontains=value.strip()) | queryset.filter(device_id=value.strip())

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=_unit_path(value))

    def filter_status(self, queryset, name, value):
        # Silent = online for the broker, but no status lately: decided per row (keepalive differs).
        if value == ClusterStatus.OFFLINE:
            return queryset.filter(is_online=False)
        wanted = [cluster.pk for cluster in queryset.filter(is_online=True) if cluster.status == value]
        return queryset.filter(pk__in=wanted)


def _unit_path(code: str) -> str:
    from django.utils import timezone

    from tinhso.units.models import Unit

    unit = Unit.objects.valid_on(timezone.localdate()).filter(code=code.strip()).first()
    return unit.path if unit else "/no-such-unit/"


class BulletinFilterSet(FilterSet):
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=BulletinStatus.choices, label=_("status"))
    level = django_filters.ChoiceFilter(choices=BulletinLevel.choices, label=_("level"))
    kind = django_filters.ChoiceFilter(choices=BulletinKind.choices, label=_("kind"))

    class Meta:
        model = Bulletin
        fields = ["q", "status", "level", "kind"]


class PlayEventFilterSet(FilterSet):
    cluster = django_filters.NumberFilter(field_name="cluster_id", label=_("speaker cluster"))
    bulletin = django_filters.NumberFilter(field_name="bulletin_id", label=_("bulletin"))
    event = django_filters.ChoiceFilter(choices=PlayEventKind.choices, label=_("event"))
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte", label=_("From"))
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt", label=_("Until"))

    class Meta:
        model = PlayEvent
        fields = ["cluster", "bulletin", "event", "since", "until"]
