import re

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tinhso.units.forms import DateInput
from tinhso.units.models import Unit

from . import identifiers
from .choices import EventKind
from .models import Certification, Event, Garden, Producer, Product, Tree

TREE_FIELDS = [
    "garden",
    "number",
    "variety",
    "estimated_age",
    "age_method",
    "age_source",
    "girth_cm",
    "height_m",
    "canopy_m",
    "altitude_m",
    "latitude",
    "longitude",
    "story_vi",
    "story_en",
    "status",
]


class TreeForm(forms.ModelForm):
    class Meta:
        model = Tree
        fields = TREE_FIELDS
        widgets = {"story_vi": forms.Textarea(attrs={"rows": 3}), "story_en": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["garden"].queryset = Garden.objects.restrict(user, "view").select_related("unit")


def communes_for(user):
    return Unit.objects.restrict(user, "view").filter(level="commune")


class ProducerForm(forms.ModelForm):
    class Meta:
        model = Producer
        fields = ["unit", "name", "kind", "representative", "phone", "address"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = communes_for(user)


class GardenForm(forms.ModelForm):
    class Meta:
        model = Garden
        fields = ["producer", "name", "village", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = Producer.objects.restrict(user, "view")


class ImportForm(forms.Form):
    file = forms.FileField(label=capfirst(_("Excel or CSV file")))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["producer", "name", "gtin", "ocop_stars", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = Producer.objects.restrict(user, "view")
        self.fields["gtin"].widget.attrs.update(inputmode="numeric", autocomplete="off")

    def clean_gtin(self):
        # 8, 12 or 13 digits are welcome here: the 14-digit form is what is stored (the service checks again).
        try:
            return identifiers.normalise_gtin(self.cleaned_data["gtin"])
        except identifiers.MalformedLink as error:
            raise forms.ValidationError(str(error)) from error


class CertificationForm(forms.ModelForm):
    class Meta:
        model = Certification
        fields = ["kind", "number", "issued_by", "valid_from", "valid_to"]
        widgets = {"valid_from": DateInput(), "valid_to": DateInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class BatchForm(forms.Form):
    """A batch: which product, its lot, when packed, the steps, and where the leaves came from (tree numbers
    and/or whole gardens; the harvests of those trees in a period are linked with it)."""

    product = forms.ModelChoiceField(queryset=Product.objects.none(), label=capfirst(_("product")))
    lot = forms.CharField(
        label=capfirst(_("lot")), max_length=20, help_text=_("Letters, digits and hyphens, e.g. 2025-03.")
    )
    packed_on = forms.DateField(label=capfirst(_("packed on")), widget=DateInput())
    processing = forms.CharField(
        label=capfirst(_("processing steps")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One step per line."),
    )
    gardens = forms.ModelMultipleChoiceField(
        queryset=Garden.objects.none(),
        label=capfirst(_("all trees of these gardens")),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tree_numbers = forms.CharField(
        label=capfirst(_("tree numbers")),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Separated by commas or spaces, e.g. SG-0001, SG-0002."),
    )
    harvest_from = forms.DateField(label=capfirst(_("harvests from")), required=False, widget=DateInput())
    harvest_to = forms.DateField(label=capfirst(_("harvests until")), required=False, widget=DateInput())

    def __init__(self, *args, user=None, batch=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.restrict(user, "view")
        self.fields["gardens"].queryset = Garden.objects.restrict(user, "view")
        self.user, self.batch = user, batch
        if batch is not None:  # product and lot are printed on the label: they stay
            del self.fields["product"], self.fields["lot"]

    def clean(self):
        data = super().clean()
        product = self.batch.product if self.batch else data.get("product")
        if product is None:
            return data
        trees = Tree.objects.restrict(self.user, "view").filter(unit_id=product.unit_id)
        numbers = [number for number in re.split(r"[\s,;]+", data.get("tree_numbers") or "") if number]
        found = {tree.number: tree for tree in trees.filter(number__in=numbers)}
        unknown = [number for number in numbers if number not in found]
        if unknown:
            self.add_error(
                "tree_numbers", _("No such tree in this commune: %(numbers)s") % {"numbers": ", ".join(unknown[:20])}
            )
        chosen = dict(found)
        for tree in trees.filter(garden__in=data.get("gardens") or []):
            chosen.setdefault(tree.number, tree)
        start, end = data.get("harvest_from"), data.get("harvest_to")
        if start and end and end < start:
            self.add_error("harvest_to", _("The end of the period is before its start."))
        harvests = Event.objects.filter(tree__in=chosen.values(), kind=EventKind.HARVEST)
        if start:
            harvests = harvests.filter(event_time__date__gte=start)
        if end:
            harvests = harvests.filter(event_time__date__lte=end)
        data["trees"] = sorted(chosen.values(), key=lambda tree: tree.number)
        data["harvests"] = list(harvests) if (start or end) else []
        return data

    def service_fields(self) -> dict:
        names = ("product", "lot", "packed_on", "processing", "trees", "harvests")
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


class RecallForm(forms.Form):
    recall_reason = forms.CharField(label=capfirst(_("recall reason")), max_length=255)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=capfirst(_("photo")),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}),
        help_text=_("Made smaller and stripped of its location before it is kept."),
    )
    caption = forms.CharField(label=capfirst(_("caption")), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class DeviceForm(forms.Form):
    device_id = forms.RegexField(
        label=capfirst(_("device id")),
        regex=r"^[A-Za-z0-9._-]{1,64}$",
        max_length=64,
        help_text=_("As printed on the sensor or set in the gateway, e.g. sg-sensor-04."),
    )
    garden = forms.ModelChoiceField(queryset=Garden.objects.none(), label=capfirst(_("garden")))
    tree_number = forms.CharField(
        label=capfirst(_("tree number")),
        max_length=30,
        required=False,
        help_text=_("Empty for a sensor of the whole garden."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["garden"].queryset = Garden.objects.restrict(user, "view").select_related("unit")

    def clean(self):
        data = super().clean()
        garden, number = data.get("garden"), (data.get("tree_number") or "").strip()
        data["tree"] = None
        if garden is not None and number:
            data["tree"] = Tree.objects.restrict(self.user, "view").filter(garden=garden, number=number).first()
            if data["tree"] is None:
                self.add_error("tree_number", _("No tree with this number in the garden."))
        return data


class StatisticsFilterForm(forms.Form):
    """Figures of one cooperative or household, among those the reader may see."""

    producer = forms.ModelChoiceField(
        queryset=Producer.objects.none(),
        required=False,
        label=_("Producer"),
        empty_label=_("All cooperatives and households"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = Producer.objects.restrict(user, "view").order_by("name")
