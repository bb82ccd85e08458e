from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "tinhso.units"
    label = "units"
    verbose_name = _("Administrative units")

    def ready(self):
        from tinhso.core.registry import MenuItem, demo, menu

        from . import succession  # noqa: F401  (keeps the cached succession graph fresh)
        from .demo import seed_units, units_present
        from .importers import villages  # noqa: F401  (registers the import job)

        menu.add(MenuItem(_("Administrative units"), "units:unit_list", permission="units.view_unit", order=10))
        menu.add(
            MenuItem(_("Organisations"), "units:organisation_list", permission="units.view_organisation", order=80)
        )
        demo.add("units", seed_units, order=10, present=units_present)
