"""Reports of units per period, their values with evidence, and the roll-up kept for dashboards."""

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tinhso.core.files import UnguessableName
from tinhso.core.models import ChangeLoggedModel, ScopedModel

from .. import periods
from ..choices import EDITABLE_REPORT_STATUSES, ReportStatus
from .metadata import DataElement, DataSet

EVIDENCE_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "webp", "heic", "doc", "docx", "xls", "xlsx", "odt", "ods"]


class Report(ChangeLoggedModel, ScopedModel):
    """What one unit reports in one data set for one period; approved by the unit above, then locked."""

    data_set = models.ForeignKey(DataSet, verbose_name=_("data set"), on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("administrative unit"), on_delete=models.PROTECT, related_name="plan_reports"
    )
    period = models.CharField(_("period"), max_length=7)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("approved or returned at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(_("reason for return"), blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period", "unit__path"]
        permissions = [
            ("submit_report", "Can submit a report"),
            ("approve_report", "Can approve or return reports of the units below"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["data_set", "unit", "period"], name="one_report_per_unit_and_period")
        ]
        indexes = [models.Index(fields=["data_set", "period", "status"], name="report_set_period_status_idx")]

    def __str__(self):
        return f"{self.data_set.label} — {self.unit.name} — {self.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("plans:report_detail", args=[self.pk])

    @property
    def period_label(self) -> str:
        return periods.parse(self.period).label()

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_REPORT_STATUSES

    @property
    def is_on_time(self) -> bool:
        from django.utils import timezone

        first = self.first_submitted_at
        return first is not None and timezone.localtime(first).date() <= self.due_date


class DataValue(ChangeLoggedModel, ScopedModel):
    """One value of a data element, for a unit and a period. `number` holds it for arithmetic (yes = 1)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    data_element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="values")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="plan_values")
    period = models.CharField(_("period"), max_length=7)
    value = models.CharField(_("value"), max_length=1000)
    number = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    is_outlier = models.BooleanField(
        _("unusual value"), default=False, help_text=_("Far from this unit's earlier values: worth a second look.")
    )
    # Kept equal to "its report is approved" by approve/return, so dashboards read values without a join.
    is_approved = models.BooleanField(default=False, editable=False)
    stored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    change_log_exclude = ("created_at", "updated_at", "is_approved")

    class Meta:
        verbose_name = _("data value")
        verbose_name_plural = _("data values")
        constraints = [models.UniqueConstraint(fields=["unit", "period", "data_element"], name="one_value_per_element")]
        indexes = [models.Index(fields=["data_element", "period"], name="value_element_period_idx")]

    def __str__(self):
        return f"{self.data_element.code} {self.period}: {self.value}"


class Evidence(ChangeLoggedModel, ScopedModel):
    """A document that backs a value or a task update: a file with its number, title and date."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="plan_evidence")
    data_value = models.ForeignKey(DataValue, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    task_update = models.ForeignKey(
        "plans.TaskUpdate", null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(
        _("file"),
        upload_to=UnguessableName("plans/evidence"),
        max_length=255,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
    )
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    title = models.CharField(_("title"), max_length=255)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.document_number} {self.title}".strip()


class RollupValue(models.Model):
    """Approved values summed per ancestor unit, element and period.

    Kept in the same transaction as approval and return, so dashboards read a few rows instead of
    millions and an approved value counts on the next page load. Values stay attributed to the
    unit that reported them; the tree of the chosen day is applied when reading (see figures.py).
    """

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    data_element = models.ForeignKey(DataElement, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=7)
    total = models.DecimalField(max_digits=28, decimal_places=6, default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "period", "data_element"], name="one_rollup_per_element")
        ]

    def __str__(self):
        return f"{self.unit_id} {self.data_element_id} {self.period}: {self.total} ({self.count})"
