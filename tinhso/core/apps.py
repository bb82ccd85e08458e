from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tinhso.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import (
            changelog,  # noqa: F401  (connects the change-log signals)
            exports,  # noqa: F401  (registers the "core.export" job handler)
            retention,
            tasks,  # noqa: F401  (offers the worker's entry points to core.queue)
        )
        from .demo import seed_notifications
        from .formfields import bound_multiple_choice_ids
        from .notifications import register_kind
        from .registry import MenuItem, demo, menu

        retention._register_foundation()
        bound_multiple_choice_ids()
        menu.add(MenuItem(_("Delivery log"), "core:delivery_list", permission="core.view_delivery", order=95))

        register_kind("core.job_failed", _("Background job failed"))
        register_kind("core.announcement", _("Announcement from the platform"))
        demo.add("notifications", seed_notifications, order=95)
