import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Batch, Device, Garden, Product, Tree


class TreeTable(tables.Table):
    number = tables.Column(verbose_name=_("number"), linkify=True)
    garden = tables.Column(verbose_name=_("garden"), accessor="garden__name", order_by="garden__name")
    estimated_age = tables.Column(verbose_name=_("age (years)"))
    girth_cm = tables.Column(verbose_name=_("girth (cm)"))
    altitude_m = tables.Column(verbose_name=_("altitude (m)"))

    class Meta:
        model = Tree
        fields = ["number", "garden", "variety", "estimated_age", "girth_cm", "altitude_m", "status"]


class GardenTable(tables.Table):
    name = tables.Column(verbose_name=_("name"), linkify=True)
    producer = tables.Column(verbose_name=_("producer"), accessor="producer__name")
    tree_count = tables.Column(verbose_name=_("trees"), orderable=False)

    class Meta:
        model = Garden
        fields = ["name", "producer", "village", "tree_count"]


class ProductTable(tables.Table):
    name = tables.Column(verbose_name=_("name"), linkify=True)
    producer = tables.Column(verbose_name=_("producer"), accessor="producer__name")
    batch_count = tables.Column(verbose_name=_("batches"), orderable=False)

    class Meta:
        model = Product
        fields = ["name", "gtin", "producer", "ocop_stars", "batch_count"]


class BatchTable(tables.Table):
    lot = tables.Column(verbose_name=_("lot"), linkify=True)
    product = tables.Column(verbose_name=_("product"), accessor="product__name")
    is_recalled = tables.BooleanColumn(verbose_name=_("recalled"))

    class Meta:
        model = Batch
        fields = ["lot", "product", "packed_on", "is_recalled"]


class DeviceTable(tables.Table):
    device_id = tables.Column(verbose_name=_("device id"))
    garden = tables.Column(verbose_name=_("garden"), accessor="garden__name")
    tree = tables.Column(verbose_name=_("tree"), accessor="tree__number")
    last_reading = tables.DateTimeColumn(verbose_name=_("last reading"), format="H:i j/n/Y")
    actions = tables.TemplateColumn(
        template_name="trace/partials/_device_actions.html", verbose_name="", orderable=False
    )

    class Meta:
        model = Device
        fields = ["device_id", "garden", "tree", "last_reading", "revoked_at", "actions"]
