import uuid

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView

from tinhso.core.files import stored_file_response
from tinhso.core.text import fold, search_words
from tinhso.core.views import ObjectDetailView, ObjectListView, ServiceFormView
from tinhso.units.snapshot import snapshot_on

from .. import services
from ..filtersets import ActivityFilterSet
from ..forms import ActivityForm
from ..models import Activity, Evidence, Team
from ..tables import ActivityTable
from .common import PermissionRequiredMixin, TeamScopedMixin
from .teams import StructureDateFilterMixin


class ActivityListView(StructureDateFilterMixin, ObjectListView):
    model = Activity
    filterset_class = ActivityFilterSet
    table_class = ActivityTable
    title = gettext_lazy("Field activities")
    export_name = "hoat-dong-to-cds"
    template_name = "teams/object_list.html"

    def get_queryset(self):
        queryset = super().get_queryset().select_related("team", "activity_type", "village")
        return queryset.annotate(evidence_count=Count("evidence"))


class ActivityStartView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """Where a member starts recording: straight to the form when they record for one team only."""

    template_name = "teams/activity_start.html"
    required_permission = "teams.add_activity"
    context_object_name = "teams"
    paginate_by = 30

    def get_queryset(self):
        teams = Team.objects.active_on(self.request.as_of).select_related("unit")
        teams = teams.restrict(self.request.user, "teams.add_activity")
        query = search_words(self.request.GET.get("q"))
        return teams.filter(search_name__contains=fold(query)) if query else teams.order_by("level", "search_name")

    def get(self, request, *args, **kwargs):
        teams = self.get_queryset()
        if not request.GET.get("q") and len(teams[:2]) == 1:
            return redirect("teams:activity_add", team_pk=teams[0].pk)
        return super().get(request, *args, **kwargs)


class ActivityCreateView(TeamScopedMixin, ServiceFormView):
    """The phone form. With JavaScript it keeps a draft in the browser and sends through the API
    with an idempotency key; without, it posts here with the same key in a hidden field."""

    form_class = ActivityForm
    template_name = "teams/activity_form.html"
    title = gettext_lazy("Record an activity")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "villages": self._villages(), "team": self.team}

    def _villages(self) -> list[tuple[str, str]]:
        if self.team.level != "commune":
            return []
        home = self.structure.representative(self.team.unit_id)
        return [(place.code, place.name) for place in self.structure.current("village", under=home.id)] if home else []

    def get_initial(self):
        return {"date": self.request.as_of}

    def perform(self, form):
        data = dict(form.cleaned_data)
        village_code = data.pop("village", None)
        try:
            activity, created = services.record_activity(
                actor=self.request.user,
                team=self.team,
                files=data.pop("evidence"),
                idempotency_key=data.pop("idempotency_key"),
                village=services.find_village(village_code, data["date"]),
                **data,
            )
        except services.DuplicateSubmission as conflict:
            # Sending again after reading this message is deliberate: it gets a key of its own.
            form.data = form.data.copy()
            form.data["idempotency_key"] = str(uuid.uuid4())
            raise ValidationError(str(conflict)) from conflict
        note = _("The activity was recorded.") if created else _("This activity had already been recorded.")
        messages.success(self.request, note)
        return activity


class ActivityEditView(ServiceFormView):
    """Correct an activity (kind, date, place, numbers, text); its photos stay."""

    form_class = ActivityForm
    title = gettext_lazy("Correct an activity")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            activities = Activity.objects.restrict(request.user, "change").select_related("team", "village")
            self.activity = get_object_or_404(activities, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        team, structure = self.activity.team, snapshot_on(self.activity.date)
        home = structure.representative(team.unit_id)
        villages = structure.current("village", under=home.id) if team.level == "commune" and home else []
        return {
            **super().get_form_kwargs(),
            "villages": [(p.code, p.name) for p in villages],
            "correcting": True,
            "team": team,
        }

    def get_initial(self):
        activity = self.activity
        fields = ("date", "people_reached", "households_reached", "description")
        return {
            **{name: getattr(activity, name) for name in fields},
            "activity_type": activity.activity_type.code,
            "village": activity.village.code if activity.village else "",
        }

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cancel_url": self.activity.get_absolute_url()}

    def perform(self, form):
        data = dict(form.cleaned_data)
        data["village"] = services.find_village(data.pop("village", None), data["date"])
        changes = {name: value for name, value in data.items() if name in services.ACTIVITY_EDITABLE_FIELDS}
        activity = services.update_activity(self.activity, actor=self.request.user, changes=changes)
        messages.success(self.request, _("Saved."))
        return activity


class ActivityDetailView(ObjectDetailView):
    model = Activity
    queryset = Activity.objects.select_related("team", "activity_type", "village", "recorded_by")
    template_name = "teams/activity_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["evidence"] = self.object.evidence.all()
        context["can_delete"] = self.request.user.has_perm("teams.delete_activity", self.object)
        context["can_change"] = self.request.user.has_perm("teams.change_activity", self.object)
        return context


class ActivityDeleteView(LoginRequiredMixin, View):
    def post(self, request, pk):
        activity = get_object_or_404(Activity.objects.restrict(request.user, "delete"), pk=pk)
        team = activity.team
        try:
            services.delete_activity(activity, actor=request.user)
        except ValidationError as refused:  # a verified evaluation rests on it: say so on its page
            messages.error(request, " ".join(refused.messages))
            return redirect(activity.get_absolute_url())
        messages.success(request, _("The activity was deleted."))
        return redirect(team.get_absolute_url())


class EvidenceFileView(LoginRequiredMixin, View):
    """Evidence is served only to those who may see the activity (never from a public folder)."""

    def get(self, request, pk):
        evidence = get_object_or_404(Evidence.objects.restrict(request.user), pk=pk)
        return stored_file_response(
            evidence.file.name,
            content_type=evidence.content_type,
            download_name=evidence.original_name,
            inline=evidence.is_image or evidence.content_type == "application/pdf",
        )
