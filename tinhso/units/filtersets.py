import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tinhso.core.filtersets import FilterSet
from tinhso.core.text import short_date

from .choices import OrganisationKind, UnitLevel, UnitType
from .models import Organisation, Unit


def unknown_unit_code(code: str, day) -> ValidationError:
    """The refusal of a `within` code no unit has on `day`. The code stays a parameter, never part of the
    message: django-filter's API answer formats the message with its parameters, and a typed "%" in a code
    made that a 500."""
    return ValidationError(
        gettext("No administrative unit has code %(code)s on %(date)s."),
        code="unknown_unit",
        params={"code": code, "date": short_date(day)},
    )


class UnitFilterSet(FilterSet):
    """Filters of the unit list, shared by the page and GET /api/v1/units/."""

    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    level = django_filters.ChoiceFilter(choices=UnitLevel.choices, label=_("Level"))
    unit_type = django_filters.ChoiceFilter(choices=UnitType.choices, label=_("Type"))
    within = django_filters.CharFilter(method="filter_within", label=_("Within (code)"))
    as_of = django_filters.DateFilter(
        method="filter_nothing", label=_("Structure on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    all_versions = django_filters.BooleanFilter(
        method="filter_nothing", label=_("All versions"), widget=forms.CheckboxInput
    )
    official = django_filters.BooleanFilter(field_name="is_official", label=_("Official"))

    class Meta:
        model = Unit
        fields = ["q", "level", "unit_type", "within", "as_of", "official"]

    def __init__(self, *args, default_day=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_day = default_day or timezone.localdate()

    @property
    def day(self):
        return self.form.cleaned_data.get("as_of") or self.default_day

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("all_versions"):
            queryset = queryset.valid_on(self.day)
        return super().filter_queryset(queryset)

    @property
    def qs(self):
        """An unfiltered list (no query string at all) shows the units in force on the structure date too,
        not every version ever recorded (django-filter leaves an unbound filter set unfiltered)."""
        queryset = super().qs
        return queryset if self.is_bound else queryset.valid_on(self.default_day)

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def is_valid(self):
        """An unknown code in `within` makes the filters invalid: the page names it on its form with an empty
        list, the API answers 400 (refused while filtering, it was a 500 on the page)."""
        valid = super().is_valid()
        code = self.form.cleaned_data.get("within") if valid else None
        if code and self._ancestor(code) is None:
            self.form.add_error("within", self._no_such_code(code))
            return False
        return valid

    def _ancestor(self, code: str) -> Unit | None:
        return Unit.objects.valid_on(self.day).filter(code=code.strip()).first()

    def _no_such_code(self, code: str) -> ValidationError:
        return unknown_unit_code(code, self.day)

    def filter_within(self, queryset, name, value):
        ancestor = self._ancestor(value)
        if ancestor is None:
            raise ValidationError(self._no_such_code(value))
        return queryset.within(ancestor)


class OrganisationFilterSet(FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices, label=_("Kind"))
    unit = django_filters.CharFilter(method="filter_unit", label=_("Unit code"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "unit", "is_active"]

    def filter_search(self, queryset, name, value):
        from tinhso.core.text import fold

        return queryset.filter(search_name__contains=fold(value))

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit__code=value.strip())
