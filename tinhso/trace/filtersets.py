import django_filters
from django.utils.translation import gettext_lazy as _

from tinhso.core.filtersets import FilterSet

from .choices import TreeStatus
from .models import Garden, Tree


def gardens_of(request):
    if request is None:
        return Garden.objects.none()
    return Garden.objects.restrict(request.user, "view")


class TreeFilterSet(FilterSet):
    q = django_filters.CharFilter(field_name="number", lookup_expr="icontains", label=_("Tree number"))
    garden = django_filters.ModelChoiceFilter(queryset=gardens_of, label=_("garden"))
    status = django_filters.ChoiceFilter(choices=TreeStatus.choices, label=_("status"))
    min_age = django_filters.NumberFilter(field_name="estimated_age", lookup_expr="gte", label=_("At least (years)"))

    class Meta:
        model = Tree
        fields = ["q", "garden", "status", "min_age"]
