"""The administrative tree of one day, and where each unit version of any other day stands in it.

Teams, members and activities stay attached to the unit version they were recorded on (a
fact). To count or rank them under the structure the user is looking at, every version is
mapped to the unit that stands for it on that day by following succession links (primary
links first), the same rule as `tinhso.units.succession.representative_on` but for all units
at once: two queries, cached until the tree changes.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache

from tinhso.units.models import Unit, UnitSuccession
from tinhso.units.succession import tree_version


@dataclass(frozen=True)
class Place:
    id: int
    code: str
    name: str
    level: str
    path: str
    valid_from: datetime.date
    valid_to: datetime.date | None

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")[:-1]]

    @property
    def parent_id(self) -> int | None:
        ids = self.ancestor_ids
        return ids[-1] if ids else None


class Structure:
    def __init__(self, day: datetime.date, places: dict[int, Place], stand_in: dict[int, int]):
        self.day, self.places, self._stand_in = day, places, stand_in

    def stand_in(self, unit_id: int) -> Place | None:
        """The unit that stands for `unit_id` on the day (itself when valid then)."""
        target = self._stand_in.get(unit_id)
        return self.places[target] if target is not None else None

    def ancestor(self, place: Place, level: str) -> Place | None:
        if place.level == level:
            return place
        for ancestor_id in place.ancestor_ids:
            ancestor = self.places.get(ancestor_id)
            if ancestor is not None and ancestor.level == level:
                return ancestor
        return None

    def by_code(self, code: str) -> Place | None:
        code = code.strip()
        return next((p for p in self.current() if p.code == code), None)

    def current(self, level: str | None = None, under: Place | None = None) -> list[Place]:
        """Units valid on the day, optionally of one level and below one unit, in tree order."""
        found = [
            place
            for place in self.places.values()
            if place.is_valid_on(self.day)
            and (level is None or place.level == level)
            and (under is None or (place.path.startswith(under.path) and place.id != under.id))
        ]
        return sorted(found, key=lambda place: (place.code, place.path))

    def children(self, place: Place | None) -> list[Place]:
        if place is None:
            return [p for p in self.current() if p.parent_id is None]
        return [p for p in self.current(under=place) if p.parent_id == place.id]

    def versions_of(self, place_id: int) -> set[int]:
        """Ids of every unit version, of any day, that stands for `place_id` on the day."""
        return {unit_id for unit_id, target in self._stand_in.items() if target == place_id}

    def ids_within(self, ancestor: Place) -> set[int]:
        """Ids of every unit version, of any day, that stands on the day inside `ancestor`'s subtree."""
        inside = {place.id for place in self.current(under=ancestor)} | {ancestor.id}
        return {unit_id for unit_id, target in self._stand_in.items() if target in inside}


def structure_on(day: datetime.date) -> Structure:
    key = f"teams:structure:{tree_version()}:{day.isoformat()}"
    structure = cache.get(key)
    if structure is None:
        structure = _build(day)
        cache.set(key, structure, 60 * 60)
    return structure


def _build(day: datetime.date) -> Structure:
    fields = ("id", "code", "name", "level", "path", "valid_from", "valid_to")
    places = {row[0]: Place(*row) for row in Unit.objects.values_list(*fields)}
    forward, backward = defaultdict(list), defaultdict(list)
    links = UnitSuccession.objects.order_by("-is_primary", "pk").values_list("predecessor_id", "successor_id")
    for predecessor, successor in links:
        forward[predecessor].append(successor)
        backward[successor].append(predecessor)
    stand_in = {}
    for unit_id in places:
        target = _follow(unit_id, day, places, forward, backward)
        if target is not None:
            stand_in[unit_id] = target
    return Structure(day, places, stand_in)


def _follow(unit_id, day, places, forward, backward) -> int | None:
    seen: set[int] = set()
    current: int | None = unit_id
    while current is not None and current not in seen:
        place = places[current]
        if place.is_valid_on(day):
            return current
        seen.add(current)
        links = forward[current] if place.valid_to is not None and day > place.valid_to else backward[current]
        current = links[0] if links else None
    return None
