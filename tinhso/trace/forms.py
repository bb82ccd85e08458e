from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.units.models import Unit

from .models import Garden, Producer, Tree

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
    file = forms.FileField(label=_("Excel or CSV file"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
