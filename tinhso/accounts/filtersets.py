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
    phone_verified = django_filters.BooleanFilter(method="filter_phone_verified", label=_("Phone verified"))

    class Meta:
        model = User
        fields = ["q", "role", "is_active", "phone_verified"]

    def filter_phone_verified(self, queryset, name, value):
        if value is None:
            return queryset
        verified = Q(phone__isnull=False, phone_verified_at__isnull=False)
        return queryset.filter(verified) if value else queryset.exclude(verified)

    def filter_search(self, queryset, name, value):
        # Phones are stored as +84912345678: "0912 345", "912345" and "+84 912" all find it.
        digits = "".join(ch for ch in value if ch.isdigit()).removeprefix("84").lstrip("0")
        by_phone = Q(phone__contains=digits) if digits else Q(pk__in=[])
        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value) | by_phone)
