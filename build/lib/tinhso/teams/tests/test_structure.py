"""Teams stay on the unit version they were founded on; the structure of any day maps them."""

import datetime

from tinhso.teams.structure import structure_on

BEFORE = datetime.date(2024, 6, 1)
AFTER = datetime.date(2025, 9, 1)


def test_an_old_village_stands_for_itself_before_the_reform_and_for_its_new_version_after(tree):
    assert structure_on(BEFORE).stand_in(tree.khe_dua.pk).id == tree.khe_dua.pk
    assert structure_on(AFTER).stand_in(tree.khe_dua.pk).id == tree.new_khe_dua.pk


def test_a_new_unit_stands_for_its_primary_predecessor_before_the_reform(tree):
    assert structure_on(BEFORE).stand_in(tree.new_khe_dua.pk).id == tree.khe_dua.pk


def test_within_the_merged_commune_are_the_villages_of_both_former_communes(tree):
    structure = structure_on(AFTER)
    inside = structure.ids_within(structure.by_code("04441"))
    assert {tree.khe_dua.pk, tree.na_hau.pk, tree.dong_tam.pk} <= inside
    assert tree.khuoi_vai.pk not in inside


def test_districts_exist_only_before_the_reform(tree):
    assert [p.code for p in structure_on(BEFORE).current("district")] == ["135", "136"]
    assert structure_on(AFTER).current("district") == []
    village = structure_on(BEFORE).stand_in(tree.khe_dua.pk)
    assert structure_on(BEFORE).ancestor(village, "district").name == "Huyện Văn Yên"
