"""One rule for "which unit stands for this one on day D": the snapshot (every unit at once) and
`representative_on` (one unit, row by row) give the same answer; the snapshot follows tree changes."""

import datetime
from pathlib import Path

import pytest

from tinhso.core.context import acting_as
from tinhso.units.models import Unit
from tinhso.units.snapshot import snapshot_on
from tinhso.units.succession import representative_on
from tinhso.units.testing import make_unit

FOLLOWING_LINKS = ("UnitSuccession.objects", "successor_links", "predecessor_links", "def structure_on")
DAYS = [
    datetime.date(2019, 6, 1),
    datetime.date(2024, 11, 30),
    datetime.date(2024, 12, 1),
    datetime.date(2025, 6, 30),
    datetime.date(2025, 7, 1),
    datetime.date(2026, 3, 1),
]


@pytest.mark.parametrize("day", DAYS)
def test_representative_on_and_the_snapshot_agree_for_every_unit(tree, day):
    snapshot = snapshot_on(day)
    for unit in Unit.objects.all():
        one = representative_on(unit, day)
        assert (one.pk if one else None) == (found.id if (found := snapshot.representative(unit.pk)) else None)


def test_the_snapshot_is_kept_until_the_tree_changes(tree):
    day = datetime.date(2026, 3, 1)
    first = snapshot_on(day)
    assert snapshot_on(day) is first
    with acting_as(None, source="test"):
        village = make_unit(
            tree.new_khanh_hoa, "04300-09", "Khuổi Phường", "thon", valid_from=datetime.date(2025, 7, 1)
        )
    again = snapshot_on(day)
    assert again is not first
    assert [unit.id for unit in again.children_of(tree.new_khanh_hoa.pk)][-1] == village.pk
    assert again.ancestor_at(village.pk, "province") == again.units[tree.lao_cai.pk]


def test_an_old_district_has_no_representative_after_the_reform_but_is_placed_in_the_new_province(tree):
    snapshot = snapshot_on(datetime.date(2026, 3, 1))
    assert snapshot.representative(tree.van_yen.pk) is None
    assert snapshot.placed(tree.van_yen.pk).id == tree.lao_cai.pk
    assert set(snapshot.sources_of(tree.new_xuan_ai.pk)) == {tree.new_xuan_ai.pk, tree.xuan_ai.pk, tree.yen_hop.pk}


def test_no_module_outside_units_follows_succession_links_by_itself():
    """One answer to "where does this unit stand on day D": the snapshot (a second one is a bug)."""
    root = Path(__file__).resolve().parents[3]
    offenders = [
        str(path.relative_to(root))
        for path in sorted((root / "tinhso").rglob("*.py"))
        if not {"units", "tests", "demo", "migrations"} & set(path.parts)
        and any(word in path.read_text(encoding="utf-8") for word in FOLLOWING_LINKS)
    ]
    assert offenders == []
