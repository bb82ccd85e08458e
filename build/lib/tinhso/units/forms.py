from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import TYPES_OF_LEVEL, UnitLevel
from .models import Organisation, Unit


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = [
            "short_name",
            "name",
            "unit_type",
            "valid_to",
            "households",
            "population",
            "area_km2",
            "latitude",
            "longitude",
        ]
        widgets = {"valid_to": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TYPES_OF_LEVEL.get(self.instance.level, [])
        self.fields["unit_type"].choices = [
            (value, label) for value, label in self.fields["unit_type"].choices if value in allowed
        ]


class VillageForm(forms.Form):
    short_name = forms.CharField(label=_("Name"), max_length=120, help_text=_("Without the type word, e.g. “Khe Dứa”."))
    unit_type = forms.ChoiceField(label=_("Type"))
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        required=False,
        help_text=_("Leave empty to number it after the commune's code."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DateInput())
    households = forms.IntegerField(label=_("Households"), min_value=0, required=False)
    population = forms.IntegerField(label=_("Population"), min_value=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .choices import UnitType

        self.fields["unit_type"].choices = [
            (t.value, t.label) for t in TYPES_OF_LEVEL[UnitLevel.VILLAGE] if isinstance(t, UnitType)
        ]


class VillageImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel or CSV file"),
        help_text=_(
            "Columns: Mã xã, Tên thôn, Loại (Thôn/Bản/Tổ dân phố), and optionally Mã thôn, Hiệu lực từ, "
            "Số hộ, Dân số. Every row is checked before anything is written."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "code", "phone", "email", "address", "is_active"]
