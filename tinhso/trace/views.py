"""Pages of the registry: trees, gardens, producers, import, labels, field records, batches and statistics."""

import datetime
import re
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from tinhso.core.files import download_response
from tinhso.core.filtersets import id_param
from tinhso.core.imports import ImportRejected
from tinhso.core.views import ObjectDetailView, ObjectListView, ServiceFormView

from . import importers, labels, services, statistics
from .choices import EventKind
from .filtersets import TreeFilterSet
from .forms import (
    BatchForm,
    CertificationForm,
    DeviceForm,
    GardenForm,
    ImportForm,
    PhotoForm,
    ProducerForm,
    ProductForm,
    RecallForm,
    StatisticsFilterForm,
    TreeForm,
)
from .models import Batch, Device, Garden, Product, Tree, TreePhoto
from .tables import BatchTable, DeviceTable, GardenTable, ProductTable, TreeTable


class TreeListView(ObjectListView):
    model = Tree
    queryset = Tree.objects.select_related("garden")
    table_class = TreeTable
    filterset_class = TreeFilterSet
    template_name = "trace/tree_list.html"
    title = gettext_lazy("Ancient tea trees")
    add_url_name = "trace:tree_add"
    add_permission = "trace.add_tree"


class TreeDetailView(ObjectDetailView):
    model = Tree
    queryset = Tree.objects.select_related("garden__producer", "unit")
    template_name = "trace/tree_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["qr"] = labels.qr_svg_data_uri(self.object.link) if self.object.link else ""
        context["events"] = self.object.events.all()[:20]
        context["photos"] = self.object.photos.order_by("pk")
        return context


class RegistryFormView(ServiceFormView):
    """A form whose choices (gardens, producers, communes) are restricted to the user's units."""

    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class TreeCreateView(RegistryFormView):
    form_class = TreeForm
    permission = "trace.add_tree"
    title = gettext_lazy("Register a tree")

    def perform(self, form):
        return services.create_tree(actor=self.request.user, **form.cleaned_data)


class TreeEditView(RegistryFormView):
    form_class = TreeForm
    permission = "trace.change_tree"
    title = gettext_lazy("Edit the tree")

    def get_form_kwargs(self):
        tree = get_object_or_404(Tree.objects.restrict(self.request.user, "change"), pk=self.kwargs["pk"])
        return {**super().get_form_kwargs(), "instance": tree}

    def perform(self, form):
        tree = Tree.objects.get(pk=form.instance.pk)
        return services.update_tree(tree, actor=self.request.user, **form.cleaned_data)


class GardenListView(ObjectListView):
    model = Garden
    queryset = Garden.objects.select_related("producer").annotate(tree_count=Count("trees"))
    table_class = GardenTable
    filterset_class = None
    title = gettext_lazy("Gardens")
    add_url_name = "trace:garden_add"
    add_permission = "trace.add_garden"


class GardenCreateView(RegistryFormView):
    form_class = GardenForm
    permission = "trace.add_garden"
    title = gettext_lazy("Register a garden")

    def perform(self, form):
        producer = form.cleaned_data["producer"]
        return services.create_garden(actor=self.request.user, unit=producer.unit, **form.cleaned_data)


class ProducerCreateView(RegistryFormView):
    form_class = ProducerForm
    permission = "trace.add_producer"
    title = gettext_lazy("Register a producer")

    def perform(self, form):
        return services.create_producer(actor=self.request.user, **form.cleaned_data)

    def get_success_url(self, result=None):
        return reverse("trace:garden_add")


class TreeImportView(RegistryFormView):
    form_class = ImportForm
    permission = "trace.add_tree"
    title = gettext_lazy("Import trees from Excel or CSV")
    template_name = "trace/tree_import.html"

    def perform(self, form):
        try:
            importers.import_trees(form.cleaned_data["file"], actor=self.request.user)
        except ImportRejected as rejected:
            raise ValidationError(
                [_("Line %(row)d, %(column)s: %(message)s") % error.as_dict() for error in rejected.errors]
            ) from rejected
        return None

    def get_success_url(self, result=None):
        return reverse("trace:tree_list")


class CommaDecimalField(forms.DecimalField):
    """2,5 and 2.5 both mean two and a half kilos (a localised field would read 2.5 as 25). A text box
    with a decimal keypad: a number box refuses the comma a Vietnamese phone types."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        return super().to_python(value.replace(",", ".") if isinstance(value, str) else value)


EVENT_ID = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


class EventForm(forms.Form):
    tree = forms.ModelChoiceField(queryset=Tree.objects.none(), label=capfirst(gettext_lazy("tree")))
    kind = forms.ChoiceField(
        choices=[c for c in EventKind.choices if c[0] != EventKind.SENSOR], label=capfirst(gettext_lazy("kind"))
    )
    event_time = forms.DateTimeField(
        label=capfirst(gettext_lazy("time")), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    quantity_kg = CommaDecimalField(
        label=capfirst(gettext_lazy("quantity (kg)")), required=False, min_value=0, max_digits=8, decimal_places=2
    )
    inputs = forms.CharField(label=capfirst(gettext_lazy("inputs used")), required=False, max_length=200)
    performed_by = forms.CharField(label=capfirst(gettext_lazy("done by")), required=False, max_length=120)
    note = forms.CharField(
        label=capfirst(gettext_lazy("note")), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Made by the phone (or the page) once per record: sending it again records nothing new.
    event_id = forms.CharField(widget=forms.HiddenInput, max_length=60, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tree"].queryset = Tree.objects.restrict(user, "view")

    def clean_event_id(self):
        value = self.cleaned_data["event_id"].strip().lower()
        if not value:  # a page older than this field: a record of its own, not protected against resending
            return f"urn:uuid:{uuid.uuid4()}"
        if not EVENT_ID.match(value):
            raise forms.ValidationError(_("This record has no valid identifier; reload the page."))
        return value

    def clean_event_time(self):
        value = self.cleaned_data["event_time"]
        if value > timezone.now() + datetime.timedelta(minutes=10):
            raise forms.ValidationError(_("The time cannot be in the future."))
        return value


class EventCreateView(RegistryFormView):
    """The farmer's phone form. With JavaScript, a record is kept on the phone first (an outbox in
    localStorage) and sent when there is a network, as JSON, as often as needed: the record's own id
    (`event_id`) makes every resend harmless. Without JavaScript it is a plain form."""

    form_class = EventForm
    template_name = "trace/event_form.html"
    title = gettext_lazy("Record care or a harvest")

    def wants_json(self) -> bool:
        return "application/json" in self.request.headers.get("Accept", "")

    def dispatch(self, request, *args, **kwargs):
        if self.wants_json() and not request.user.is_authenticated:
            return JsonResponse(
                {"detail": _("Log in again, then the records kept on this phone are sent.")}, status=401
            )
        return super().dispatch(request, *args, **kwargs)

    permission = "trace.add_event"

    def get_initial(self):
        tree = self.request.GET.get("tree")
        return {
            "tree": tree if str(tree).isdigit() else None,
            "event_id": f"urn:uuid:{uuid.uuid4()}",
            "event_time": timezone.localtime().replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M"),
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cancel_url": reverse("trace:tree_list")}

    def form_valid(self, form):
        try:
            event, created = services.record_event_once(actor=self.request.user, **form.cleaned_data)
        except services.DuplicateEvent as duplicate:
            if self.wants_json():
                return JsonResponse({"detail": str(duplicate)}, status=409)
            form.data = form.data.copy()
            form.data["event_id"] = f"urn:uuid:{uuid.uuid4()}"  # sending again is deliberate: a new record
            form.add_error(None, str(duplicate))
            return self.form_invalid(form)
        except ValidationError as error:
            if self.wants_json():
                return JsonResponse(getattr(error, "message_dict", {"__all__": error.messages}), status=400)
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        except PermissionDenied as error:
            if self.wants_json():
                return JsonResponse({"detail": str(error)}, status=403)
            raise
        if self.wants_json():
            body = {
                "id": event.pk,
                "event_id": event.event_id,
                "created": created,
                "url": event.tree.get_absolute_url(),
            }
            return JsonResponse(body, status=201 if created else 200)
        messages.success(self.request, _("Recorded.") if created else _("This record had already been received."))
        return redirect(event.tree.get_absolute_url())

    def form_invalid(self, form):
        if self.wants_json():
            return JsonResponse(form.errors.get_json_data(), status=400)
        return super().form_invalid(form)


class BatchListView(ObjectListView):
    model = Batch
    queryset = Batch.objects.select_related("product")
    table_class = BatchTable
    filterset_class = None
    title = gettext_lazy("Batches")
    add_url_name = "trace:batch_add"
    add_permission = "trace.add_batch"


class BatchDetailView(ObjectDetailView):
    model = Batch
    queryset = Batch.objects.select_related("product__producer", "unit")
    template_name = "trace/batch_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.object
        context.update(
            qr=labels.qr_svg_data_uri(batch.link) if batch.link else "",
            trees=batch.trees.order_by("number"),
            harvests=batch.harvests.select_related("tree").order_by("event_time"),
            steps=[step for step in batch.processing.splitlines() if step.strip()],
            recall_form=RecallForm() if not batch.is_recalled else None,
        )
        return context


class BatchCreateView(RegistryFormView):
    form_class = BatchForm
    permission = "trace.add_batch"
    title = gettext_lazy("Pack a batch")

    def get_initial(self):
        product = id_param(self.request.GET.get("product"))
        return {"product": product} if product else {}

    def perform(self, form):
        return services.create_batch(actor=self.request.user, **form.service_fields())


class BatchEditView(RegistryFormView):
    form_class = BatchForm
    permission = "trace.change_batch"
    title = gettext_lazy("Edit the batch")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.batch = get_object_or_404(Batch.objects.restrict(request.user, "change"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "batch": self.batch}

    def get_initial(self):
        batch = self.batch
        return {
            "packed_on": batch.packed_on,
            "processing": batch.processing,
            "tree_numbers": ", ".join(batch.trees.order_by("number").values_list("number", flat=True)),
        }

    def perform(self, form):
        fields = form.service_fields()
        if not (form.cleaned_data.get("harvest_from") or form.cleaned_data.get("harvest_to")):
            fields.pop("harvests")  # no period given: the linked harvests stay as they are
        return services.update_batch(self.batch, actor=self.request.user, **fields)


class BatchRecallView(RegistryFormView):
    form_class = RecallForm
    permission = "trace.change_batch"
    title = gettext_lazy("Recall the batch")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.batch = get_object_or_404(Batch.objects.restrict(request.user, "change"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        return services.recall_batch(self.batch, actor=self.request.user, reason=form.cleaned_data["recall_reason"])


class ProductListView(ObjectListView):
    model = Product
    queryset = Product.objects.select_related("producer").annotate(batch_count=Count("batches"))
    table_class = ProductTable
    filterset_class = None
    title = gettext_lazy("Products")
    add_url_name = "trace:product_add"
    add_permission = "trace.add_product"


class ProductDetailView(ObjectDetailView):
    model = Product
    queryset = Product.objects.select_related("producer", "unit")
    template_name = "trace/product_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        certifications = self.object.certifications.order_by("-valid_from")
        context["certifications"] = [(c, c.is_valid_on(today)) for c in certifications]
        context["batches"] = self.object.batches.order_by("-packed_on")[:50]
        return context


class ProductCreateView(RegistryFormView):
    form_class = ProductForm
    permission = "trace.add_product"
    title = gettext_lazy("Register a product")

    def perform(self, form):
        data = form.cleaned_data
        return services.create_product(actor=self.request.user, unit=data["producer"].unit, **data)


class ProductEditView(RegistryFormView):
    form_class = ProductForm
    permission = "trace.change_product"
    title = gettext_lazy("Edit the product")

    def get_form_kwargs(self):
        product = get_object_or_404(Product.objects.restrict(self.request.user, "change"), pk=self.kwargs["pk"])
        return {**super().get_form_kwargs(), "instance": product}

    def perform(self, form):
        product = Product.objects.get(pk=form.instance.pk)
        data = form.cleaned_data
        return services.update_product(product, actor=self.request.user, unit=data["producer"].unit, **data)


class CertificationCreateView(RegistryFormView):
    form_class = CertificationForm
    permission = "trace.add_certification"
    title = gettext_lazy("Add a certification")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.product = get_object_or_404(Product.objects.restrict(request.user, "change"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form):
        services.add_certification(actor=self.request.user, product=self.product, **form.cleaned_data)
        return self.product


class StatisticsView(TemplateView):
    template_name = "trace/statistics.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated or not request.user.has_perm("trace.view_statistics"):
            raise PermissionDenied if request.user.is_authenticated else Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        form = StatisticsFilterForm(self.request.GET, user=self.request.user)
        producer = form.cleaned_data.get("producer") if form.is_valid() else None
        return {**super().get_context_data(**kwargs), **statistics.for_user(self.request.user, producer), "form": form}


@login_required
def labels_pdf(request):
    gardens = Garden.objects.restrict(request.user, "view")
    garden = get_object_or_404(gardens, pk=id_param(request.GET.get("garden")) or 0)
    trees = garden.trees.select_related("garden").order_by("number")
    pdf = labels.label_sheet_pdf(trees, title=garden.name)
    return download_response(pdf, f"labels-garden-{garden.pk}.pdf", "application/pdf", inline=True)


class TreePhotoCreateView(RegistryFormView):
    form_class = PhotoForm
    permission = "trace.add_treephoto"
    title = gettext_lazy("Add a photo")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.tree = get_object_or_404(Tree.objects.restrict(request.user, "change"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cancel_url": self.tree.get_absolute_url()}

    def perform(self, form):
        services.add_photo(
            self.tree, form.cleaned_data["image"], actor=self.request.user, caption=form.cleaned_data["caption"]
        )
        return self.tree


@login_required
@require_POST
def remove_photo(request, pk: int, photo_pk: int):
    photos = TreePhoto.objects.restrict(request.user, "change").filter(tree_id=pk)
    photo = get_object_or_404(photos, pk=photo_pk)
    services.remove_photo(photo, actor=request.user)
    return redirect("trace:tree_detail", pk)


class DeviceListView(ObjectListView):
    model = Device
    queryset = Device.objects.select_related("garden", "tree").annotate(last_reading=Max("readings__time"))
    table_class = DeviceTable
    filterset_class = None
    title = gettext_lazy("Sensor devices")
    add_url_name = "trace:device_add"
    add_permission = "trace.add_device"
    export_formats = ()


def _token_page(request, device: Device, token: str):
    """The token is shown once, on the answer to the POST itself: never in a URL, a redirect or a cache."""
    context = {
        "device": device,
        "token": token,
        "endpoint": request.build_absolute_uri(reverse("trace-sensor-readings", args=[device.device_id])),
    }
    response = render(request, "trace/device_token.html", context)
    response["Cache-Control"] = "no-store"
    return response


class DeviceCreateView(RegistryFormView):
    form_class = DeviceForm
    permission = "trace.add_device"
    title = gettext_lazy("Register a sensor device")

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            device, token = services.register_device(
                actor=self.request.user,
                unit=data["garden"].unit,
                device_id=data["device_id"],
                garden=data["garden"],
                tree=data["tree"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages_ = error.messages if isinstance(error, ValidationError) else [str(error)]
            form.add_error(None, messages_)
            return self.form_invalid(form)
        return _token_page(self.request, device, token)


@login_required
@require_POST
def device_action(request, pk: int, action: str):
    if action not in ("revoke", "token"):
        raise Http404
    device = get_object_or_404(Device.objects.restrict(request.user, "change"), pk=pk)
    if not request.user.has_perm("trace.change_device", device):
        raise PermissionDenied
    if action == "revoke":
        services.revoke_device(device, actor=request.user)
        messages.success(request, _("The device is revoked: its readings are refused from now on."))
        return redirect("trace:device_list")
    return _token_page(request, device, services.reissue_token(device, actor=request.user))


@login_required
def garden_map(request):
    """The trees of one garden at their exact points (an officer's page), on the commune's circle."""
    from .maps import Point, svg_plot

    gardens = Garden.objects.restrict(request.user, "view").select_related("unit")
    garden = get_object_or_404(gardens, pk=id_param(request.GET.get("garden")) or 0)
    centre = services.commune_centre(garden.unit)
    outline = services.commune_outline(garden.unit)
    trees = list(garden.trees.order_by("number").values_list("number", "latitude", "longitude"))
    plot = (
        svg_plot(
            [Point(latitude, longitude, label=number) for number, latitude, longitude in trees],
            centre,
            title=_("Trees of %(garden)s") % {"garden": garden.name},
            outline=outline,
        )
        if centre or outline
        else ""
    )
    context = {"garden": garden, "plot": plot, "tree_count": len(trees), "outline": bool(outline)}
    return render(request, "trace/garden_map.html", context)


class OutlineImportForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Commune"), queryset=None)
    file = forms.FileField(
        label=gettext_lazy("Outline (GeoJSON)"),
        help_text=gettext_lazy("One Polygon or MultiPolygon in WGS84 longitude/latitude, at most 2 MB."),
    )

    def __init__(self, *args, user=None, **kwargs):
        from .forms import communes_for

        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = communes_for(user)


class OutlineImportView(RegistryFormView):
    """An officer imports the commune's outline; the maps and the "outside the commune" check use it."""

    form_class = OutlineImportForm
    permission = "trace.add_communeoutline"
    title = gettext_lazy("Import the commune's outline")
    template_name = "trace/tree_import.html"

    def perform(self, form):
        uploaded = form.cleaned_data["file"]
        from . import outline as outline_module

        if uploaded.size > outline_module.MAX_BYTES:
            raise outline_module.too_large()
        services.import_commune_outline(
            actor=self.request.user, unit=form.cleaned_data["unit"], data=uploaded.read(), source_name=uploaded.name
        )
        messages.success(self.request, _("The commune's outline was imported."))
        return None

    def get_success_url(self, result=None):
        return reverse("trace:garden_list")
