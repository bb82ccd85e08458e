"""Properties of the unit-tree snapshot on any day, across both reforms, of generated trees.

A generated province (districts, communes, villages from 2020) goes through the 1/12/2024
arrangement (some communes absorbed by a neighbour, some split in two, their villages carried over
as new versions) and the 1/7/2025 reform (districts and the province end; communes merge into new
ones, some split between two; villages carried again). On any day from 2019 to 2027 the snapshot
must keep its promises.
"""

import datetime
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from tinhso.units.snapshot import UnitSnapshot, UnitVersion

START = datetime.date(2020, 1, 1)
ARRANGEMENT = datetime.date(2024, 12, 1)
REFORM = datetime.date(2025, 7, 1)
DAY = datetime.timedelta(days=1)


class TreeMaker:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.units: dict[int, UnitVersion] = {}
        self.links: list[tuple[int, int, bool]] = []

    def unit(self, parent, level, valid_from, valid_to=None) -> UnitVersion:
        pk = len(self.units) + 1
        path = f"{parent.path if parent else '/'}{pk}/"
        made = UnitVersion(
            pk, parent.id if parent else None, f"{level[0]}{pk}", f"{level} {pk}", level, path, valid_from, valid_to
        )
        self.units[pk] = made
        return made

    def end(self, unit: UnitVersion, last_day) -> UnitVersion:
        ended = UnitVersion(*[getattr(unit, name) for name in UnitVersion.__slots__][:-1], last_day)
        self.units[unit.id] = ended
        return ended

    def link(self, before, after, primary=True):
        self.links.append((before.id, after.id, primary))

    def carry(self, villages, new_parent, day):
        for village in villages:
            self.end(village, day - DAY)
            self.link(village, self.unit(new_parent, "village", day))

    def villages_of(self, commune, day):
        return [
            u for u in self.units.values() if u.parent_id == commune.id and u.level == "village" and u.is_valid_on(day)
        ]

    def build(self) -> UnitSnapshot:
        rng = self.rng
        province = self.unit(None, "province", START)
        communes = []
        for _ in range(rng.randint(1, 3)):
            district = self.unit(province, "district", START)
            for _ in range(rng.randint(1, 4)):
                commune = self.unit(district, "commune", START)
                communes.append(commune)
                for _ in range(rng.randint(0, 3)):
                    self.unit(commune, "village", START)
        self._arrangement(communes)
        self._reform(province)
        links = sorted(self.links, key=lambda link: not link[2])  # primary first, then by creation order
        return [(before, after) for before, after, _primary in links]

    def _arrangement(self, communes):
        rng, day = self.rng, ARRANGEMENT
        rng.shuffle(communes)
        absorbers = set()
        while len(communes) >= 2 and rng.random() < 0.6:
            gone, absorber = communes.pop(), communes[0]
            if gone.parent_id != absorber.parent_id:
                continue
            absorbers.add(absorber.id)
            villages = self.villages_of(gone, day - DAY)
            self.end(gone, day - DAY)
            self.link(gone, absorber)
            self.carry(villages, absorber, day)
        splittable = [commune for commune in communes if commune.id not in absorbers]
        if splittable and rng.random() < 0.5:
            split = splittable[-1]
            parent = self.units[split.parent_id]
            halves = [self.unit(parent, "commune", day), self.unit(parent, "commune", day)]
            villages = self.villages_of(split, day - DAY)
            self.end(split, day - DAY)
            self.link(split, halves[0])
            self.link(split, halves[1], primary=False)
            for index, village in enumerate(villages):
                self.carry([village], halves[index % 2], day)

    def _reform(self, province):
        rng, day, last = self.rng, REFORM, REFORM - DAY
        old = [u for u in self.units.values() if u.level == "commune" and u.is_valid_on(last)]
        new_province = self.unit(None, "province", day)
        self.link(province, new_province)
        for unit in list(self.units.values()):
            if unit.level in ("province", "district") and unit.is_valid_on(last) and unit.id != new_province.id:
                self.end(unit, last)
        rng.shuffle(old)
        while old:
            group = [old.pop() for _ in range(min(len(old), rng.randint(1, 3)))]
            new = self.unit(new_province, "commune", day)
            for commune in group:
                villages = self.villages_of(commune, last)
                self.end(commune, last)
                self.link(commune, new)
                self.carry(villages, new, day)
            if old and rng.random() < 0.3:  # a commune split between this new commune and the next one
                shared = old[-1]
                self.link(shared, new, primary=False)


@st.composite
def snapshots(draw):
    maker = TreeMaker(draw(st.integers(0, 10**6)))
    links = maker.build()
    day = draw(
        st.dates(datetime.date(2019, 6, 1), datetime.date(2027, 1, 1))
        | st.sampled_from([ARRANGEMENT - DAY, ARRANGEMENT, REFORM - DAY, REFORM])
    )
    return UnitSnapshot(day, list(maker.units.values()), links)


PROPERTIES = settings(max_examples=150, deadline=None)


@PROPERTIES
@given(snapshots())
def test_every_unit_valid_on_the_day_is_its_own_representative(snapshot):
    for unit in snapshot.units.values():
        if unit.is_valid_on(snapshot.day):
            assert snapshot.representative(unit.id) == unit
            assert snapshot.placed(unit.id) == unit


@PROPERTIES
@given(snapshots())
def test_every_versions_representative_is_valid_on_the_day_or_none(snapshot):
    for unit_id in snapshot.units:
        for answer in (snapshot.representative(unit_id), snapshot.placed(unit_id)):
            assert answer is None or answer.is_valid_on(snapshot.day)
        representative = snapshot.representative(unit_id)
        if representative is not None:
            assert unit_id in snapshot.versions_of(representative.id)
            assert snapshot.placed(unit_id) == representative


@PROPERTIES
@given(snapshots())
def test_a_sum_over_the_sources_of_a_unit_never_counts_a_version_twice(snapshot):
    for target in snapshot.current():
        sources = set(snapshot.sources_of(target.id))
        for unit in snapshot.units.values():
            assert len(sources.intersection(unit.lineage)) <= 1, (target, unit)


@PROPERTIES
@given(snapshots())
def test_the_children_of_the_days_tree_are_exactly_the_valid_units(snapshot):
    valid = [unit for unit in snapshot.units.values() if unit.is_valid_on(snapshot.day)]
    listed = [child for parent in [None, *(u.id for u in valid)] for child in snapshot.children_of(parent)]
    assert sorted(unit.id for unit in listed) == sorted(unit.id for unit in valid)
    assert sorted(unit.id for unit in snapshot.current()) == sorted(unit.id for unit in valid)
    for unit in valid:
        assert all(child.parent_id == unit.id for child in snapshot.children_of(unit.id))
        assert snapshot.by_code(unit.code) == unit


@PROPERTIES
@given(snapshots())
def test_each_version_stands_inside_exactly_one_root_of_the_day(snapshot):
    roots = snapshot.children_of(None)
    for unit_id, unit in snapshot.units.items():
        holding = [root for root in roots if unit_id in snapshot.ids_within(root.id)]
        assert len(holding) == (0 if snapshot.representative(unit_id) is None else 1), unit
