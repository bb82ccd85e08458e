from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

MODELS = (
    "producer",
    "garden",
    "tree",
    "treephoto",
    "event",
    "device",
    "product",
    "certification",
    "batch",
    "communeoutline",
)
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
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from tinhso.core import public_cache

        from . import public
        from .models import Batch, Certification, CommuneOutline, Event, Product, Tree, TreePhoto

        public_cache.serve(r"^/(?:t/|[0-9]{2,4}/)")  # short links and GS1 Digital Link paths
        public_cache.on_hit(public.SCAN, public.count_replayed_scan)
        for model in (Tree, Batch, TreePhoto, Event, Product, Certification):
            post_save.connect(_forget_public_pages, sender=model, dispatch_uid=f"trace-forget-{model.__name__}")
            post_delete.connect(_forget_public_pages, sender=model, dispatch_uid=f"trace-forget-del-{model.__name__}")
        for signal in (post_save, post_delete):
            signal.connect(_forget_outline_pages, sender=CommuneOutline, dispatch_uid=f"trace-outline-{signal}")
        for relation in (Batch.trees.through, Batch.harvests.through):
            m2m_changed.connect(_forget_public_pages, sender=relation, dispatch_uid=f"trace-forget-{relation.__name__}")
        menu.add(MenuItem(_("Traceability"), "trace:tree_list", permission="trace.view_tree", order=45))
        demo.add("trace", seed_trace, order=95)


def _now_and_after_commit(forget) -> None:
    """Forget at once, and again after the commit: a scan rendered in between still read the old rows."""
    from django.db import transaction

    forget()
    transaction.on_commit(forget)


def _forget_public_pages(sender, instance, **kwargs):
    """A change that shows on a public page drops its rendered and replayed copies at once (a recall must
    not wait for the cache to expire); other pages it touches expire within TRACE_PUBLIC_CACHE_SECONDS."""
    from .models import Batch, Certification, Event, Product, Tree, TreePhoto
    from .public import forget_pages

    targets: list = []
    if isinstance(instance, Tree | Batch):
        targets = [instance]
    elif isinstance(instance, TreePhoto | Event):
        targets = [Tree(pk=instance.tree_id, short_code=instance.tree.short_code, link=instance.tree.link)]
    elif isinstance(instance, Product | Certification):
        product_id = instance.pk if isinstance(instance, Product) else instance.product_id
        targets = list(Batch.objects.filter(product_id=product_id).only("short_code", "link"))
    if isinstance(instance, Tree | Event) and instance.pk:  # a batch's page lists its trees and harvests
        linked = {"trees": instance.pk} if isinstance(instance, Tree) else {"harvests": instance.pk}
        targets += list(Batch.objects.filter(**linked).only("short_code", "link"))
    _now_and_after_commit(lambda: forget_pages(targets))


def _forget_outline_pages(sender, instance, **kwargs):
    """A commune's outline is drawn on the public page of every tree of the commune (and of the old
    communes that borrow it): an import or a removal shows on their next scan."""
    from .public import forget_pages, trees_drawn_with_outline_of

    _now_and_after_commit(lambda: forget_pages(trees_drawn_with_outline_of(instance.unit_id)))
