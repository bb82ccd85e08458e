import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Organisation, Unit


class UnitTable(tables.Table):
    code = tables.Column(verbose_name=_("Code"))
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    unit_type = tables.Column(verbose_name=_("Type"))
    parent = tables.Column(verbose_name=_("Belongs to"), accessor="parent__name", order_by="parent__name")
    valid_from = tables.DateColumn(verbose_name=_("Valid from"), short=True)
    valid_to = tables.DateColumn(verbose_name=_("Valid until"), short=True)
    households = tables.Column(
        verbose_name=_("Households"), attrs={"td": {"class": "number"}, "th": {"class": "number"}}
    )

    class Meta:
        model = Unit
        fields = ["code", "name", "unit_type", "parent", "valid_from", "valid_to", "households"]
        order_by = "path"
        empty_text = _("No administrative unit matches.")


class ChildUnitTable(UnitTable):
    class Meta(UnitTable.Meta):
        exclude = ["parent"]


class OrganisationTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    unit = tables.Column(verbose_name=_("Administrative unit"), accessor="unit__name", order_by="unit__path")
    phone = tables.Column(verbose_name=_("Phone"))
    is_active = tables.BooleanColumn(verbose_name=_("Active"), yesno=("✓", "—"))

    class Meta:
        model = Organisation
        fields = ["name", "kind", "unit", "phone", "is_active"]
        order_by = "name"
        empty_text = _("No organisation matches.")
