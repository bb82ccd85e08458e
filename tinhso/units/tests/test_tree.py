import datetime

import pytest
from django.core.exceptions import ValidationError

from tinhso.core.models import ObjectChange
from tinhso.units import services
from tinhso.units.models import Unit
from tinhso.units.succession import representative_on
from tinhso.units.testing import BEFORE_REFORM, REFORM, make_unit

DURING_2024 = datetime.date(2024, 5, 1)
AFTER = datetime.date(2026, 1, 1)


def test_the_tree_valid_on_a_day_has_the_structure_of_that_day(tree):
    before = Unit.objects.valid_on(DURING_2024).within(tree.yen_bai)
    after = Unit.objects.valid_on(AFTER).within(tree.lao_cai)
    assert set(before.values_list("level", flat=True)) == {"commune", "district", "village"}
    assert set(after.values_list("level", flat=True)) == {"commune", "village"}
    assert not Unit.objects.valid_on(AFTER).filter(code="136").exists()


def test_all_villages_of_a_province_come_from_one_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        villages = list(Unit.objects.within(tree.yen_bai).filter(level="village").valid_on(DURING_2024))
    assert len(villages) == 4


def test_a_village_keeps_its_history_and_continues_under_the_new_commune(tree):
    assert tree.khe_dua.valid_to == BEFORE_REFORM
    assert tree.new_khe_dua.parent == tree.new_xuan_ai
    assert tree.new_khe_dua.code == tree.khe_dua.code
    assert list(tree.new_khe_dua.predecessors.all()) == [tree.khe_dua]


def test_an_old_unit_is_represented_by_its_successor_on_a_later_day(tree):
    assert representative_on(tree.khe_dua, AFTER) == tree.new_khe_dua
    assert representative_on(tree.yen_hop, AFTER) == tree.new_xuan_ai
    assert representative_on(tree.new_khe_dua, DURING_2024) == tree.khe_dua
    assert representative_on(tree.khe_dua, DURING_2024) == tree.khe_dua


def test_a_village_cannot_belong_to_a_district(tree):
    with pytest.raises(ValidationError) as error:
        make_unit(tree.van_yen, "136-99", "Lạc", "thon")
    assert "parent" in error.value.message_dict
    assert not Unit.objects.filter(code="136-99").exists()


def test_two_units_cannot_share_a_code_in_the_same_period(tree):
    with pytest.raises(ValidationError):
        make_unit(tree.xuan_ai, "04441-01", "Trùng Mã", "thon")
    assert Unit.objects.filter(code="04441-01").count() == 2  # the old and the new version only


def test_a_new_unit_cannot_start_when_its_parent_no_longer_exists(tree):
    with pytest.raises(ValidationError):
        make_unit(tree.xuan_ai, "04441-09", "Sau Cải Cách", "thon", valid_from=REFORM)


def test_moving_a_village_moves_it_in_every_subtree_query(tree):
    village = make_unit(tree.xuan_ai, "04441-05", "Khe Mới", "thon")
    services.update_unit(village, actor=None, changes={"parent": tree.yen_hop})
    village.refresh_from_db()
    assert village.path.startswith(tree.yen_hop.path)
    assert village in Unit.objects.within(tree.yen_hop)


def test_every_change_of_a_unit_is_in_its_history(tree):
    services.update_unit(tree.na_hau, actor=None, changes={"households": 95})
    change = ObjectChange.objects.filter(object_id=tree.na_hau.pk, action="update").latest("time")
    assert change.prechange_data["households"] == 80 and change.postchange_data["households"] == 95
