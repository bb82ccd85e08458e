import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.units.models import Organisation, Unit

from . import attributes, routing
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


class CategoryField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name if obj.is_public else _("%(name)s (not published)") % {"name": obj.name}


class ReportForm(forms.Form):
    service = CategoryField(
        label=_("What is it about?"),
        queryset=ServiceCategory.objects.none(),
        empty_label=None,
        help_text=_("Reports of a category marked “not published” are seen only by the office and you."),
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
        # The categories of the whole province and those of the person's commune (or district) only.
        self.fields["service"].queryset = routing.offered_at(commune).select_related("unit")
        if not can_assist:
            for name in ("assisted", "contact_name", "contact_phone"):
                del self.fields[name]


def attribute_sets(categories, data=None, errors=None, chosen: str = "") -> list[dict]:
    """The attribute questions of each category for the filing page, with what was typed and the errors:
    one fieldset per category, only the chosen category's enabled (the page's script follows the choice)."""
    errors = errors or {}
    data = attributes.from_form(data) if data is not None else {}
    sets = []
    for category in categories:
        fields = []
        for question in attributes.questions(category):
            code, value = question["code"], data.get(question["code"], "") if category.code == chosen else ""
            picked = value if isinstance(value, list) else [value]
            fields.append(
                {
                    "name": attributes.field_name(code),
                    "label": question.get("description") or code,
                    "datatype": question.get("datatype", "string"),
                    "required": bool(question.get("required")),
                    "value": "" if isinstance(value, list) else value,
                    "choices": [
                        (str(each.get("key")), each.get("name", each.get("key")), str(each.get("key")) in picked)
                        for each in question.get("values") or []
                    ],
                    "errors": errors.get(attributes.field_name(code), []) if category.code == chosen else [],
                }
            )
        if fields:
            sets.append({"service": category.code, "enabled": category.code == chosen, "fields": fields})
    return sets


def draft_names(sets: list[dict]) -> list[str]:
    """The attribute inputs' names, kept in the offline draft with the other fields."""
    names = []
    for each in sets:
        for field in each["fields"]:
            if field["datatype"] == "multivaluelist":
                names += [f"{field['name']}[{key}]" for key, _name, _checked in field["choices"]]
            else:
                names.append(field["name"])
    return names


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


class CategoryForm(forms.ModelForm):
    """A category kept on the categories page: the unit is one the person may add categories on."""

    class Meta:
        model = ServiceCategory
        fields = ["unit", "code", "name", "description", "group", "deadline_days", "is_public", "order"]

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["description"].widget.attrs["rows"] = 3


class AttributeForm(forms.Form):
    """One Open311 attribute of a category; the values of a list one per line, `key: name`."""

    code = forms.CharField(label=_("Code"), max_length=40)
    datatype = forms.ChoiceField(label=_("Type of answer"), choices=[(name, name) for name in attributes.DATATYPES])
    required = forms.BooleanField(label=_("Required"), required=False)
    description = forms.CharField(label=_("Question"), max_length=attributes.MAX_DESCRIPTION)
    values = forms.CharField(
        label=_("Values of a list (one a line, key: name)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def definition(self) -> dict:
        data = self.cleaned_data
        attribute = {key: data[key] for key in ("code", "datatype", "required", "description")}
        lines = [line for line in data.get("values", "").splitlines() if line.strip()]
        if lines:
            pairs = [line.split(":", 1) if ":" in line else (line, line) for line in lines]
            attribute["values"] = [{"key": key.strip(), "name": name.strip()} for key, name in pairs]
        return attribute

    @staticmethod
    def initial_of(attribute: dict) -> dict:
        initial = {key: attribute.get(key) for key in ("code", "datatype", "required", "description")}
        initial["values"] = "\n".join(f"{each['key']}: {each['name']}" for each in attribute.get("values") or [])
        return initial


AttributeFormSet = forms.formset_factory(
    AttributeForm, extra=1, can_delete=True, max_num=attributes.MAX_ATTRIBUTES, absolute_max=attributes.MAX_ATTRIBUTES
)
