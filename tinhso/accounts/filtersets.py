import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tinhso.core.filtersets import FilterSet

from .models import User
from .roles import Role


class UserFilterSet(FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    role = django_filters.ChoiceFilter(
        field_name="role_assignments__role", choices=Role.choices, label=_("Role"), distinct=True
    )
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value) | Q(phone__contains=value))
