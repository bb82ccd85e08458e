from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tinhso.core.periods import PeriodChoiceField

from .models import CriteriaSet, Criterion


def _pairs(text: str, separator: str) -> list[tuple[str, str]]:
    pairs = []
    for part in [p.strip() for p in text.replace("\n", ";").split(";") if p.strip()]:
        left, found, right = part.partition(separator)
        if not found:
            raise ValidationError(
                _("Write each step as “value %(sep)s points”, separated by semicolons.") % {"sep": separator}
            )
        pairs.append((left.strip(), right.strip()))
    return pairs


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation as error:
        raise ValidationError(_("“%(text)s” is not a number.") % {"text": text}) from error


class CriteriaSetForm(forms.ModelForm):
    first_period = PeriodChoiceField(label=_("First period"))
    last_period = PeriodChoiceField(label=_("Last period"), required=False)
    bands = forms.CharField(
        label=_("Classification"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Each band as “label = minimum percent of the maximum”, separated by semicolons, e.g. "
            "Xuất sắc = 90; Tốt = 80; Khá = 65; Trung bình = 50; Yếu = 0."
        ),
    )

    class Meta:
        model = CriteriaSet
        fields = ["code", "name", "subject_kind", "first_period", "last_period", "verifying_level", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bands = self.instance.classification or []
        self.fields["bands"].initial = "; ".join(f"{band['label']} = {band['min']}" for band in bands)

    def clean_bands(self):
        return [
            {"label": label, "min": float(_decimal(minimum))}
            for label, minimum in _pairs(self.cleaned_data["bands"], "=")
        ]


class CriterionForm(forms.ModelForm):
    steps = forms.CharField(
        label=_("Thresholds"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "For stepped rules: “at least = points” pairs separated by semicolons, e.g. 90 = 10; 80 = 8; 50 = 5."
        ),
    )

    class Meta:
        model = Criterion
        fields = [
            "code",
            "name",
            "parent",
            "order",
            "max_points",
            "rule",
            "source",
            "source_key",
            "evidence_required",
            "evidence_source",
            "guidance",
        ]

    def __init__(self, *args, criteria_set=None, **kwargs):
        super().__init__(*args, **kwargs)
        criteria_set = criteria_set or self.instance.criteria_set
        self.fields["parent"].queryset = criteria_set.criteria.exclude(pk=self.instance.pk)
        self.fields["steps"].initial = "; ".join(f"{s['at_least']} = {s['points']}" for s in self.instance.thresholds)

    def clean_steps(self):
        return [
            {"at_least": str(_decimal(value)), "points": str(_decimal(points))}
            for value, points in _pairs(self.cleaned_data.get("steps") or "", "=")
        ]


class ScoreEntryForm(forms.Form):
    points = forms.DecimalField(label=_("Points"), required=False, min_value=0, decimal_places=2)
    value = forms.DecimalField(label=_("Value"), required=False, decimal_places=4)
    numerator = forms.DecimalField(label=_("Numerator"), required=False, min_value=0, decimal_places=4)
    denominator = forms.DecimalField(label=_("Denominator"), required=False, min_value=0, decimal_places=4)
    answer = forms.NullBooleanField(label=_("Answer"), required=False)
    evidence_note = forms.CharField(label=_("Evidence (document number, title, date)"), required=False, max_length=300)
    evidence_file = forms.FileField(label=_("Evidence file"), required=False)


class ReviewForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
