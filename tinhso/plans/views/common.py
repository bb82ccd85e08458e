"""Where a page stands: the unit of the chosen day's tree it is about, within the user's scope."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.views import View

from tinhso.accounts.access import home_unit, unit_scope
from tinhso.units.snapshot import UnitSnapshot, UnitVersion, snapshot_on

from .. import periods

DASHBOARD_PERMISSION = "plans.view_indicator"


class Place:
    """The unit a page shows, the day whose tree it uses, and whether the day had to move."""

    def __init__(self, structure: UnitSnapshot, unit: UnitVersion, moved: bool = False):
        self.structure, self.unit, self.moved = structure, unit, moved
        self.plan = None  # set when the page follows a plan to the area it was issued for

    def follow_plan(self, plan) -> bool:
        """Targets of a plan are assessed on the area of the unit that issued it: when the unit shown
        only stands for that unit after a reorganisation, show the plan's unit as it stood instead."""
        if plan is None or plan.unit.is_valid_on(self.day) or self.structure.representative(plan.unit_id) != self.unit:
            return False
        day = min(plan.end_date, plan.unit.last_valid_day)
        self.structure = snapshot_on(day)
        self.unit, self.moved, self.plan = self.structure.units[plan.unit_id], True, plan
        return True

    @property
    def day(self) -> datetime.date:
        return self.structure.day


def place_for(request, unit_id: int | None) -> Place:
    user = request.user
    if not user.has_perm(DASHBOARD_PERMISSION):
        raise PermissionDenied(_("You have no role that shows plans and indicators."))
    scope = unit_scope(user, DASHBOARD_PERMISSION)
    structure = snapshot_on(request.as_of)
    if unit_id is not None:
        unit = structure.units.get(unit_id)
        if unit is None or not scope.covers(unit.path):
            raise Http404(_("No such unit in your scope."))
        if not unit.is_valid_on(structure.day):
            return Place(snapshot_on(unit.valid_to or structure.day), unit, moved=True)
        return Place(structure, unit)
    return _home(user, structure)


def _home(user, structure: UnitSnapshot) -> Place:
    """The user's home unit (accounts' one rule) as it stands on the day, or as it last stood."""
    unit = home_unit(user, DASHBOARD_PERMISSION, structure.day)
    if unit is None:
        raise Http404(_("No unit in your scope."))
    if unit.is_valid_on(structure.day) and unit.pk in structure.units:
        return Place(structure, structure.units[unit.pk])
    moved = snapshot_on(unit.last_valid_day)
    return Place(moved, moved.units[unit.pk], moved=True)


def chosen_period(request, default=None):
    code = request.GET.get("period", "").strip()
    if not code:
        return default
    try:
        return periods.parse(code)
    except ValidationError:
        return default


def breadcrumb(place: Place, user) -> list[tuple[UnitVersion, bool]]:
    scope = unit_scope(user, DASHBOARD_PERMISSION)
    chain = [*place.structure.ancestors(place.unit.id), place.unit]
    return [(unit, scope.covers(unit.path)) for unit in chain]


class CancelMixin:
    """Forms link "Cancel" somewhere sensible even when the browser sent no Referer."""

    cancel_url_name = "plans:dashboard"

    def get_context_data(self, **kwargs):
        from django.urls import reverse

        context = super().get_context_data(**kwargs)
        context.setdefault("cancel_url", self.request.META.get("HTTP_REFERER") or reverse(self.cancel_url_name))
        return context


class PermissionSomewhereMixin(View):
    """A form page only for people who may do its action on some unit (else 403 before any form is shown);
    the service then checks the unit chosen."""

    needed_permission = ""

    def dispatch(self, request, *args, **kwargs):
        permission = self.get_needed_permission()
        if request.user.is_authenticated and permission and not request.user.has_perm(permission):
            raise PermissionDenied(_("You have no role that allows this."))
        return super().dispatch(request, *args, **kwargs)

    def get_needed_permission(self) -> str:
        return self.needed_permission
