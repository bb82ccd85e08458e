"""The unit tree valid on a chosen day, and where every unit of any version lands in it.

A figure stays attributed to the unit (version) that reported it. To show it under the tree of
day D, each unit is *placed* on its representative on D (primary successions, as
`tinhso.units.succession.representative_on` follows them) or, when it has none (an old district),
on the place of its parent. The *sources* of a unit T of day D are the units, of any version,
whose whole subtree lands inside T and whose parent's does not: summing their roll-ups gives T's
figure without counting anything twice. Everything is loaded in two queries and kept per
(tree version, day), so a dashboard never asks the database about the tree row by row.
"""

import datetime
import uuid
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from threading import Lock

from django.core.cache import cache

from tinhso.units.models import Unit, UnitSuccession
from tinhso.units.succession import tree_version


@dataclass(frozen=True, slots=True)
class UnitInfo:
    id: int
    parent_id: int | None
    code: str
    name: str
    level: str
    path: str
    valid_from: datetime.date
    valid_to: datetime.date | None

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    def existed_between(self, first: datetime.date, last: datetime.date) -> bool:
        return self.valid_from <= last and (self.valid_to is None or self.valid_to >= first)

    @property
    def lineage(self) -> tuple[int, ...]:
        """Ids from the root down to this unit, read from the materialised path."""
        return tuple(int(part) for part in self.path.strip("/").split("/") if part)


class Structure:
    def __init__(self, day: datetime.date, units: list[UnitInfo], links: list[tuple[int, int, bool]]):
        self.day = day
        self.units = {unit.id: unit for unit in units}
        self._successors: dict[int, list[int]] = defaultdict(list)
        self._predecessors: dict[int, list[int]] = defaultdict(list)
        for predecessor, successor, _primary in links:  # links come sorted: primary first, then by id
            self._successors[predecessor].append(successor)
            self._predecessors[successor].append(predecessor)
        self._placed: dict[int, int | None] = {}
        self.children: dict[int | None, list[int]] = defaultdict(list)
        for unit in sorted(units, key=lambda each: (each.code, each.name)):
            if unit.is_valid_on(day):
                self.children[unit.parent_id].append(unit.id)
        self.sources: dict[int, list[int]] = self._index_sources()
        self._within: dict[tuple, list[int]] = {}
        self._lock = Lock()

    def representative(self, unit_id: int) -> int | None:
        """The unit valid on the day that stands for `unit_id` (None if the chain ends)."""
        seen: set[int] = set()
        current: int | None = unit_id
        while current is not None and current not in seen:
            unit = self.units[current]
            if unit.is_valid_on(self.day):
                return current
            seen.add(current)
            later = unit.valid_to is not None and self.day > unit.valid_to
            following = self._successors[current] if later else self._predecessors[current]
            current = following[0] if following else None
        return None

    def placed(self, unit_id: int) -> int | None:
        if unit_id not in self._placed:
            representative = self.representative(unit_id)
            parent = self.units[unit_id].parent_id
            if representative is None and parent is not None:
                representative = self.placed(parent)
            self._placed[unit_id] = representative
        return self._placed[unit_id]

    def _index_sources(self) -> dict[int, list[int]]:
        sources: dict[int, list[int]] = defaultdict(list)
        for unit in sorted(self.units.values(), key=lambda each: len(each.path)):
            place = self.placed(unit.id)
            if place is None:
                continue
            above = self.placed(unit.parent_id) if unit.parent_id is not None else None
            above_lineage = set(self.units[above].lineage) if above is not None else set()
            for target in self.units[place].lineage:
                if target not in above_lineage:
                    sources[target].append(unit.id)
        return dict(sources)

    def sources_of(self, unit_id: int) -> list[int]:
        return self.sources.get(unit_id, [])

    def children_of(self, unit_id: int) -> list[UnitInfo]:
        return [self.units[child] for child in self.children.get(unit_id, [])]

    def units_within(self, unit_id: int, level: str, day: datetime.date) -> list[int]:
        """Units of `level` valid on `day` that lie inside `unit_id` as placed in this structure."""
        key = (unit_id, level, day)
        if key not in self._within:
            sources = set(self.sources_of(unit_id))
            found = [
                unit.id
                for unit in self.units.values()
                if unit.level == level and unit.is_valid_on(day) and sources.intersection(unit.lineage)
            ]
            with self._lock:
                self._within[key] = found
        return self._within[key]

    def ancestors(self, unit_id: int) -> list[UnitInfo]:
        return [self.units[each] for each in self.units[unit_id].lineage[:-1] if each in self.units]


_built: "OrderedDict[tuple[str, int, datetime.date], Structure]" = OrderedDict()
_built_lock = Lock()
KEPT = 6


def _cache_generation() -> str:
    """Changes when the shared cache is emptied, which also restarts the tree version count."""
    return cache.get_or_set("plans:structure-generation", uuid.uuid4().hex, None) or ""


def structure_on(day: datetime.date) -> Structure:
    """The structure of `day`, built once per tree version and kept in this process."""
    key = (_cache_generation(), tree_version(), day)
    with _built_lock:
        if key in _built:
            _built.move_to_end(key)
            return _built[key]
    built = _build(day)
    with _built_lock:
        _built[key] = built
        while len(_built) > KEPT:
            _built.popitem(last=False)
    return built


def forget_structures() -> None:
    with _built_lock:
        _built.clear()


def _build(day: datetime.date) -> Structure:
    fields = ("id", "parent_id", "code", "name", "level", "path", "valid_from", "valid_to")
    units = [UnitInfo(*row) for row in Unit.objects.order_by().values_list(*fields)]
    links = list(
        UnitSuccession.objects.order_by("-is_primary", "pk").values_list("predecessor_id", "successor_id", "is_primary")
    )
    return Structure(day, units, links)
