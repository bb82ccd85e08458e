from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from tinhso.accounts.access import unit_scope
from tinhso.core.files import download_response
from tinhso.core.periods import parse_period

from ..forms import ReportForm
from ..models import Team
from ..report_files import to_pdf, to_xlsx
from ..reports import commune_report, team_report
from .common import PermissionRequiredMixin, StructureMixin, place_trail

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


class ReportView(LoginRequiredMixin, PermissionRequiredMixin, StructureMixin, TemplateView):
    """Monthly and quarterly reports per team or per commune: on screen, in Excel, or as a Decree-30 PDF."""

    template_name = "teams/reports.html"
    required_permission = "teams.view_activity"

    def get(self, request, *args, **kwargs):
        self.form = ReportForm(request.GET or None, communes=self._communes())
        report = self._report() if self.form.is_bound and self.form.is_valid() else None
        file_format = self.form.cleaned_data.get("format") if report else ""
        if file_format in CONTENT_TYPES:
            return self._download(report, file_format)
        return self.render_to_response(self.get_context_data(report=report))

    def _communes(self):
        scope = unit_scope(self.request.user, "teams.view_team")
        return [place for place in self.structure.current("commune") if scope.covers(place.path)]

    def _report(self):
        data = self.form.cleaned_data
        period = parse_period(data["period"])
        if data.get("team"):
            team = get_object_or_404(Team.objects.restrict(self.request.user, "view"), pk=data["team"])
            return team_report(team, period, self.structure)
        place = self.structure.by_code(data["commune"])
        if place is None or place not in self._communes():
            raise PermissionDenied(_("You can report only on the communes of your units."))
        return commune_report(place, period, self.structure, Team.objects.restrict(self.request.user))

    def _download(self, report, file_format: str) -> HttpResponse:
        content = to_xlsx(report) if file_format == "xlsx" else to_pdf(report)
        name = f"bao-cao-to-cds-{report.place.code if report.place else 'to'}-{report.period.code}.{file_format}"
        return download_response(content, name, CONTENT_TYPES[file_format])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = context.get("report")
        context.update(
            form=self.form, place_trail=place_trail(self.structure, report.place) if report and report.place else []
        )
        return context
