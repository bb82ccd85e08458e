"""The unit tree on a day, and where every unit version of any day stands in it.

Figures, teams, plans and bulletins stay attached to the unit version they were recorded on (a
fact). To show them under the tree of day D, each version has
- a *representative* on D: itself when valid on D, else the unit reached by following succession
  links (primary first, then the oldest link) forward when D is after it ended, backward when D is
  before it began — the rule of `tinhso.units.succession.follow`, shared with `representative_on`;
- a *place* on D: its representative or, when it has none (an old district), the place of its parent.
The *sources* of a unit T of day D are the versions whose whole subtree lands inside T and whose
parent's does not: summing their roll-ups gives T's figure without counting anything twice.

`snapshot_on(day)` loads every unit and succession link in two queries and keeps the result in this
process, keyed by (cache generation, tree version, day) and bounded, so a page never asks the
database about the tree row by row. Any change of a unit or a link bumps the tree version.

Vocabulary: methods take unit ids and answer `UnitVersion`s (or sets/lists of ids when the name
says ids, versions or sources).
"""

import datetime
import uuid
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from threading import Lock

from django.core.cache import cache

from .models import Unit, UnitSuccession
from .succession import follow, tree_version


@dataclass(frozen=True, slots=True)
class UnitVersion:
    """One version of a unit, as a plain value (what a snapshot holds)."""

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
        """Ids from the root down to this unit (itself included), read from the materialised path."""
        return tuple(int(part) for part in self.path.strip("/").split("/") if part)

    @property
    def ancestor_ids(self) -> tuple[int, ...]:
        """Ids from the root down to this unit's parent."""
        return self.lineage[:-1]


class UnitSnapshot:
    """The tree valid on `day`, over every unit version of any day."""

    def __init__(self, day: datetime.date, units: list[UnitVersion], links: list[tuple[int, int]]):
        self.day = day
        self.units: dict[int, UnitVersion] = {unit.id: unit for unit in units}
        self._successors: dict[int, list[int]] = defaultdict(list)
        self._predecessors: dict[int, list[int]] = defaultdict(list)
        for predecessor, successor in links:  # sorted: primary first, then by link id
            self._successors[predecessor].append(successor)
            self._predecessors[successor].append(predecessor)
        self.valid: list[UnitVersion] = sorted(
            (unit for unit in units if unit.is_valid_on(day)), key=lambda unit: (unit.code, unit.path)
        )
        self._children: dict[int | None, list[UnitVersion]] = defaultdict(list)
        self._by_code: dict[str, UnitVersion] = {}
        for unit in self.valid:
            self._children[unit.parent_id].append(unit)
            self._by_code.setdefault(unit.code, unit)
        self._representative: dict[int, int | None] = {}
        self._placed: dict[int, int | None] = {}
        self._sources: dict[int, list[int]] | None = None
        self._standing: dict[int, set[int]] | None = None
        self._within: dict[tuple, list[int]] = {}
        self._lock = Lock()

    # Where a version stands ------------------------------------------------------------------------

    def _representative_id(self, unit_id: int) -> int | None:
        if unit_id not in self.units:
            return None
        if unit_id not in self._representative:
            self._representative[unit_id] = follow(
                unit_id, self.day, self.units.__getitem__, self._successors.get, self._predecessors.get
            )
        return self._representative[unit_id]

    def representative(self, unit_id: int) -> UnitVersion | None:
        """The unit valid on the day that stands for `unit_id` (itself when valid; None if the chain ends)."""
        found = self._representative_id(unit_id)
        return self.units[found] if found is not None else None

    def _placed_id(self, unit_id: int) -> int | None:
        if unit_id not in self.units:
            return None
        if unit_id not in self._placed:
            found = self._representative_id(unit_id)
            parent = self.units[unit_id].parent_id
            if found is None and parent is not None:
                found = self._placed_id(parent)
            self._placed[unit_id] = found
        return self._placed[unit_id]

    def placed(self, unit_id: int) -> UnitVersion | None:
        """Its representative, or when it has none (an old district) the place of its parent."""
        found = self._placed_id(unit_id)
        return self.units[found] if found is not None else None

    def versions_of(self, unit_id: int) -> set[int]:
        """Ids of every version, of any day, whose representative on the day is `unit_id`."""
        if self._standing is None:
            standing: dict[int, set[int]] = defaultdict(set)
            for each in self.units:
                found = self._representative_id(each)
                if found is not None:
                    standing[found].add(each)
            self._standing = dict(standing)
        return set(self._standing.get(unit_id, ()))

    def ids_within(self, unit_id: int) -> set[int]:
        """Ids of every version, of any day, whose representative lies in `unit_id`'s subtree on the day."""
        inside = [unit_id, *(unit.id for unit in self.current(under=unit_id))]
        return set().union(*(self.versions_of(each) for each in inside))

    def sources_of(self, unit_id: int) -> list[int]:
        """Versions whose whole subtree lands inside `unit_id` and whose parent's does not."""
        if self._sources is None:
            with self._lock:
                if self._sources is None:
                    self._sources = self._index_sources()
        return self._sources.get(unit_id, [])

    def _index_sources(self) -> dict[int, list[int]]:
        sources: dict[int, list[int]] = defaultdict(list)
        for unit in sorted(self.units.values(), key=lambda each: len(each.path)):
            place = self._placed_id(unit.id)
            if place is None:
                continue
            above = self._placed_id(unit.parent_id) if unit.parent_id is not None else None
            above_lineage = set(self.units[above].lineage) if above is not None else set()
            for target in self.units[place].lineage:
                if target not in above_lineage:
                    sources[target].append(unit.id)
        return dict(sources)

    def valid_within(self, unit_id: int, level: str, day: datetime.date) -> list[int]:
        """Ids of the units of `level` valid on `day` that lie inside `unit_id` as placed on this snapshot."""
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

    # The tree of the day ---------------------------------------------------------------------------

    def children_of(self, unit_id: int | None) -> list[UnitVersion]:
        """Units valid on the day directly below `unit_id` (the roots for None), by code."""
        return list(self._children.get(unit_id, ()))

    def current(self, level: str | None = None, under: int | None = None) -> list[UnitVersion]:
        """Units valid on the day, optionally of one level and strictly below one unit, by code."""
        prefix = self.units[under].path if under is not None else None
        return [
            unit
            for unit in self.valid
            if (level is None or unit.level == level)
            and (prefix is None or (unit.path.startswith(prefix) and unit.id != under))
        ]

    def by_code(self, code: str) -> UnitVersion | None:
        """The unit valid on the day with this code."""
        return self._by_code.get(code.strip())

    def ancestors(self, unit_id: int) -> list[UnitVersion]:
        """The versions above `unit_id` on its own path, from the root down."""
        return [self.units[each] for each in self.units[unit_id].ancestor_ids if each in self.units]

    def ancestor_at(self, unit_id: int, level: str) -> UnitVersion | None:
        """`unit_id` itself when of `level`, else its highest ancestor of that level."""
        unit = self.units[unit_id]
        if unit.level == level:
            return unit
        return next((each for each in self.ancestors(unit_id) if each.level == level), None)


# The cache: per process, bounded, keyed by (cache generation, tree version, day) ----------------------

_built: "OrderedDict[tuple[str, int, datetime.date], UnitSnapshot]" = OrderedDict()
_built_lock = Lock()
KEPT = 8
GENERATION_KEY = "units:snapshot-generation"


def _cache_generation() -> str:
    """Changes when the shared cache is emptied, which also restarts the tree version count."""
    return cache.get_or_set(GENERATION_KEY, uuid.uuid4().hex, None) or ""


def snapshot_on(day: datetime.date) -> UnitSnapshot:
    """The snapshot of `day`, built once per tree version and kept in this process."""
    key = (_cache_generation(), tree_version(), day)
    with _built_lock:
        if key in _built:
            _built.move_to_end(key)
            return _built[key]
    built = build_snapshot(day)
    with _built_lock:
        _built[key] = built
        while len(_built) > KEPT:
            _built.popitem(last=False)
    return built


def forget_snapshots() -> None:
    with _built_lock:
        _built.clear()


def build_snapshot(day: datetime.date) -> UnitSnapshot:
    """Two queries: every unit version, every succession link (primary first, then by id)."""
    fields = ("id", "parent_id", "code", "name", "level", "path", "valid_from", "valid_to")
    units = [UnitVersion(*row) for row in Unit.objects.order_by().values_list(*fields)]
    links = list(UnitSuccession.objects.order_by("-is_primary", "pk").values_list("predecessor_id", "successor_id"))
    return UnitSnapshot(day, units, links)
