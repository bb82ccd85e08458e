from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.core.periods import PeriodChoiceField

from .choices import Priority, Quality


class WorkItemForm(forms.Form):
    title = forms.CharField(label=_("Work"), max_length=300)
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=None)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    product = forms.ModelChoiceField(label=_("Expected product"), queryset=None, required=False)
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, initial=1, max_digits=9, decimal_places=2)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    description = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Product, StaffMember

        self.fields["assignee"].queryset = StaffMember.objects.restrict(user).select_related("user")
        self.fields["product"].queryset = Product.objects.restrict(user)


class AcceptForm(forms.Form):
    quality = forms.ChoiceField(label=_("Quality"), choices=Quality.choices)


class AppealForm(forms.Form):
    period = PeriodChoiceField(label=_("Period appealed"), kinds=("month", "quarter", "year"))
    reason = forms.CharField(
        label=_("Reason for the appeal"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


class AppealDecisionForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    grade = forms.ChoiceField(label=_("Grade after re-evaluation (year)"), required=False, choices=())

    def __init__(self, *args, grades=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [("", "—"), *[(g["code"], g["label"]) for g in grades]]
