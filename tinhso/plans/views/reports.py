import django_tables2 as tables
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from django_tables2.export import TableExport

from tinhso.core.files import stored_file_response, suffix
from tinhso.core.periods import PeriodChoiceField, period_choices
from tinhso.core.views import ObjectListView, ServiceFormView
from tinhso.units.models import Unit

from .. import completeness, display, periods, services, violations
from ..choices import RuleImportance
from ..filtersets import ReportFilterSet
from ..forms import EvidenceForm, ImportForm, OpenReportForm, ReportEntryForm, ReturnForm
from ..models import DataSet, DataValue, Evidence, Report
from ..tables import ReportTable
from .common import CancelMixin, PermissionSomewhereMixin
from .dashboard import PlaceMixin


def show_errors(request, error) -> None:
    texts = error.messages if isinstance(error, ValidationError) else [str(error)]
    for text in texts:
        messages.error(request, text)


class ReportListView(ObjectListView):
    model = Report
    queryset = Report.objects.select_related("unit", "data_set")
    filterset_class = ReportFilterSet
    table_class = ReportTable
    title = gettext_lazy("Reports")
    template_name = "plans/report_list.html"
    add_url_name = "plans:report_open"
    add_permission = "plans.change_report"

    export_name = "bao-cao"


def visible_report(request, pk) -> Report:
    queryset = Report.objects.restrict(request.user).select_related("unit__parent", "data_set")
    return get_object_or_404(queryset, pk=pk)


class ReportDetailView(LoginRequiredMixin, TemplateView):
    """A report to read, fill in on a phone, submit, approve or return."""

    template_name = "plans/report_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.report = visible_report(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, user = self.report, self.request.user
        form = kwargs.get("form") or ReportEntryForm(report=report)
        can_edit = report.is_editable and user.has_perm("plans.change_report", report)
        approver = services.approver_unit(report)
        context.update(
            report=report,
            form=form,
            can_edit=can_edit,
            can_submit=can_edit and user.has_perm("plans.submit_report", report),
            can_decide=user.has_perm("plans.approve_report", approver) and report.submitted_by_id != user.pk,
            return_form=ReturnForm(),
            **_checks(report),
            title=str(report),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = ReportEntryForm(request.POST, report=self.report)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        submitting = "submit" in request.POST
        try:
            # Save and submit together: a submission refused (incomplete, a check failing) keeps nothing typed.
            with transaction.atomic():
                result = services.save_report_values(self.report, form.entries(), actor=request.user)
                if submitting:
                    services.submit_report(self.report, actor=request.user)
        except ValidationError as error:
            _attach(form, error)
            return self.render_to_response(self.get_context_data(form=form))
        if submitting:
            messages.success(request, _("The report was submitted to the unit above."))
        else:
            messages.success(request, _("Saved as a draft."))
        for text in result.warnings:
            messages.warning(request, text)
        for name in result.outliers:
            messages.warning(request, _("%(name)s is far from earlier values: please check it.") % {"name": name})
        return redirect(self.report.get_absolute_url())


def _checks(report) -> dict:
    """The rules the report's values break: blocking ones stop the submission, warnings are only shown."""
    violations = services.report_violations(report) if report.is_editable else []
    return {
        "rule_failures": [violation.message for violation in violations if violation.blocking],
        "rule_warnings": [violation.message for violation in violations if not violation.blocking],
    }


def _attach(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for code, texts in error.message_dict.items():
            field = f"value_{code}"
            form.add_error(field if field in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


class ReportDecisionView(LoginRequiredMixin, View):
    """POST: approve or return a submitted report."""

    decision = "approve"

    def post(self, request, pk):
        report = visible_report(request, pk)
        try:
            if self.decision == "approve":
                services.approve_report(report, actor=request.user)
                messages.success(request, _("Approved: the values now count on the dashboards."))
            else:
                services.return_report(report, actor=request.user, reason=request.POST.get("reason", ""))
                messages.success(request, _("Returned for correction."))
        except (ValidationError, PermissionDenied) as error:
            show_errors(request, error)
        return redirect(report.get_absolute_url())


class OpenReportView(PermissionSomewhereMixin, CancelMixin, ServiceFormView):
    needed_permission = "plans.change_report"
    form_class = OpenReportForm
    title = gettext_lazy("Open a report")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "day": self.request.as_of}

    def get_initial(self):
        return {"data_set": self.request.GET.get("data_set"), "period": self.request.GET.get("period", "")}

    def perform(self, form):
        data = form.cleaned_data
        return services.open_report(data["data_set"], data["unit"], data["period"], actor=self.request.user)


class CompletenessView(PlaceMixin, TemplateView):
    """Who reported, who is late: a data set and period, by unit below, with drill-down."""

    template_name = "plans/completeness.html"
    unit_in_query = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data_sets = list(DataSet.objects.active())
        chosen = self.request.GET.get("data_set", "")
        data_set = next((each for each in data_sets if each.code == chosen), data_sets[0] if data_sets else None)
        period = self._period(data_set)
        rows, total = [], None
        if data_set is not None:
            structure, unit = self.place.structure, self.place.unit
            total = completeness.completeness(structure, unit.id, data_set, period)
            rows = completeness.by_child(structure, unit.id, data_set, period)
        context.update(data_sets=data_sets, data_set=data_set, period=period, total=total, rows=rows)
        # The period is picked from a list in words of the data set's kind (no code to type).
        context["period_choices"] = period_choices(timezone.localdate(), (period.kind,), period.code)
        context["title"] = _("Reporting completeness")
        return context

    def _period(self, data_set):
        from django.utils import timezone

        kind = data_set.period_type if data_set else "month"
        try:
            period = periods.parse(self.request.GET["period"])
        except (KeyError, ValidationError):
            return periods.latest_ended(timezone.localdate(), kind)
        return period if period.kind == kind else periods.latest_ended(timezone.localdate(), kind)


class EvidenceView(LoginRequiredMixin, TemplateView):
    """The documents backing one value; add more while the report is editable."""

    template_name = "plans/evidence.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            queryset = DataValue.objects.restrict(request.user).select_related("report__unit", "data_element")
            self.value = get_object_or_404(queryset, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.value.report
        context.update(
            value=self.value,
            report=report,
            evidence=self.value.evidence.all(),
            form=kwargs.get("form") or EvidenceForm(),
            can_add=report.is_editable and self.request.user.has_perm("plans.add_evidence", self.value),
            title=_("Evidence: %(name)s") % {"name": self.value.data_element.name},
        )
        return context

    def post(self, request, *args, **kwargs):
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.add_evidence(actor=request.user, data_value=self.value, **form.cleaned_data)
            except (ValidationError, PermissionDenied) as error:
                show_errors(request, error)
            else:
                messages.success(request, _("The document was attached."))
                return redirect(reverse("plans:value_evidence", args=[self.value.pk]))
        return self.render_to_response(self.get_context_data(form=form))


class EvidenceFileView(LoginRequiredMixin, View):
    """A document backing a value or a task update, for those who may see it (out of scope: 404)."""

    def get(self, request, pk):
        evidence = get_object_or_404(Evidence.objects.restrict(request.user), pk=pk)
        return stored_file_response(evidence.file.name, download_name=f"{evidence.title}{suffix(evidence.file.name)}")


class EvidenceDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        evidence = get_object_or_404(Evidence.objects.restrict(request.user), pk=pk)
        back = (
            reverse("plans:value_evidence", args=[evidence.data_value_id])
            if evidence.data_value_id
            else reverse("plans:task_detail", args=[evidence.task_update.task_id])
        )
        try:
            services.delete_evidence(evidence, actor=request.user)
        except (ValidationError, PermissionDenied) as error:
            show_errors(request, error)
        return redirect(back)


class ImportView(CancelMixin, ServiceFormView):
    """Upload a DHIS2 dataValueSet; it is checked and imported by a background job with progress."""

    form_class = ImportForm
    title = gettext_lazy("Import data values (DHIS2)")
    template_name = "plans/import.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("plans.add_datavalue"):
            raise PermissionDenied(_("You may not import data values."))
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        data = form.cleaned_data
        return services.start_data_value_import(
            data["file"],
            actor=self.request.user,
            strategy=data["import_strategy"],
            dry_run=data["dry_run"],
            atomic=data["atomic"],
        )

    def get_success_url(self, result=None):
        return reverse("core:job_detail", args=[result.pk])


class ViolationFilterForm(forms.Form):
    period = PeriodChoiceField(required=False)
    data_set = forms.ModelChoiceField(
        label=gettext_lazy("Data set"), queryset=DataSet.objects.none(), required=False, to_field_name="code"
    )
    importance = forms.ChoiceField(
        label=gettext_lazy("Importance"), choices=[("", "—"), *RuleImportance.choices], required=False
    )
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.none(), required=False)


class ViolationTable(tables.Table):
    unit = tables.Column(verbose_name=gettext_lazy("Unit"), accessor="report__unit__name")
    period = tables.Column(verbose_name=gettext_lazy("Period"), accessor="report__period_label")
    data_set = tables.Column(verbose_name=gettext_lazy("Data set"), accessor="report__data_set__name")
    rule = tables.Column(verbose_name=gettext_lazy("Broken rule"), accessor="rule__name")
    importance = tables.Column(verbose_name=gettext_lazy("Importance"), accessor="importance_label")
    left_value = tables.Column(verbose_name=gettext_lazy("Left side"))
    right_value = tables.Column(verbose_name=gettext_lazy("Right side"))
    message = tables.Column(verbose_name=gettext_lazy("Message"))
    link = tables.Column(verbose_name=gettext_lazy("Report"), accessor="url")


class ViolationListView(LoginRequiredMixin, TemplateView):
    """The rule violations of the reports an approver decides on (scope of plans.approve_report), by period,
    data set, importance and unit; `?export=xlsx` (or csv) gives the same rows as a file."""

    template_name = "plans/violation_list.html"

    def get(self, request, *args, **kwargs):
        reports = Report.objects.restrict(request.user, "plans.approve_report", path="unit__parent__path")
        form = ViolationFilterForm(request.GET or None)
        form.fields["data_set"].queryset = DataSet.objects.filter(rules__isnull=False).distinct().order_by("name")
        form.fields["unit"].queryset = Unit.objects.filter(pk__in=reports.values("unit_id")).order_by("path")
        rows = []
        if form.is_valid() or not request.GET:
            data = form.cleaned_data if request.GET else {}
            if data.get("period"):
                reports = reports.filter(period=data["period"])
            if data.get("data_set"):
                reports = reports.filter(data_set=data["data_set"])
            if data.get("unit"):
                reports = reports.filter(unit=data["unit"])
            rows = violations.violations(
                reports.filter(data_set__rules__isnull=False).distinct(), data.get("importance") or ""
            )
        table_rows = [self._row(row) for row in rows]
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            table = ViolationTable(table_rows)
            return TableExport(export, table).response(f"vi-pham-quy-tac.{export}")
        return self.render_to_response(self.get_context_data(form=form, rows=table_rows, query=request.GET.urlencode()))

    def _row(self, row) -> dict:
        report = row.report
        return {
            "report": {
                "unit": {"name": report.unit.name},
                "period_label": periods.parse(report.period).label(),
                "data_set": {"name": report.data_set.name},
            },
            "rule": {"name": row.rule.name},
            "importance": row.importance,
            "importance_label": RuleImportance(row.importance).label,
            "left_value": display.whole(row.left_value) if row.left_value is not None else "",
            "right_value": display.whole(row.right_value) if row.right_value is not None else "",
            "message": row.message,
            "url": self.request.build_absolute_uri(report.get_absolute_url()),
            "path": report.get_absolute_url(),
        }
