"""The national lists of both structures, imported for Yên Bái: idempotent, three tiers until 30/6/2025,
two from 1/7/2025, and every old commune continued by exactly one primary successor."""

import datetime

import pytest
from django.db.models import Count, Q

from tinhso.core.context import acting_as
from tinhso.units.importers import national
from tinhso.units.models import Unit, UnitSuccession
from tinhso.units.snapshot import snapshot_on

START = datetime.date(2020, 1, 1)


@pytest.fixture
def yen_bai(db):
    with acting_as(None, source="test"):
        before = national.import_before_reform(["15"], valid_from=START)
        after = national.import_after_reform(["15"])
    return before, after


def test_three_tiers_until_the_day_before_the_reform_and_two_from_it(yen_bai):
    before, _after = yen_bai
    old = snapshot_on(datetime.date(2024, 1, 1))
    assert {unit.level for unit in old.current()} == {"province", "district", "commune"}
    assert old.by_code("15").name == "Tỉnh Yên Bái"
    assert old.by_code("04441").name == "Xã Xuân Ái"
    assert not Unit.objects.filter(valid_from=START).exclude(valid_to=national.REFORM_DAY - national.DAY).exists()
    assert before.created == Unit.objects.filter(valid_from=START).count()
    new = snapshot_on(national.REFORM_DAY)
    assert {unit.level for unit in new.current()} == {"province", "commune"}
    assert new.by_code("15").name == "Tỉnh Lào Cai"
    assert all(unit.parent_id == new.by_code("15").id for unit in new.current("commune"))


def test_importing_again_creates_nothing_and_links_nothing_twice(yen_bai):
    before, after = yen_bai
    units, links = Unit.objects.count(), UnitSuccession.objects.count()
    with acting_as(None, source="test"):
        again = national.import_before_reform(["15"], valid_from=START)
        again_after = national.import_after_reform(["15"])
    assert (again.created, again.existing) == (0, before.created)
    assert again_after.created == 0
    assert (Unit.objects.count(), UnitSuccession.objects.count()) == (units, links)


def test_every_old_commune_continues_under_exactly_one_primary_successor(yen_bai):
    old_communes = Unit.objects.filter(level="commune", valid_to=national.REFORM_DAY - national.DAY)
    counted = old_communes.annotate(primary=Count("successor_links", filter=Q(successor_links__is_primary=True)))
    wrong = {unit.code: unit.primary for unit in counted if unit.primary != 1}
    assert not wrong, f"old communes without exactly one primary successor: {wrong}"


def test_every_old_commune_and_the_old_province_stand_in_the_new_structure(yen_bai):
    new = snapshot_on(national.REFORM_DAY)
    old_ids = Unit.objects.filter(level="commune", valid_to=national.REFORM_DAY - national.DAY).values_list(
        "pk", flat=True
    )
    assert all(new.representative(pk) is not None and new.representative(pk).level == "commune" for pk in old_ids)
    old = Unit.objects.get(code="15", valid_from=START)
    assert [unit.name for unit in old.successors.all()] == ["Tỉnh Lào Cai"]


def test_an_unknown_type_word_is_a_clear_error():
    with pytest.raises(ValueError, match="Vương quốc"):
        national._split_type("Vương quốc Xuân Ái")


@pytest.mark.parametrize(
    "full, expected",
    [
        ("Xã Xuân Ái", ("xa", "Xuân Ái")),
        ("Thị trấn Mậu A", ("thi_tran", "Mậu A")),
        ("Phường Yên Ninh", ("phuong", "Yên Ninh")),
    ],
)
def test_the_type_word_is_split_from_the_name(full, expected):
    assert national._split_type(full) == expected
