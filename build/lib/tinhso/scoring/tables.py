import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import CriteriaSet, Evaluation


class CriteriaSetTable(tables.Table):
    code = tables.Column(verbose_name=_("Code"))
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    subject_kind = tables.Column(verbose_name=_("Subject kind"))
    periods = tables.Column(verbose_name=_("Periods"), accessor="periods_label", orderable=False)
    unit = tables.Column(verbose_name=_("Owner unit"), accessor="unit__name")

    class Meta:
        model = CriteriaSet
        fields = ["code", "name", "subject_kind", "periods", "unit"]
        empty_text = _("No criteria set yet.")


class EvaluationTable(tables.Table):
    subject_label = tables.Column(verbose_name=_("Evaluated"), linkify=True)
    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name", order_by="unit__path")
    period = tables.Column(verbose_name=_("Period"))
    total = tables.Column(verbose_name=_("Points"), attrs={"td": {"class": "number"}, "th": {"class": "number"}})
    classification = tables.Column(verbose_name=_("Classification"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Evaluation
        fields = ["subject_label", "unit", "period", "total", "classification", "status"]
        order_by = "-total"
        empty_text = _("No evaluation yet.")
