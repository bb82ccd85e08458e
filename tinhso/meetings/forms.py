from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import BodyKind, MeetingMode, MemberRole

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
    repeat = forms.IntegerField(
        label=_("Repeat on the same day for this many months"), min_value=1, max_value=24, initial=1, required=False
    )
    skip = forms.CharField(label=_("Except on these days (e.g. 3/2/2027, 3/5/2027)"), max_length=300, required=False)
    agenda = forms.CharField(
        label=_("Agenda, one item a line"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def clean_skip(self):
        return parse_days(self.cleaned_data.get("skip", ""))


def parse_days(text: str) -> list:
    """ "3/2/2027, 3/5/2027" → dates; a ValidationError naming the first day that is not one."""
    import datetime

    days = []
    for part in (text or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            day, month, year = (int(piece) for piece in part.split("/"))
            days.append(datetime.date(year, month, day))
        except (ValueError, TypeError, OverflowError) as error:  # a year of 30 digits overflows
            raise forms.ValidationError(_("“%(day)s” is not a day written as 3/2/2027.") % {"day": part}) from error
    return days


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300, required=False)
    owner = forms.IntegerField(label=_("Owner"), required=False, min_value=1, max_value=2**62)
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    expected_output = forms.CharField(label=_("Expected output"), required=False)
    resources = forms.CharField(label=_("Resources"), required=False)
    coordination = forms.CharField(label=_("Coordination"), required=False)


class MemberForm(forms.Form):
    """A person joining a body: their user name, role, member number and dates."""

    username = forms.CharField(label=_("User name of the person"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    member_number = forms.CharField(label=_("Member number"), max_length=30, required=False)
    valid_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    valid_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class EndMemberForm(forms.Form):
    day = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))


class BodiesNoticeForm(forms.Form):
    """A meeting for every body of a kind within a unit (a province officer's province-wide notice)."""

    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    kind = forms.ChoiceField(label=_("Bodies"), choices=BodyKind.choices, initial=BodyKind.PARTY_CELL)
    title = forms.CharField(label=_("Title"), max_length=300)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=LocalDateTimeInput(), input_formats=[LOCAL])
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=LocalDateTimeInput(), input_formats=[LOCAL])
    place = forms.CharField(label=_("Place"), max_length=200)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(unit.pk, unit.name) for unit in units]
