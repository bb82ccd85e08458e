"""Filters shared by the pages and the API. `within` takes the code of a unit of the structure
date (`as_of`, default today) and keeps what stands inside it on that day, whatever unit
version it was recorded on."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.core.filtersets import FilterSet
from tinhso.core.text import fold
from tinhso.units.filtersets import unknown_unit_code
from tinhso.units.snapshot import snapshot_on

from .choices import ETHNIC_GROUPS, Gender, MemberRole, TeamLevel
from .models import Activity, ActivityType, Member, Team


class WithinFilterSet(FilterSet):
    within = django_filters.CharFilter(method="filter_within", label=_("Within (unit code)"))
    as_of = django_filters.DateFilter(
        method="filter_nothing", label=_("Structure on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    unit_field = "unit_id"

    def __init__(self, *args, default_day=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_day = default_day or timezone.localdate()

    @property
    def day(self):
        return (self.form.cleaned_data.get("as_of") if hasattr(self.form, "cleaned_data") else None) or self.default_day

    def filter_nothing(self, queryset, name, value):
        return queryset

    def is_valid(self):
        """An unknown unit code makes the filters invalid, so a page shows the message on its form and an
        empty list, and the API answers 400 (a refusal raised while filtering was a 500 on the pages)."""
        valid = super().is_valid()
        code = self.form.cleaned_data.get("within") if valid else None
        if code and snapshot_on(self.day).by_code(code) is None:
            self.form.add_error("within", self._unknown_code(code))
            return False
        return valid

    def _unknown_code(self, code: str) -> ValidationError:
        return unknown_unit_code(code, self.day)

    def filter_within(self, queryset, name, value):
        structure = snapshot_on(self.day)
        place = structure.by_code(value)
        if place is None:
            raise ValidationError(self._unknown_code(value))
        return queryset.filter(**{f"{self.unit_field}__in": sorted(structure.ids_within(place.id))})


class TeamFilterSet(WithinFilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    level = django_filters.ChoiceFilter(choices=TeamLevel.choices, label=_("Level"))
    include_dissolved = django_filters.BooleanFilter(
        method="filter_nothing", label=_("Include dissolved teams"), widget=forms.CheckboxInput
    )

    class Meta:
        model = Team
        fields = ["q", "level", "within", "include_dissolved"]

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("include_dissolved"):
            queryset = queryset.active_on(self.day)
        return super().filter_queryset(queryset)

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_name__contains=fold(value))


class MemberFilterSet(WithinFilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Name or phone"))
    role = django_filters.ChoiceFilter(choices=MemberRole.choices, label=_("Position in the team"))
    gender = django_filters.ChoiceFilter(field_name="person__gender", choices=Gender.choices, label=_("Gender"))
    ethnicity = django_filters.ChoiceFilter(
        field_name="person__ethnicity", choices=ETHNIC_GROUPS, label=_("Ethnic group")
    )
    team = django_filters.NumberFilter(field_name="team_id", label=_("Team"), widget=forms.HiddenInput)
    unit_field = "team__unit_id"

    class Meta:
        model = Member
        fields = ["q", "within", "role", "gender", "ethnicity", "team"]

    def filter_queryset(self, queryset):
        return super().filter_queryset(queryset.active_on(self.day))

    def filter_search(self, queryset, name, value):
        digits = "".join(ch for ch in value if ch.isdigit())
        if len(digits) >= 4:
            return queryset.filter(person__phone__contains=digits)
        return queryset.filter(person__search_name__contains=fold(value))


class ActivityFilterSet(WithinFilterSet):
    activity_type = django_filters.ModelChoiceFilter(
        queryset=ActivityType.objects.all(), label=_("Activity"), to_field_name="code"
    )
    since = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("To"), widget=forms.DateInput(attrs={"type": "date"})
    )
    team = django_filters.NumberFilter(field_name="team_id", label=_("Team"), widget=forms.HiddenInput)
    unit_field = "team__unit_id"

    class Meta:
        model = Activity
        fields = ["within", "activity_type", "since", "until", "team"]


class ActivityTypeFilterSet(FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))

    class Meta:
        model = ActivityType
        fields = ["q", "is_active"]
