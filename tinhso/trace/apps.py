from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

MODELS = ("producer", "garden", "tree", "treephoto", "event", "device", "product", "certification", "batch")
READ = tuple(f"view_{model}" for model in MODELS)
FIELD = ("add_event", "change_event")
MANAGE = tuple(f"{action}_{model}" for model in MODELS for action in ("add", "change")) + (
    "view_statistics",
    "delete_treephoto",
)


def _names(*codenames: str) -> list[str]:
    return [f"trace.{codename}" for codename in codenames]


class TraceConfig(AppConfig):
    name = "tinhso.trace"
    label = "trace"
    verbose_name = _("Traceability")

    def ready(self):
        from tinhso.accounts.roles import Role, grant
        from tinhso.core.registry import MenuItem, demo, menu

        from . import tasks  # noqa: F401  (registers the scan counter flush)
        from .demo import seed_trace

        grant(Role.DX_CENTRE_STAFF, *_names(*READ, "view_statistics"))
        grant(Role.DEPARTMENT_STAFF, *_names(*READ, "view_statistics"))
        # The commune registers producers, gardens and trees, prints labels and packs batches with them; a
        # district (before 2025) does the same for its communes, as in the other modules, and can therefore
        # hand the commune officer's role on (nobody gives more rights than they hold).
        grant(Role.DISTRICT_OFFICER, *_names(*READ, *FIELD, *MANAGE, "view_statistics"))
        grant(Role.COMMUNE_OFFICER, *_names(*READ, *FIELD, *MANAGE))
        # Trees belong to the commune, so village roles (held on a village) see none: nothing granted.
        menu.add(MenuItem(_("Traceability"), "trace:tree_list", permission="trace.view_tree", order=45))
        demo.add("trace", seed_trace, order=95)
