import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.units.models import Organisation, Unit

from .models import DESCRIPTION_MAX_LENGTH, ServiceCategory


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe); the service checks each one is a photo."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


def current_places(commune: Unit | None):
    """The villages of the person's commune and the commune itself; without one, the communes of today."""
    today = timezone.localdate()
    units = Unit.objects.filter(valid_from__lte=today).exclude(valid_to__lt=today)
    if commune is not None:
        return units.filter(path__startswith=commune.path).order_by("-depth", "name")  # villages, then the commune
    return units.filter(level="commune").order_by("name")


class ReportForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("What is it about?"), queryset=ServiceCategory.objects.filter(is_public=True), empty_label=None
    )
    place = forms.ModelChoiceField(label=_("Village"), queryset=Unit.objects.none(), required=False)
    latitude = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    address = forms.CharField(label=_("Address or landmark"), required=False, max_length=255)
    description = forms.CharField(
        label=_("What happened?"),
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": DESCRIPTION_MAX_LENGTH}),
    )
    photos = MultipleFileField(label=_("Photos (up to 5)"), required=False)
    is_anonymous = forms.BooleanField(label=_("Hide my name and phone from the office"), required=False)
    assisted = forms.BooleanField(label=_("I am filing for a neighbour without a phone"), required=False)
    contact_name = forms.CharField(label=_("Neighbour's name"), required=False, max_length=120)
    contact_phone = forms.CharField(label=_("Neighbour's phone (if any)"), required=False, max_length=20)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, commune=None, can_assist=False, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", str(uuid.uuid4()))
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = current_places(commune)
        if not can_assist:
            for name in ("assisted", "contact_name", "contact_phone"):
                del self.fields[name]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Public answer"), max_length=DESCRIPTION_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )


class TransferForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("To office"),
        queryset=Organisation.objects.filter(is_active=True, kind__in=("peoples_committee", "department")),
    )
    reason = forms.CharField(label=_("Reason"), max_length=DESCRIPTION_MAX_LENGTH)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=DESCRIPTION_MAX_LENGTH, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), max_length=DESCRIPTION_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2}))
    ask_reporter = forms.BooleanField(label=_("Send it to the reporter as a question"), required=False)


class ModerateForm(forms.Form):
    public_text = forms.CharField(
        label=_("Public text"), max_length=DESCRIPTION_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )
    is_public = forms.BooleanField(label=_("Show on the public pages"), required=False)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=[(value, str(value)) for value in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
