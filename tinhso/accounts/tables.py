import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import User, format_phone


class UserTable(tables.Table):
    username = tables.Column(verbose_name=_("Username"), linkify=("accounts:user_detail", {"pk": tables.A("pk")}))
    full_name = tables.Column(verbose_name=_("Full name"))
    phone = tables.Column(verbose_name=_("Phone"))
    phone_verified_at = tables.Column(verbose_name=_("Phone verified"), empty_values=())
    roles = tables.TemplateColumn(
        "{% for a in record.role_assignments.all %}{{ a.get_role_display }} — {{ a.unit.name }}"
        "{% if not forloop.last %}; {% endif %}{% endfor %}",
        verbose_name=_("Roles"),
        orderable=False,
    )
    is_active = tables.BooleanColumn(verbose_name=_("Active"), yesno=("✓", "—"))

    class Meta:
        model = User
        fields = ["username", "full_name", "phone", "phone_verified_at", "roles", "is_active"]
        order_by = "username"
        empty_text = _("No user matches.")

    def render_phone(self, value):
        return format_phone(value)

    def render_phone_verified_at(self, value, record):
        return date_format(timezone.localtime(value), "j/n/Y") if value and record.phone else "—"
