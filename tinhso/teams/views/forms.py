"""Pages that change teams and members: each calls one service; its errors show on the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.core.files import XLSX, download_response
from tinhso.core.views import ServiceFormView
from tinhso.units.models import Unit

from .. import services
from ..forms import MemberEditForm, MemberForm, MemberImportForm, TeamCreateForm, TeamForm
from ..importers.members import template_workbook
from ..models import Member
from .common import PermissionRequiredMixin, TeamScopedMixin

PERSON_FIELDS = ("full_name", "phone", "gender", "ethnicity", "birth_year", "skills")


class TeamCreateView(PermissionRequiredMixin, ServiceFormView):
    form_class = TeamCreateForm
    title = gettext_lazy("Found a team")
    required_permission = "teams.add_team"

    def get_initial(self):
        return {"founded_on": self.request.as_of, "unit_code": self.request.GET.get("unit", "")}

    def perform(self, form):
        data = dict(form.cleaned_data)
        unit = self._unit(data.pop("unit_code"), data["founded_on"])
        team = services.create_team(actor=self.request.user, unit=unit, **data)
        messages.success(self.request, _("%(team)s was recorded.") % {"team": team})
        return team

    def _unit(self, code: str, day) -> Unit:
        unit = Unit.objects.restrict(self.request.user).valid_on(day).filter(code=code.strip()).first()
        if unit is None:
            raise ValidationError(
                {"unit_code": _("No commune or village with this code within your units on that day.")}
            )
        return unit


class TeamEditView(TeamScopedMixin, ServiceFormView):
    form_class = TeamForm
    title = gettext_lazy("Edit team")
    team_permission = "change"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.team}

    def perform(self, form):
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        team = services.update_team(self.team, actor=self.request.user, changes=changes)
        messages.success(self.request, _("Saved."))
        return team


class MemberAddView(TeamScopedMixin, ServiceFormView):
    form_class = MemberForm
    title = gettext_lazy("Add a member")

    def get_initial(self):
        return {"joined_on": self.request.as_of}

    def perform(self, form):
        data = form.cleaned_data
        member = services.add_member(
            actor=self.request.user,
            team=self.team,
            person_fields={name: data[name] for name in PERSON_FIELDS},
            role=data["role"],
            joined_on=data["joined_on"],
        )
        messages.success(self.request, _("%(person)s joined the team.") % {"person": member.person})
        return member


class MemberEditView(ServiceFormView):
    form_class = MemberEditForm
    title = gettext_lazy("Edit member")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            members = Member.objects.restrict(request.user, "change").select_related("person", "team")
            self.member = get_object_or_404(members, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        person = self.member.person
        return {
            **{name: getattr(person, name) for name in PERSON_FIELDS},
            **{name: getattr(self.member, name) for name in ("role", "joined_on", "left_on")},
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cancel_url": self.member.team.get_absolute_url()}

    @transaction.atomic
    def perform(self, form):
        changed = set(form.changed_data)
        person_changes = {name: form.cleaned_data[name] for name in PERSON_FIELDS if name in changed}
        member_changes = {name: form.cleaned_data[name] for name in ("role", "joined_on", "left_on") if name in changed}
        if person_changes:
            services.update_person(self.member.person, actor=self.request.user, changes=person_changes)
        services.update_member(self.member, actor=self.request.user, changes=member_changes)
        messages.success(self.request, _("Saved."))
        return self.member


class MemberImportView(PermissionRequiredMixin, ServiceFormView):
    form_class = MemberImportForm
    title = gettext_lazy("Import members from Excel or CSV")
    template_name = "teams/member_import.html"
    required_permission = "teams.import_member"

    def perform(self, form):
        return services.start_member_import(form.cleaned_data["file"], actor=self.request.user)

    def get_success_url(self, result=None):
        return reverse("core:job_detail", args=[result.pk])


@login_required
def member_import_template(request):
    return download_response(template_workbook(), "mau-nhap-thanh-vien-to-cds.xlsx", XLSX)
