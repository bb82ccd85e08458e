"""Pieces shared by the pages of the teams module."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from tinhso.units.snapshot import UnitVersion, snapshot_on

from ..models import Team


class PermissionRequiredMixin:
    """The page needs `required_permission` somewhere in the user's units (objects are checked again)."""

    required_permission = ""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and self.required_permission and not user.has_perm(self.required_permission):
            raise PermissionDenied(_("You do not have permission to do this for this administrative unit."))
        return super().dispatch(request, *args, **kwargs)


class StructureMixin:
    """The administrative structure of the user's structure date."""

    @property
    def structure(self):
        if not hasattr(self, "_structure"):
            self._structure = snapshot_on(self.request.as_of)
        return self._structure


class TeamScopedMixin(StructureMixin):
    """Pages about one team: it must be within the user's units for `team_permission`, or it is a 404."""

    team_permission = "view"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            teams = Team.objects.select_related("unit").restrict(request.user, self.team_permission)
            self.team = get_object_or_404(teams, pk=kwargs["team_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            team=self.team, place_trail=place_trail(self.structure, self.structure.representative(self.team.unit_id))
        )
        context.setdefault("cancel_url", self.team.get_absolute_url())
        return context


def place_trail(structure, place: UnitVersion | None) -> list[UnitVersion]:
    if place is None:
        return []
    return [structure.units[pk] for pk in place.ancestor_ids if pk in structure.units] + [place]
