from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import MeetingMode

LOCAL = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL, **kwargs)


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=LocalDateTimeInput(), input_formats=[LOCAL])
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=LocalDateTimeInput(), input_formats=[LOCAL])
    mode = forms.ChoiceField(label=_("Mode"), choices=MeetingMode.choices)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(label=_("Online meeting link"), max_length=500, required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=_("Agenda, one item a line"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300, required=False)
    owner = forms.IntegerField(label=_("Owner"), required=False, min_value=1, max_value=2**62)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    expected_output = forms.CharField(label=_("Expected output"), required=False)
    resources = forms.CharField(label=_("Resources"), required=False)
    coordination = forms.CharField(label=_("Coordination"), required=False)
