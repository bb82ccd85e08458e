"""Coverage of the territory by teams, for the dashboard: how many communes and villages have an
active team, how many people serve, what was done lately — under the structure of any day.

A fixed handful of queries whatever the size of the province: teams, members and recent
activities are loaded once as plain tuples and grouped in Python by the structure mapping.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from tinhso.accounts.access import unit_scope
from tinhso.units.choices import UnitLevel
from tinhso.units.snapshot import UnitSnapshot, UnitVersion

from .models import Activity, Member, Team

RECENT_DAYS = 30


@dataclass
class CoverageRow:
    place: UnitVersion | None
    communes: int = 0
    communes_covered: int = 0
    villages: int = 0
    villages_covered: int = 0
    teams: int = 0
    people: set[int] = field(default_factory=set)
    activities: int = 0
    people_reached: int = 0
    team_ids: list[int] = field(default_factory=list)

    @property
    def members(self) -> int:
        return len(self.people)

    @property
    def is_complete(self) -> bool:
        return self.communes_covered == self.communes and self.villages_covered == self.villages

    def add(self, other: "CoverageRow") -> None:
        for name in (
            "communes",
            "communes_covered",
            "villages",
            "villages_covered",
            "teams",
            "activities",
            "people_reached",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.people |= other.people
        self.team_ids += other.team_ids


class Coverage:
    def __init__(self, user, structure: UnitSnapshot, root: UnitVersion | None):
        self.user, self.structure, self.root = user, structure, root
        self.scope = unit_scope(user, "teams.view_team")
        self.rows = {child.id: CoverageRow(child) for child in structure.children_of(root.id if root else None)}
        # Teams standing on the root itself (a commune's own team on the commune's page): in the total, as on
        # the row the root has one level up, though in no row of their own.
        self.own = CoverageRow(root)

    def compute(self) -> tuple[CoverageRow, list[CoverageRow]]:
        covered = self._count_teams()
        self._count_units(covered)
        self._count_members()
        self._count_activities()
        rows = [row for row in self.rows.values() if row.communes or row.villages or row.teams]
        total = CoverageRow(self.root)
        for row in (*rows, self.own):
            total.add(row)
        return total, rows

    def _row_of(self, place: UnitVersion) -> CoverageRow | None:
        for candidate in (place.id, *reversed(place.ancestor_ids)):
            if candidate in self.rows:
                return self.rows[candidate]
        return self.own if self.root is not None and place.id == self.root.id else None

    def _count_units(self, covered: set[int]) -> None:
        for place in self.structure.current(under=self.root.id if self.root else None):
            if place.level not in (UnitLevel.COMMUNE, UnitLevel.VILLAGE) or not self.scope.covers(place.path):
                continue
            row = self._row_of(place)
            if row is None:
                continue
            prefix = "communes" if place.level == UnitLevel.COMMUNE else "villages"
            setattr(row, prefix, getattr(row, prefix) + 1)
            if place.id in covered:
                setattr(row, f"{prefix}_covered", getattr(row, f"{prefix}_covered") + 1)

    def _count_teams(self) -> set[int]:
        covered, self.team_rows = set(), {}
        teams = Team.objects.restrict(self.user).active_on(self.structure.day)
        for team_id, unit_id in teams.values_list("id", "unit_id"):
            place = self.structure.representative(unit_id)
            row = self._row_of(place) if place is not None else None
            if row is not None:
                covered.add(place.id)
                row.teams += 1
                row.team_ids.append(team_id)
                self.team_rows[team_id] = row
        return covered

    def _count_members(self) -> None:
        members = Member.objects.restrict(self.user).active_on(self.structure.day)
        for team_id, person_id in members.values_list("team_id", "person_id"):
            row = self.team_rows.get(team_id)
            if row is not None:
                row.people.add(person_id)

    def _count_activities(self) -> None:
        since = self.structure.day - datetime.timedelta(days=RECENT_DAYS - 1)
        recent = Activity.objects.restrict(self.user).filter(date__range=(since, self.structure.day))
        totals = recent.values("team_id").annotate(count=Count("id"), people=Sum("people_reached"))
        for entry in totals:
            row = self.team_rows.get(entry["team_id"])
            if row is not None:
                row.activities += entry["count"]
                row.people_reached += entry["people"] or 0


def default_root(user, structure: UnitSnapshot) -> UnitVersion | None:
    """The one province whose teams the user sees on that day, or None to list several."""
    scope = unit_scope(user, "teams.view_team")
    with_teams = set()
    for unit_id in Team.objects.restrict(user).active_on(structure.day).values_list("unit_id", flat=True).distinct():
        place = structure.representative(unit_id)
        province = structure.ancestor_at(place.id, UnitLevel.PROVINCE) if place else None
        if province is not None:
            with_teams.add(province)
    if len(with_teams) == 1:
        return with_teams.pop()
    covered = [place for place in structure.children_of(None) if scope.covers(place.path)]
    return covered[0] if not with_teams and len(covered) == 1 else None
