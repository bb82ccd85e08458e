import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.core.filtersets import FilterSet

from .choices import OPEN_STATUSES, Status
from .models import WorkItem


class WorkItemFilterSet(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    assignee = django_filters.NumberFilter(label=_("Assignee"), field_name="assignee_id")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    due_before = django_filters.DateFilter(label=_("Due before"), field_name="due_date", lookup_expr="lt")

    class Meta:
        model = WorkItem
        fields = ["q", "assignee", "status", "overdue", "due_before"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_overdue(self, queryset, name, value):
        late = Q(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
