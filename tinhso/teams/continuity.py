"""Teams follow their unit's end and successor, the way units do.

A team stays on the unit version it was founded for (a fact). When that unit ends on day E, the
unit that stands for it from E+1 (`UnitSnapshot.representative`, the succession rule) is where the
team now serves. One place has one team (guide 793/BTTTT), so among the teams of one level that stand
for the same place from E+1, one carries on and the others end on E, with their memberships:
1. a team founded on the place itself (its unit is valid on E+1) carries on; else
2. the team of the place's primary predecessor (the unit that stands for the place on E); else
3. the team founded first.
A team whose unit has no successor ends with it. Only teams whose place ended on E are ever ended;
nothing is deleted and each change goes through the change log, so the history stays readable.
"""

import datetime
from collections import defaultdict

from django.core.cache import cache
from django.db import transaction

from tinhso.core.permissions import require
from tinhso.units.models import Unit
from tinhso.units.signals import units_succeeded
from tinhso.units.snapshot import snapshot_on
from tinhso.units.succession import tree_version

from .models import Team
from .services import end_memberships

DAY = datetime.timedelta(days=1)


def teams_ending_with_their_units() -> list[tuple[Team, datetime.date]]:
    """(team, last day) for every team that must end with its unit, in the order the days come.

    The days looked at are every day a unit ended, not only the ends of the teams' own units: a village
    team carried across the reform serves the new village version, and when that version ends the team
    must end with it too."""
    earliest = Team.objects.order_by("founded_on").values_list("founded_on", flat=True)
    if not earliest:
        return []
    days = Unit.objects.filter(valid_to__gte=earliest[0]).order_by("valid_to").values_list("valid_to", flat=True)
    ending: list[tuple[Team, datetime.date]] = []
    ended: set[int] = set()
    for last_day in sorted(set(days)):
        for team in _ending_on(last_day):
            if team.pk not in ended:
                ended.add(team.pk)
                ending.append((team, last_day))
    return ending


def _ending_on(last_day: datetime.date) -> list[Team]:
    before, after = snapshot_on(last_day), snapshot_on(last_day + DAY)
    active = Team.objects.active_on(last_day + DAY).select_related("unit").order_by("founded_on", "pk")
    groups: dict[tuple, list[Team]] = defaultdict(list)
    ending: list[Team] = []
    for team in active:
        standing = before.representative(team.unit_id)
        place = after.representative(team.unit_id)
        if place is None:
            if standing is not None and standing.valid_to == last_day:
                ending.append(team)
            continue
        groups[(place.id, team.level)].append(team)
    for (place_id, _level), together in groups.items():
        if len(together) < 2:
            continue
        keeper = _keeper(together, place_id, before)
        for team in together:
            standing = before.representative(team.unit_id)
            if team is not keeper and standing is not None and standing.valid_to == last_day:
                ending.append(team)
    return ending


def _keeper(teams: list[Team], place_id: int, before) -> Team:
    on_place = [team for team in teams if team.unit_id == place_id]
    if on_place:
        return on_place[0]
    predecessor = before.representative(place_id)
    if predecessor is not None:
        of_predecessor = [team for team in teams if before.representative(team.unit_id) == predecessor]
        if of_predecessor:
            return of_predecessor[0]
    return teams[0]  # founded first (the list is ordered by founding day)


@transaction.atomic
def follow_unit_ends(*, actor=None) -> int:
    """End every team whose unit ended and whose place is already served by another team (or gone).

    Returns how many teams were ended. `actor=None` is the platform (after a reorganisation, a seed);
    the change log records whoever the surrounding action is attributed to (`acting_as`)."""
    ending = teams_ending_with_their_units()
    for team, _last_day in ending:
        require(actor, "teams.change_team", team)
    for team, last_day in ending:
        team.ended_on = last_day
        team.full_clean(exclude=["search_name", "level"])
        team.save(update_fields=["ended_on", "updated_at"])
        end_memberships(team, last_day)
    return len(ending)


FOLLOWED_KEY = "teams:followed-tree-version"


def _after_tree_change(sender, **kwargs) -> None:
    """A reorganisation was recorded (units' `units_succeeded`): once it commits, let teams follow."""
    transaction.on_commit(_follow_once_per_tree_version)


def _follow_once_per_tree_version() -> None:
    version = tree_version()
    if cache.get(FOLLOWED_KEY) == version:
        return
    follow_unit_ends()
    cache.set(FOLLOWED_KEY, version, None)


def connect() -> None:
    units_succeeded.connect(_after_tree_change, dispatch_uid="teams-follow-unit-ends")
