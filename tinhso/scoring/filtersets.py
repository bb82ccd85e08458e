import django_filters
from django.utils.translation import gettext_lazy as _

from tinhso.core.filtersets import FilterSet, PeriodFilter

from .choices import EvaluationStatus
from .models import CriteriaSet, Evaluation


class CriteriaSetFilterSet(FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Search"))
    subject_kind = django_filters.CharFilter(label=_("Subject kind"))

    class Meta:
        model = CriteriaSet
        fields = ["q", "subject_kind"]


class EvaluationFilterSet(FilterSet):
    q = django_filters.CharFilter(field_name="subject_label", lookup_expr="icontains", label=_("Search"))
    criteria_set = django_filters.NumberFilter(label=_("Criteria set"))
    period = PeriodFilter(label=_("Period"))
    status = django_filters.ChoiceFilter(choices=EvaluationStatus.choices, label=_("Status"))
    classification = django_filters.CharFilter(label=_("Classification"))

    class Meta:
        model = Evaluation
        fields = ["q", "criteria_set", "period", "status", "classification"]
