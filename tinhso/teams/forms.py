import datetime
import uuid
from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tinhso.core.periods import PeriodChoiceField, parse_period, period_of
from tinhso.scoring.choices import EvaluationStatus
from tinhso.units.forms import DateInput

from .choices import ETHNIC_GROUPS, Gender, MemberRole, TeamLevel
from .evidence import MAX_FILES
from .models import ActivityType, Team
from .services import activity_problems


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "decision_number", "founded_on", "decision_signer", "ended_on", "note"]
        widgets = {"founded_on": DateInput(), "ended_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"name": _("Leave empty for “Tổ Chuyển đổi số cộng đồng” and the unit's name.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = False


class TeamCreateForm(TeamForm):
    unit_code = forms.CharField(
        label=_("Commune or village code"), max_length=20, help_text=_("For example 04441 or 04441-01.")
    )

    class Meta(TeamForm.Meta):
        fields = ["unit_code", *TeamForm.Meta.fields]


class PersonFields(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        required=False,
        help_text=_("Someone already known by this number is reused, not created again."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    ethnicity = forms.ChoiceField(label=_("Ethnic group"), choices=ETHNIC_GROUPS, initial="01")
    birth_year = forms.IntegerField(label=_("Year of birth"), min_value=1920, max_value=2015, required=False)
    skills = forms.CharField(label=_("Digital skills"), max_length=300, required=False)


class MemberForm(PersonFields):
    role = forms.ChoiceField(label=_("Position in the team"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    joined_on = forms.DateField(label=_("Joined on"), widget=DateInput())


class MemberEditForm(MemberForm):
    left_on = forms.DateField(label=_("Left on"), widget=DateInput(), required=False)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.docx,.xlsx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


DATE_MESSAGES = {
    "required": _("Enter the day of the activity, for example 27/3/2024."),
    "invalid": _("This is not a date: write day/month/year, for example 27/3/2024."),
}


class ActivityForm(forms.Form):
    activity_type = forms.ModelChoiceField(
        label=_("Activity"),
        queryset=ActivityType.objects.filter(is_active=True),
        empty_label=None,
        to_field_name="code",
    )
    date = forms.DateField(label=_("Date"), widget=DateInput(), error_messages=DATE_MESSAGES)
    village = forms.TypedChoiceField(label=_("Village"), coerce=int, required=False, empty_value=None)
    people_reached = forms.IntegerField(
        label=_("People reached"),
        min_value=0,
        max_value=100000,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    households_reached = forms.IntegerField(
        label=_("Households reached"),
        min_value=0,
        max_value=20000,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    description = forms.CharField(
        label=_("What was done"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = MultipleFileField(
        label=_("Photos or files"),
        required=False,
        help_text=_("Up to %(count)d photos, PDF, Word or Excel files; photos are made smaller before sending.")
        % {"count": MAX_FILES},
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, villages=(), correcting=False, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        if correcting:
            del self.fields["idempotency_key"], self.fields["evidence"]
        else:
            self.fields["idempotency_key"].initial = str(uuid.uuid4())
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
        if villages:
            self.fields["village"].choices = [("", _("Commune-wide")), *villages]
        else:
            del self.fields["village"]

    def clean(self):
        """The team's checks (a date in the future, outside the team's life) show with the other errors."""
        cleaned = super().clean()
        if self.team is not None:
            problems = activity_problems(self.team, cleaned.get("date"), cleaned.get("activity_type"))
            for field, messages in problems.items():
                self.add_error(field, messages)
        return cleaned


class ActivityTypeForm(forms.ModelForm):
    class Meta:
        model = ActivityType
        fields = ["code", "name", "description", "order", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel or CSV file"),
        help_text=_(
            "Columns: Mã đơn vị (code of the commune or village), Họ và tên, Giới tính, Dân tộc, and optionally "
            "Số điện thoại, Năm sinh, Chức danh, Kỹ năng số, Ngày tham gia. Every row is checked before "
            "anything is written."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


@dataclass
class RankingChoice:
    level: str
    period: str
    group: str
    within: object = None
    status: str = ""
    classification: str = ""


class RankingFilterForm(forms.Form):
    level = forms.ChoiceField(label=_("Teams"), choices=TeamLevel.choices, required=False)
    period = forms.ChoiceField(label=_("Period"), required=False)
    group = forms.ChoiceField(
        label=_("Rank within"),
        required=False,
        choices=[("province", _("the province")), ("district", _("the district")), ("commune", _("the commune"))],
    )
    within = forms.CharField(label=_("Within (unit code)"), required=False, max_length=20)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All")), *EvaluationStatus.choices])
    classification = forms.CharField(label=_("Classification"), required=False, max_length=40)

    def __init__(self, *args, periods=(), structure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.structure = structure
        self.fields["period"].choices = [(code, parse_period(code).label()) for code in periods]
        self.default_period = periods[0] if periods else ""
        self.initial = {"level": TeamLevel.VILLAGE, "group": "province", "period": self.default_period}

    def clean_within(self):
        code = self.cleaned_data["within"].strip()
        if not code:
            return None
        place = self.structure.by_code(code)
        if place is None:
            raise forms.ValidationError(_("No administrative unit has this code on the structure date."))
        return place

    def choice(self) -> RankingChoice:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return RankingChoice(
            level=data.get("level") or TeamLevel.VILLAGE,
            period=data.get("period") or self.default_period,
            group=data.get("group") or "province",
            within=data.get("within"),
            status=data.get("status") or "",
            classification=data.get("classification") or "",
        )


class EvaluateForm(forms.Form):
    level = forms.ChoiceField(label=_("Teams"), choices=TeamLevel.choices)
    period = PeriodChoiceField(label=_("Period"))

    def clean_period(self):
        period = self.cleaned_data["period"].strip()
        parse_period(period)
        return period


def recent_periods(today=None, months: int = 12, quarters: int = 8) -> list:
    """Grouped choices of the latest months and quarters, newest first."""
    today = today or timezone.localdate()
    month_list, quarter_list, day = [], [], today
    for _step in range(months):
        month = period_of(day, "month")
        month_list.append((month.code, month.label()))
        day = month.start - datetime.timedelta(days=1)
    day = today
    for _step in range(quarters):
        quarter = period_of(day, "quarter")
        quarter_list.append((quarter.code, quarter.label()))
        day = quarter.start - datetime.timedelta(days=1)
    return [(_("Months"), month_list), (_("Quarters"), quarter_list)]


class ReportForm(forms.Form):
    team = forms.IntegerField(required=False, widget=forms.HiddenInput)
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    period = forms.ChoiceField(label=_("Period"))
    format = forms.ChoiceField(
        required=False, choices=[("", _("On screen")), ("xlsx", "Excel"), ("pdf", "PDF")], widget=forms.HiddenInput
    )

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", "—"), *[(place.code, place.name) for place in communes]]
        self.fields["period"].choices = recent_periods() + self._asked_period()

    def _asked_period(self) -> list:
        """An older period asked for by its code (a link, a bookmark) is offered too."""
        try:
            period = parse_period(self.data.get("period", ""))
        except forms.ValidationError:
            return []
        return [(_("Other period"), [(period.code, period.label())])]

    def clean(self):
        data = super().clean()
        if not data.get("team") and not data.get("commune"):
            raise forms.ValidationError(_("Choose a commune, or open the report from a team's page."))
        return data
