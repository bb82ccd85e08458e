"""The snapshot on the demo province answers what the two former structure modules answered.

`tinhso/plans/structure.py` and `tinhso/teams/structure.py` were compared with the snapshot unit by
unit on these days (representatives, places, sources, children, units within, versions, codes,
ancestors; all equal) before they were deleted; the table below is what they answered, by count and
by a digest of every unit's answer keyed by code and first day (ids change between databases).
"""

import datetime
import hashlib
import io

import pytest
from django.core.management import call_command

from tinhso.units.snapshot import snapshot_on

# day: (provinces, districts, communes, villages valid; versions with no representative;
#       digest of representatives, of places, of sources)
EXPECTED = {
    "2024-06-30": (2, 18, 324, 1356, 0, "d988cb5c0955", "d988cb5c0955", "fbf68826e49c"),
    "2024-11-30": (2, 18, 324, 1356, 0, "d988cb5c0955", "d988cb5c0955", "fbf68826e49c"),
    "2024-12-01": (2, 18, 319, 1356, 0, "8b138c210c42", "8b138c210c42", "ba871a829c30"),
    "2025-06-30": (2, 18, 319, 1356, 0, "8b138c210c42", "8b138c210c42", "ba871a829c30"),
    "2025-07-01": (1, 0, 99, 1356, 18, "6532a3d62e34", "66606b32e825", "251b272b23b0"),
    "2026-01-01": (1, 0, 99, 1356, 18, "6532a3d62e34", "66606b32e825", "251b272b23b0"),
}


def key(snapshot, unit):
    if unit is None:
        return None
    unit = snapshot.units[unit] if isinstance(unit, int) else unit
    return f"{unit.code}@{unit.valid_from.isoformat()}"


def digest(rows) -> str:
    return hashlib.sha1(repr(sorted(rows, key=repr)).encode()).hexdigest()[:12]


def table(day: datetime.date) -> tuple:
    snapshot = snapshot_on(day)
    units = list(snapshot.units)
    representatives = [(key(snapshot, each), key(snapshot, snapshot.representative(each))) for each in units]
    places = [(key(snapshot, each), key(snapshot, snapshot.placed(each))) for each in units]
    sources = [(key(snapshot, each), sorted(key(snapshot, s) for s in snapshot.sources_of(each))) for each in units]
    return (
        len(snapshot.current("province")),
        len(snapshot.current("district")),
        len(snapshot.current("commune")),
        len(snapshot.current("village")),
        sum(1 for _unit, representative in representatives if representative is None),
        digest(representatives),
        digest(places),
        digest(sources),
    )


@pytest.mark.django_db
def test_the_snapshot_answers_what_both_former_structures_answered_on_the_demo_province():
    call_command("seed_demo", "--only", "units", stdout=io.StringIO())
    assert {day: table(datetime.date.fromisoformat(day)) for day in EXPECTED} == EXPECTED
