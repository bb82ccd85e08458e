from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from tinhso.core.periods import parse_period
from tinhso.core.views import ServiceFormView

from .. import services
from ..choices import TeamLevel
from ..forms import EvaluateForm, RankingFilterForm
from ..rankings import periods_with_scores, ranked_rows, visible_rows
from ..tables import RankingTable
from .common import PermissionRequiredMixin, StructureMixin


class RankingsView(
    LoginRequiredMixin, PermissionRequiredMixin, StructureMixin, ExportMixin, SingleTableMixin, TemplateView
):
    """Teams ranked by their score for a period, within commune, district or province."""

    template_name = "teams/rankings.html"
    required_permission = "scoring.view_evaluation"
    table_class = RankingTable
    table_pagination = {"per_page": 50}
    export_formats = ("csv", "xlsx")
    export_trigger_param = "export"

    def get(self, request, *args, **kwargs):
        self.filters = RankingFilterForm(request.GET or None, periods=self._periods(request), structure=self.structure)
        return super().get(request, *args, **kwargs)

    def _periods(self, request):
        level = request.GET.get("level") if request.GET.get("level") in TeamLevel.values else TeamLevel.VILLAGE
        return periods_with_scores(level)

    def get_table_data(self):
        choice = self.filters.choice()
        if not choice.period or (self.filters.is_bound and not self.filters.is_valid()):
            return []  # a wrong filter is named on the form; ranking without it would pass for its answer
        rows = ranked_rows(choice.level, choice.period, choice.group, self.structure)
        return [
            row
            for row in visible_rows(rows, self.request.user, self.structure, choice.within)
            if (not choice.status or row.status == choice.status)
            and (not choice.classification or row.classification == choice.classification)
        ]

    def get_table_kwargs(self):
        return {"group_level": self.filters.choice().group}

    def get_export_filename(self, export_format):
        choice = self.filters.choice()
        return f"xep-hang-to-cds-{choice.level}-{choice.period}.{export_format}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        choice = self.filters.choice()
        rows = context["table"].data.data
        context.update(
            filters=self.filters,
            choice=choice,
            period_label=parse_period(choice.period).label() if choice.period else "",
            classes=[(label, sum(1 for row in rows if row.classification == label)) for label in _labels(choice)],
            no_districts=choice.group == "district" and not self.structure.current("district"),
            evaluate_form=EvaluateForm(initial={"level": choice.level, "period": choice.period}),
            can_evaluate=self.request.user.has_perm("scoring.add_evaluation"),
        )
        return context


class EvaluateView(PermissionRequiredMixin, ServiceFormView):
    """Compute (again) the scores of every team of a level for a period, as a background job."""

    form_class = EvaluateForm
    title = gettext_lazy("Compute team scores")
    required_permission = "scoring.add_evaluation"

    def perform(self, form):
        level, period = form.cleaned_data["level"], form.cleaned_data["period"]
        return services.start_team_evaluation(level, period, actor=self.request.user)

    def get_success_url(self, result=None):
        return reverse("core:job_detail", args=[result.pk])


def _labels(choice) -> list[str]:
    """The classification bands of the criteria set in force, best first."""
    try:
        criteria_set = services.criteria_set_for(choice.level, choice.period)
    except ValidationError:
        return []
    bands = sorted(criteria_set.classification, key=lambda band: float(band["min"]), reverse=True)
    return [str(band["label"]) for band in bands]
