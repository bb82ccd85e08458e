import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import DataElement, DataSet, Indicator, Plan, Report, Task

NUMBER = {"td": {"class": "number"}, "th": {"class": "number"}}
STATUS_BADGE = {"approved": "ok", "submitted": "", "returned": "warn", "draft": "ended"}


class DataElementTable(tables.Table):
    code = tables.Column(verbose_name=_("Code"))
    name = tables.Column(verbose_name=_("Name"))
    value_type = tables.Column(verbose_name=_("Value type"))
    aggregation = tables.Column(verbose_name=_("Over time"), orderable=False)
    unit_of_measure = tables.Column(verbose_name=_("Unit of measure"))

    class Meta:
        model = DataElement
        fields = ["code", "name", "value_type", "aggregation", "unit_of_measure"]
        empty_text = _("No data element matches.")


class DataSetTable(tables.Table):
    code = tables.Column(verbose_name=_("Code"))
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    period_type = tables.Column(verbose_name=_("Period"))
    unit_level = tables.Column(verbose_name=_("Reported by"))
    due_days = tables.Column(verbose_name=_("Days to report"), attrs=NUMBER)

    class Meta:
        model = DataSet
        fields = ["code", "name", "period_type", "unit_level", "due_days"]
        empty_text = _("No data set matches.")


class IndicatorTable(tables.Table):
    code = tables.Column(verbose_name=_("Code"))
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    pillar = tables.Column(verbose_name=_("Pillar"))
    group = tables.Column(verbose_name=_("Group"))
    kind = tables.Column(verbose_name=_("Formula"), orderable=False)

    class Meta:
        model = Indicator
        fields = ["code", "name", "pillar", "group", "kind"]
        empty_text = _("No indicator matches.")


class PlanTable(tables.Table):
    number = tables.Column(verbose_name=_("Number"))
    title = tables.Column(verbose_name=_("Title"), linkify=True)
    unit = tables.Column(verbose_name=_("Administrative unit"), accessor="unit__name", order_by="unit__path")
    issued_on = tables.DateColumn(verbose_name=_("Issued on"), short=True)

    class Meta:
        model = Plan
        fields = ["number", "title", "unit", "issued_on"]
        empty_text = _("No plan yet.")


class ReportTable(tables.Table):
    unit = tables.Column(
        verbose_name=_("Unit"),
        accessor="unit__name",
        order_by="unit__path",
        linkify=lambda record: record.get_absolute_url(),
    )
    data_set = tables.Column(verbose_name=_("Data set"), accessor="data_set__name", order_by="data_set__code")
    period = tables.Column(verbose_name=_("Period"))
    due_date = tables.DateColumn(verbose_name=_("Due"), short=True)
    status = tables.Column(verbose_name=_("Status"))
    first_submitted_at = tables.DateTimeColumn(verbose_name=_("Submitted"), format="j/n/Y")

    class Meta:
        model = Report
        fields = ["unit", "data_set", "period", "due_date", "status", "first_submitted_at"]
        order_by = "-period"
        empty_text = _("No report matches.")

    def render_status(self, record, value):
        return format_html('<span class="badge {}">{}</span>', STATUS_BADGE.get(record.status, ""), value)

    def value_status(self, record, value):
        return value

    def render_period(self, record, value):
        return record.period_label  # “Tháng 11/2024” on screen

    def value_period(self, record, value):
        return value  # the code in exports, which sort and re-import as DHIS2 periods


class TaskTable(tables.Table):
    code = tables.Column(verbose_name=_("Code"))
    title = tables.Column(verbose_name=_("Task"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    owner_organisation = tables.Column(
        verbose_name=_("Lead organisation"), accessor="owner_organisation__name", order_by="owner_organisation__name"
    )
    due_date = tables.DateColumn(verbose_name=_("Due"), short=True)
    progress = tables.Column(verbose_name=_("Progress"), attrs=NUMBER)
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Task
        fields = ["code", "title", "kind", "owner_organisation", "due_date", "progress", "status"]
        order_by = "due_date"
        empty_text = _("No task matches.")

    def render_progress(self, value):
        return f"{value}%"

    def value_progress(self, value):
        return value

    def render_status(self, record, value):
        if record.days_late():
            return format_html('<span class="badge warn">{}</span>', _("Overdue"))
        badge = "ok" if record.status == "completed" else ""
        return format_html('<span class="badge {}">{}</span>', badge, value)

    def value_status(self, record, value):
        return value
