from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tinhso.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import changelog  # noqa: F401  (connects the change-log signals)
        from .notifications import register_kind

        register_kind("core.job_failed", _("Background job failed"))
        register_kind("core.announcement", _("Announcement from the platform"))
