import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import ObjectChange


class ObjectChangeTable(tables.Table):
    time = tables.DateTimeColumn(verbose_name=_("Time"), format="H:i:s j/n/Y")
    user_name = tables.Column(verbose_name=_("User"))
    action = tables.Column(verbose_name=_("Action"))
    object_type = tables.Column(verbose_name=_("Type"), accessor="object_type__name", orderable=False)
    object_repr = tables.Column(verbose_name=_("Object"))
    changes = tables.TemplateColumn(
        template_name="core/partials/_change_fields.html",
        verbose_name=_("Changes"),
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = ObjectChange
        fields = ["time", "user_name", "action", "object_type", "object_repr", "changes"]
        order_by = "-time"
        empty_text = _("No changes recorded.")
