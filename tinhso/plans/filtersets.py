import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tinhso.core.filtersets import FilterSet, PeriodFilter
from tinhso.core.text import fold

from .choices import Pillar, ReportStatus, RuleImportance, TaskKind, TaskStatus
from .models import DataElement, DataSet, Indicator, Plan, Report, Task


class CodeNameFilterSet(FilterSet):
    """`?search=` (or `q`) matches codes and names, with or without Vietnamese marks."""

    search = django_filters.CharFilter(method="filter_search", label=_("Search"))

    def filter_search(self, queryset, name, value):
        words = value.strip()
        folded = fold(words)
        matches = [pk for pk, text in queryset.values_list("pk", "name") if folded in fold(text)]
        return queryset.filter(Q(code__icontains=words) | Q(pk__in=matches))


class DataElementFilterSet(CodeNameFilterSet):
    class Meta:
        model = DataElement
        fields = ["search", "value_type", "is_active"]


class DataSetFilterSet(CodeNameFilterSet):
    class Meta:
        model = DataSet
        fields = ["search", "period_type", "unit_level", "is_active"]


class IndicatorFilterSet(CodeNameFilterSet):
    pillar = django_filters.ChoiceFilter(choices=Pillar.choices, label=_("Pillar"))

    class Meta:
        model = Indicator
        fields = ["search", "pillar", "is_active"]


class ReportFilterSet(FilterSet):
    q = django_filters.CharFilter(method="filter_unit", label=_("Unit"))
    data_set = django_filters.ModelChoiceFilter(queryset=DataSet.objects.all(), label=_("Data set"))
    period = PeriodFilter(label=_("Period"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Status"))
    awaiting_me = django_filters.BooleanFilter(
        method="filter_awaiting", label=_("Awaiting my approval"), widget=django_filters.widgets.forms.CheckboxInput
    )

    class Meta:
        model = Report
        fields = ["q", "data_set", "period", "status", "awaiting_me"]

    def filter_unit(self, queryset, name, value):
        return queryset.filter(Q(unit__search_name__contains=fold(value)) | Q(unit__code__startswith=value.strip()))

    def filter_awaiting(self, queryset, name, value):
        if not value:
            return queryset
        awaiting = queryset.filter(status=ReportStatus.SUBMITTED)
        return awaiting.restrict(self.request.user, "plans.approve_report", path="unit__parent__path")


class ViolationFilterSet(FilterSet):
    """The approvers' violations list (API): which reports, by codes; `importance` picks the rules."""

    period = PeriodFilter(label=_("Period"))
    data_set = django_filters.CharFilter(field_name="data_set__code", label=_("Data set"))
    unit = django_filters.CharFilter(field_name="unit__code", label=_("Unit"))
    importance = django_filters.ChoiceFilter(
        choices=RuleImportance.choices, method="filter_importance", label=_("Importance")
    )

    class Meta:
        model = Report
        fields = ["period", "data_set", "unit", "importance"]

    def filter_importance(self, queryset, name, value):
        return queryset  # a rule's, not a report's: applied to the violations (plans.violations)


class TaskFilterSet(FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    plan = django_filters.ModelChoiceFilter(queryset=Plan.objects.all(), label=_("Plan"))
    kind = django_filters.ChoiceFilter(choices=TaskKind.choices, label=_("Kind"))
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("Status"))
    overdue = django_filters.BooleanFilter(
        field_name="is_overdue", label=_("Overdue only"), widget=django_filters.widgets.forms.CheckboxInput
    )

    class Meta:
        model = Task
        fields = ["q", "plan", "kind", "status", "overdue"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.filters["plan"].queryset = Plan.objects.restrict(self.request.user)

    def filter_search(self, queryset, name, value):
        words = value.strip()
        return queryset.filter(
            Q(title__icontains=words) | Q(code__iexact=words) | Q(owner_organisation__search_name__contains=fold(words))
        )

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(is_overdue=True) if value else queryset
