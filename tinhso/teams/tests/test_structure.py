"""Teams stay on the unit version they were founded on; the structure of any day maps them."""

import datetime

from tinhso.units.snapshot import snapshot_on

BEFORE = datetime.date(2024, 6, 1)
AFTER = datetime.date(2025, 9, 1)


def test_an_old_village_stands_for_itself_before_the_reform_and_for_its_new_version_after(tree):
    assert snapshot_on(BEFORE).representative(tree.khe_dua.pk).id == tree.khe_dua.pk
    assert snapshot_on(AFTER).representative(tree.khe_dua.pk).id == tree.new_khe_dua.pk


def test_a_new_unit_stands_for_its_primary_predecessor_before_the_reform(tree):
    assert snapshot_on(BEFORE).representative(tree.new_khe_dua.pk).id == tree.khe_dua.pk


def test_within_the_merged_commune_are_the_villages_of_both_former_communes(tree):
    structure = snapshot_on(AFTER)
    inside = structure.ids_within(structure.by_code("04441").id)
    assert {tree.khe_dua.pk, tree.na_hau.pk, tree.dong_tam.pk} <= inside
    assert tree.khuoi_vai.pk not in inside


def test_districts_exist_only_before_the_reform(tree):
    assert [p.code for p in snapshot_on(BEFORE).current("district")] == ["135", "136"]
    assert snapshot_on(AFTER).current("district") == []
    village = snapshot_on(BEFORE).representative(tree.khe_dua.pk)
    assert snapshot_on(BEFORE).ancestor_at(village.id, "district").name == "Huyện Văn Yên"
