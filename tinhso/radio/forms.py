"""Forms of the radio pages. They only collect input; services validate and write."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tinhso.units.models import Unit

from .choices import VOICE_CHOICES, BulletinKind, BulletinLevel
from .models import SpeakerCluster

WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]
WHEN_CHOICES = [("now", _("Now")), ("at", _("At a time")), ("recurring", _("Recurring"))]
LOCAL_INPUT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"]


def units_in_scope(user, permission: str, *, levels=("province", "district", "commune", "village")):
    """Units valid today on which the user holds `permission`, tree order (for pickers)."""
    units = Unit.objects.valid_on(timezone.localdate()).filter(level__in=levels).order_by("path")
    return units.restrict(user, permission)


class CapitalisedLabels:
    """Labels reuse the models' lower-case names ("tiêu đề"); on a form they start with a capital."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.label:
                field.label = capfirst(field.label)


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return f"{'— ' * max(unit.depth - 1, 0)}{unit.name}"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, unit):
        return unit.name


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ClusterForm(CapitalisedLabels, forms.Form):
    name = forms.CharField(label=_("name"), max_length=150)
    unit = UnitChoiceField(label=_("village or commune"), queryset=Unit.objects.none())
    latitude = forms.DecimalField(label=_("latitude"), max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(label=_("longitude"), max_digits=9, decimal_places=6, required=False)
    keepalive = forms.IntegerField(label=_("keepalive (s)"), initial=30, min_value=5, max_value=3600)
    volume = forms.IntegerField(label=_("volume"), initial=80, min_value=0, max_value=100)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_in_scope(user, "radio.add_speakercluster", levels=("commune", "village"))


class ClusterEditForm(forms.ModelForm):
    class Meta:
        model = SpeakerCluster
        fields = ["name", "latitude", "longitude", "keepalive", "volume", "note"]


class BulletinForm(CapitalisedLabels, forms.Form):
    """The composer: one form for text, upload, microphone recording and relay; now, later or recurring."""

    title = forms.CharField(label=_("title"), max_length=200)
    kind = forms.ChoiceField(
        label=_("type of content"), choices=BulletinKind.choices, initial=BulletinKind.TEXT, widget=forms.RadioSelect
    )
    text = forms.CharField(label=_("text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    level = forms.ChoiceField(
        label=_("level of the bulletin"), choices=BulletinLevel.choices, initial=BulletinLevel.NORMAL
    )
    voice = forms.ChoiceField(label=_("voice"), choices=VOICE_CHOICES, initial="north")
    rate = forms.IntegerField(
        label=_("speaking rate (words per minute)"),
        required=False,
        min_value=80,
        max_value=220,
        help_text=_("Empty: the pace suited to outdoor loudspeakers."),
    )
    chime = forms.BooleanField(label=_("chime before and after"), required=False, initial=True)
    audio = forms.FileField(
        label=_("audio file"),
        required=False,
        help_text=_("mp3, wav, ogg or m4a; at most 30 minutes."),
        widget=forms.ClearableFileInput(attrs={"accept": "audio/*"}),
    )
    recording = forms.FileField(required=False, widget=forms.FileInput(attrs={"hidden": True, "accept": "audio/*"}))
    stream_url = forms.URLField(label=_("stream URL"), required=False, max_length=500, assume_scheme="http")
    fallback = forms.FileField(
        label=_("fallback audio"),
        required=False,
        help_text=_("Played when the stream is silent for 5 seconds."),
        widget=forms.ClearableFileInput(attrs={"accept": "audio/*"}),
    )
    targets = UnitMultipleChoiceField(
        label=_("villages and communes"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    clusters = forms.ModelMultipleChoiceField(
        label=_("speaker clusters"),
        queryset=SpeakerCluster.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    when = forms.ChoiceField(label=_("when"), choices=WHEN_CHOICES, initial="now", widget=forms.RadioSelect)
    send_at = forms.DateTimeField(
        label=_("send at"), required=False, input_formats=LOCAL_INPUT, widget=DateTimeLocalInput()
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("weekdays"), choices=WEEKDAYS, coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    times = forms.CharField(label=_("times of day"), required=False, help_text=_("For example 06:00, 17:00"))
    expires_at = forms.DateTimeField(
        label=_("expires at"), required=False, input_formats=LOCAL_INPUT, widget=DateTimeLocalInput()
    )
    repeat = forms.IntegerField(
        label=_("repeat"),
        required=False,
        min_value=1,
        max_value=20,
        help_text=_("Empty: once (an emergency: three times)."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = units_in_scope(user, "radio.broadcast_bulletin")
        clusters = SpeakerCluster.objects.select_related("unit").order_by("unit__path", "name")
        self.fields["clusters"].queryset = clusters.restrict(user, "radio.broadcast_bulletin")

    def clean_times(self):
        value = self.cleaned_data.get("times", "")
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]

    def schedule(self) -> dict:
        data = self.cleaned_data
        when = data.get("when") or "now"
        send_at = data.get("send_at") if when in ("at", "recurring") else None
        recurrence = None
        if when == "recurring":
            recurrence = {"weekdays": data.get("weekdays") or [], "times": data.get("times") or []}
            send_at = send_at or timezone.now() + datetime.timedelta(minutes=1)
        if when == "at" and send_at is None:
            raise ValidationError({"send_at": _("Choose the time to send.")})
        return {"send_at": send_at, "recurrence": recurrence, "expires_at": data.get("expires_at")}

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        upload = data.get("recording") or data.get("audio")
        kind = data["kind"]
        if kind == BulletinKind.RECORDING and data.get("recording") is None and data.get("audio") is not None:
            kind = BulletinKind.AUDIO
        return {
            "title": data["title"],
            "text": data.get("text") or "",
            "kind": kind,
            "level": data["level"],
            "voice": data["voice"],
            "rate": data.get("rate"),
            "chime": data.get("chime", False),
            "repeat": data.get("repeat"),
            "stream_url": data.get("stream_url") or "",
            "targets": list(data.get("targets") or []),
            "clusters": list(data.get("clusters") or []),
            "upload": upload if kind in (BulletinKind.AUDIO, BulletinKind.RECORDING) else None,
            "fallback": data.get("fallback") if kind == BulletinKind.RELAY else None,
            **self.schedule(),
        }


class PronunciationForm(CapitalisedLabels, forms.Form):
    unit = UnitChoiceField(label=_("administrative unit"), queryset=Unit.objects.none())
    written = forms.CharField(label=_("written"), max_length=100)
    spoken = forms.CharField(label=_("spoken"), max_length=300)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_in_scope(user, "radio.add_pronunciationentry")


class CommunePolicyForm(CapitalisedLabels, forms.Form):
    unit = UnitChoiceField(label=_("commune"), queryset=Unit.objects.none())
    commune_first = forms.BooleanField(
        label=_("play the commune's priority bulletins first"),
        required=False,
        help_text=_("When off, province and district priority bulletins play before the commune's own."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_in_scope(user, "radio.change_communeradiopolicy", levels=("commune",))


class CapImportForm(CapitalisedLabels, forms.Form):
    document = forms.FileField(
        label=_("CAP 1.2 alert"),
        help_text=_("An XML file; an Alert becomes an emergency, a Cancel cancels what it refers to."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,.cap,application/xml,application/cap+xml"}),
    )
