from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from tinhso.core.files import download_response

from .. import exports, periods
from ..dashboard import DashboardBuilder
from ..figures import Ask, Calculator
from ..models import Indicator, Task
from .common import breadcrumb, chosen_period, place_for

TREND_PERIODS = 6


def year_choices(dashboard) -> list[periods.Period]:
    last = periods.latest_ended(timezone.localdate(), "year")
    first = dashboard.selected.plan.start_date.year if dashboard.selected else last.start.year - 4
    return [periods.parse(str(year)) for year in range(last.start.year, min(first, last.start.year) - 1, -1)]


class PlaceMixin(LoginRequiredMixin):
    """A page about one unit of the chosen day's tree: from the URL, or from `?unit=` when `unit_in_query`."""

    unit_in_query = False

    def dispatch(self, request, *args, **kwargs):
        if self.unit_in_query:
            unit = request.GET.get("unit", "")
            kwargs["unit_id"] = int(unit) if unit.isdigit() else None
        if request.user.is_authenticated:
            self.place = place_for(request, kwargs.get("unit_id"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        place = self.place
        context.update(
            place=place,
            unit=place.unit,
            breadcrumb_units=breadcrumb(place, self.request.user),
            day_query=f"as_of={place.day.isoformat()}" if place.moved else "",
        )
        return context


def _builder(request, place) -> DashboardBuilder:
    plan = request.GET.get("plan", "")
    return DashboardBuilder(
        place.structure,
        place.unit,
        request.user,
        period=chosen_period(request),
        plan_id=int(plan) if plan.isdigit() else None,
        focus_code=request.GET.get("indicator") or None,
    )


def dashboard_for(request, place):
    builder = _builder(request, place)
    if place.follow_plan(builder.plan):
        builder = _builder(request, place)
    return builder.build()


class DashboardView(PlaceMixin, TemplateView):
    template_name = "plans/dashboard.html"

    def get_context_data(self, **kwargs):
        dashboard = dashboard_for(self.request, self.place)  # may move the place to the plan's own area
        context = super().get_context_data(**kwargs)
        context.update(dashboard=dashboard, year_choices=year_choices(dashboard), title=dashboard.unit.name)
        return context


class DashboardExportView(PlaceMixin, View):
    """The dashboard as an Excel workbook or a Decree 30 report in PDF."""

    def get(self, request, *args, unit_id=None, file_format="xlsx"):
        dashboard = dashboard_for(request, self.place)
        if file_format == "pdf":
            content, kind = exports.dashboard_pdf(dashboard), "application/pdf"
        else:
            content, kind = exports.dashboard_workbook(dashboard), exports.XLSX
        return download_response(content, exports.file_name(dashboard, file_format), kind)


class IndicatorDetailView(PlaceMixin, TemplateView):
    """One indicator for one unit: its value, how it was computed, its trend and the units below."""

    template_name = "plans/indicator_detail.html"
    unit_in_query = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        indicator = get_object_or_404(Indicator.objects.restrict(self.request.user), code=kwargs["code"])
        period = chosen_period(self.request) or periods.latest_ended(timezone.localdate(), "year")
        structure, unit = self.place.structure, self.place.unit
        children = structure.children_of(unit.id)
        trend = [periods.previous(period, step) for step in range(TREND_PERIODS - 1, -1, -1)]
        asks = [Ask(unit.id, indicator, period, 4)]
        asks += [Ask(child.id, indicator, period, 4) for child in children]
        asks += [Ask(unit.id, indicator, each) for each in trend]
        figures = Calculator(structure).compute(asks)
        context.update(
            indicator=indicator,
            period=period,
            figure=figures[0],
            children=list(zip(children, figures[1 : 1 + len(children)], strict=True)),
            trend=figures[1 + len(children) :],
            counted=[structure.units[each] for each in figures[0].counted],
            tasks=Task.objects.restrict(self.request.user)
            .filter(indicators=indicator)
            .select_related("owner_organisation")
            .order_by("due_date")[:20],
            title=indicator.name,
        )
        return context
