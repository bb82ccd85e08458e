"""What a commune configures: its pronunciation dictionary and its broadcasting order (Circular 39)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from .. import services
from ..choices import BulletinLevel, BulletinStatus
from ..forms import CommunePolicyForm, PronunciationForm
from ..models import Bulletin, CommuneRadioPolicy, PronunciationEntry


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


class PronunciationListView(LoginRequiredMixin, FormView):
    """The dictionary and, on the same page, a form to add a word."""

    template_name = "radio/pronunciation_list.html"
    form_class = PronunciationForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("radio.view_pronunciationentry"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        entries = PronunciationEntry.objects.restrict(self.request.user).select_related("unit")
        return {**super().get_context_data(**kwargs), "entries": entries, "title": _("Pronunciation dictionary")}

    def form_valid(self, form):
        try:
            services.save_pronunciation(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The word was added to the dictionary."))
        return redirect("radio:pronunciation_list")


class PronunciationDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        entry = get_object_or_404(PronunciationEntry.objects.restrict(request.user, "delete"), pk=pk)
        services.delete_pronunciation(entry, actor=request.user)
        messages.success(request, _("The word was removed from the dictionary."))
        return redirect("radio:pronunciation_list")


class CommunePolicyView(LoginRequiredMixin, FormView):
    """Circular 39: whether the commune's priority bulletins go before the province's, and their order."""

    template_name = "radio/commune_policy.html"
    form_class = CommunePolicyForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("radio.view_communeradiopolicy"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        user = self.request.user
        open_priority = Bulletin.objects.restrict(user, "change").filter(
            level=BulletinLevel.PRIORITY, status__in=(BulletinStatus.SCHEDULED, BulletinStatus.ON_AIR)
        )
        return {
            **super().get_context_data(**kwargs),
            "title": _("Broadcasting order"),
            "policies": CommuneRadioPolicy.objects.restrict(user).select_related("unit"),
            "priority_bulletins": open_priority.select_related("unit").order_by("position", "send_at"),
        }

    def form_valid(self, form):
        try:
            services.set_commune_policy(actor=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors_to_form(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The broadcasting order was saved."))
        return redirect("radio:commune_policy")


class BulletinPositionView(LoginRequiredMixin, View):
    def post(self, request, pk):
        bulletin = get_object_or_404(Bulletin.objects.restrict(request.user, "change"), pk=pk)
        try:
            position = int(request.POST.get("position", "0"))
            services.set_position(bulletin, actor=request.user, position=position)
        except (ValueError, ValidationError):
            messages.error(request, _("The order must be between 0 and 99."))
        return redirect("radio:commune_policy")
