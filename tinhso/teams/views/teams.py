from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy

from tinhso.core.views import ObjectDetailView, ObjectListView
from tinhso.scoring.models import Evaluation

from ..choices import MemberRole
from ..filtersets import TeamFilterSet
from ..models import Activity, Member, Team
from ..tables import TeamTable
from .common import StructureMixin, place_trail

ROLE_ORDER = [MemberRole.LEADER, MemberRole.DEPUTY, MemberRole.MEMBER]


def active_members(day):
    active = Q(members__joined_on__lte=day) & (Q(members__left_on__isnull=True) | Q(members__left_on__gte=day))
    return Count("members", filter=active)


class StructureDateFilterMixin(StructureMixin):
    """List filters read the structure date of the page (the date bar), not a field of their own."""

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "default_day": self.request.as_of}

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        filterset.form.fields.pop("as_of")
        return filterset


class TeamListView(StructureDateFilterMixin, ObjectListView):
    model = Team
    filterset_class = TeamFilterSet
    table_class = TeamTable
    title = gettext_lazy("Community DX teams")
    template_name = "teams/team_list.html"
    export_name = "to-cds-cong-dong"

    def get_queryset(self):
        return super().get_queryset().select_related("unit").annotate(member_count=active_members(self.request.as_of))

    def get_table_kwargs(self):
        return {"structure": self.structure}


class TeamDetailView(StructureMixin, ObjectDetailView):
    model = Team
    queryset = Team.objects.select_related("unit")
    template_name = "teams/team_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        team, user, day = self.object, self.request.user, self.request.as_of
        place = self.structure.representative(team.unit_id)
        activities = Activity.objects.filter(team=team).select_related("activity_type", "village")
        context.update(
            place=place,
            place_trail=place_trail(self.structure, place),
            members=sorted(
                Member.objects.filter(team=team).active_on(day).select_related("person"),
                key=lambda member: (ROLE_ORDER.index(member.role), member.person.search_name),
            ),
            recent_activities=activities[:10],
            year=str(day.year),
            year_totals=activities.filter(date__year=day.year).aggregate(
                count=Count("id"), people=Sum("people_reached"), households=Sum("households_reached")
            ),
            can_change=user.has_perm("teams.change_team", team),
            can_add_member=user.has_perm("teams.add_member", team),
            can_record=user.has_perm("teams.add_activity", team) and team.is_active_on(day),
            evaluations=Evaluation.objects.restrict(user)
            .filter(subject_type=ContentType.objects.get_for_model(Team), subject_id=team.pk)
            .order_by("-period"),
        )
        return context
