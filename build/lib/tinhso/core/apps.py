from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tinhso.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import (
            changelog,  # noqa: F401  (connects the change-log signals)
            retention,
        )

        retention._register_foundation()
