from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.core.periods import PeriodChoiceField
from tinhso.units.forms import DateInput
from tinhso.units.models import Organisation, Unit

from .choices import TaskStatus, ValueType
from .exchange import STRATEGIES
from .models import DataSet, Indicator, Plan, Task
from .models.planning import TASK_FIELDS


class PlainLabels:
    """Labels without Django's trailing colon: “Số hộ gia đình”, as Vietnamese forms write them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ReportEntryForm(PlainLabels, forms.Form):
    """One field per data element of the report's data set, plus an optional comment each."""

    def __init__(self, *args, report, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.report = report
        self.members = list(report.data_set.members.select_related("data_element"))
        self.current = stored_values(report) if current is None else current
        for member in self.members:
            element, value = member.data_element, self.current.get(member.data_element_id)
            self.fields[f"value_{element.code}"] = _value_field(element, member.is_required)
            self.fields[f"comment_{element.code}"] = forms.CharField(label=_("Comment"), required=False, max_length=500)
            if value is not None and not self.is_bound:
                self.initial[f"value_{element.code}"] = _initial(element, value.value)
                self.initial[f"comment_{element.code}"] = value.comment

    def entries(self) -> dict[str, tuple[str, str]]:
        return {
            member.data_element.code: (
                self.cleaned_data.get(f"value_{member.data_element.code}") or "",
                self.cleaned_data.get(f"comment_{member.data_element.code}") or "",
            )
            for member in self.members
        }

    def rows(self):
        """(element, value field, comment field, stored value, value as read) in the order of the form."""
        from . import values

        for member in self.members:
            element = member.data_element
            stored = self.current.get(element.pk)
            shown = values.shown(element, stored.value) if stored else "—"
            yield element, self[f"value_{element.code}"], self[f"comment_{element.code}"], stored, shown


def stored_values(report) -> dict:
    """{element id: stored value with its evidence count}: what the entry form shows beside each field,
    the same whether the form is fresh or comes back with errors."""
    from django.db.models import Count

    return {value.data_element_id: value for value in report.values.annotate(evidence_count=Count("evidence"))}


def _value_field(element, required: bool) -> forms.Field:
    label, help_text = element.name, _hint(element)
    if element.value_type == ValueType.BOOLEAN:
        choices = [("", "—"), ("true", _("Yes")), ("false", _("No"))]
        return forms.ChoiceField(label=label, choices=choices, required=False, help_text=help_text)
    if element.value_type == ValueType.TEXT:
        return forms.CharField(
            label=label, required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=help_text
        )
    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    return forms.CharField(label=label, required=False, widget=widget, help_text=help_text, max_length=40)


def _hint(element) -> str:
    from . import display

    parts = [element.unit_of_measure] if element.unit_of_measure else []
    if element.min_value is not None or element.max_value is not None:
        parts.append(f"{display.whole(element.min_value)} – {display.whole(element.max_value)}")
    return " · ".join(parts)


def _initial(element, stored: str) -> str:
    if element.value_type in (ValueType.BOOLEAN, ValueType.TEXT):
        return stored
    from . import values

    return values.shown(element, stored)


class ReturnForm(PlainLabels, forms.Form):
    reason = forms.CharField(label=_("What needs correcting"), widget=forms.Textarea(attrs={"rows": 3}))


class OpenReportForm(PlainLabels, forms.Form):
    data_set = forms.ModelChoiceField(label=_("Data set"), queryset=DataSet.objects.active())
    unit = forms.ModelChoiceField(label=_("Reporting unit"), queryset=Unit.objects.none())
    period = PeriodChoiceField(label=_("Period"))

    def __init__(self, *args, user, day, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.restrict(user, "view").valid_on(day).order_by("path")


class EvidenceForm(PlainLabels, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, picture, Word or Excel; at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp,.heic,.doc,.docx,.xls,.xlsx"}),
    )
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    title = forms.CharField(label=_("Title"), max_length=255, required=False)
    document_date = forms.DateField(label=_("Document date"), required=False, widget=DateInput())


class TaskForm(PlainLabels, forms.ModelForm):
    class Meta:
        model = Task
        fields = [name for name in TASK_FIELDS if name != "responsible_user"] + ["indicators"]
        widgets = {
            "start_date": DateInput(),
            "due_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "expected_output": forms.Textarea(attrs={"rows": 2}),
            "indicators": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        plans = Plan.objects.restrict(user, "change")
        self.fields["plan"].queryset = plans
        self.fields["parent"].queryset = Task.objects.restrict(user).filter(plan__in=plans, parent__isnull=True)
        self.fields["owner_organisation"].queryset = Organisation.objects.restrict(user).filter(is_active=True)
        self.fields["indicators"].queryset = Indicator.objects.active()
        self.fields["budget_vnd"].widget.attrs.update({"inputmode": "numeric"})


class TaskProgressForm(EvidenceForm):
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in TaskStatus if s != TaskStatus.DRAFT],
        initial=TaskStatus.IN_PROGRESS,
    )
    note = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))

    field_order = ["progress", "status", "note", "file", "document_number", "title", "document_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].required = False


class PlanForm(PlainLabels, forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["unit", "number", "title", "issued_on", "issuer", "start_date", "end_date", "description"]
        widgets = {"issued_on": DateInput(), "start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, user, day, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.restrict(user, "view").valid_on(day).exclude(level="village")
        self.fields["issuer"].queryset = Organisation.objects.restrict(user).filter(is_active=True)


class ImportForm(PlainLabels, forms.Form):
    file = forms.FileField(
        label=_("DHIS2 data value file (JSON or CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.csv"}),
        help_text=_("Codes as identifiers: dataElement, period, orgUnit, value, comment."),
    )
    import_strategy = forms.ChoiceField(
        label=_("Import strategy"), choices=[(name, name) for name in STRATEGIES], initial="CREATE_AND_UPDATE"
    )
    dry_run = forms.BooleanField(label=_("Dry run (check only, write nothing)"), required=False)
    atomic = forms.BooleanField(
        label=_("All or nothing (any conflict: nothing is written)"), required=False, initial=True
    )


class ScoreForm(PlainLabels, forms.Form):
    criteria_set = forms.ModelChoiceField(label=_("Criteria set"), queryset=None)
    period = PeriodChoiceField(label=_("Period"))

    def __init__(self, *args, user, **kwargs):
        from tinhso.scoring.models import CriteriaSet

        from .ranking import SUBJECT_KINDS

        super().__init__(*args, **kwargs)
        self.fields["criteria_set"].queryset = CriteriaSet.objects.restrict(user).filter(
            subject_kind__in=list(SUBJECT_KINDS)
        )
