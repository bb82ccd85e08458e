"""Edits of the unit tree at their edges: a unit is placed under a unit of a higher level that exists
on its first day, keeps a code of its own for its period, moves with everything below it, and is only
deleted when it has no history — otherwise it is closed."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.units import services
from tinhso.units.models import Unit
from tinhso.units.snapshot import snapshot_on
from tinhso.units.testing import REFORM, make_unit

DAY = datetime.date(2024, 5, 2)


def refusal(call) -> dict:
    with pytest.raises(ValidationError) as refused, acting_as(None, source="test"):
        call()
    return refused.value.message_dict


@pytest.mark.parametrize(
    "unit_type, short_name, expected",
    [("xa", "Xuân Ái", "Xã Xuân Ái"), ("xa", "xã Xuân Ái", "xã Xuân Ái"), ("thon", " Khe Dứa ", "Thôn Khe Dứa")],
)
def test_full_names_take_the_type_once(unit_type, short_name, expected):
    assert services.full_name(unit_type, short_name) == expected


def test_an_unknown_unit_type_is_named_as_such():
    with pytest.raises(ValidationError) as refused:
        services.level_of_type("vuong_quoc")
    assert "unit_type" in refused.value.message_dict


def test_a_village_belongs_to_a_commune_and_below_a_higher_level(tree):
    assert "parent" in refusal(lambda: make_unit(tree.van_yen, "13699", "Lạc Đường", "thon"))
    assert "parent" in refusal(lambda: make_unit(tree.khe_dua, "04441-77", "Dưới thôn", "thon"))
    assert "parent" in refusal(lambda: make_unit(None, "04499", "Xã mồ côi", "xa"))
    assert not Unit.objects.filter(code__in=["13699", "04441-77", "04499"]).exists()


def test_a_unit_cannot_start_under_a_parent_that_did_not_exist_then(tree):
    # Xuân Ái (before the reform) ended on 30/6/2025: a village cannot join it afterwards.
    errors = refusal(lambda: make_unit(tree.xuan_ai, "04441-50", "Mới lập", "thon", valid_from=REFORM))
    assert "parent" in errors and "1/7/2025" in errors["parent"][0]


def test_a_code_is_free_again_only_after_its_holder_ended(tree):
    assert "code" in refusal(lambda: make_unit(tree.xuan_ai, "04441-01", "Trùng mã", "thon"))
    later = make_unit(tree.new_xuan_ai, "04441-60", "Thôn sau sáp nhập", "thon", valid_from=REFORM)
    assert later.code == "04441-60"


def test_an_end_before_the_start_is_refused(tree):
    stored = Unit.objects.get(pk=tree.khe_dua.pk).valid_to
    assert "valid_to" in refusal(
        lambda: services.update_unit(tree.khe_dua, actor=None, changes={"valid_to": datetime.date(2019, 12, 31)})
    )
    assert Unit.objects.get(pk=tree.khe_dua.pk).valid_to == stored


def test_only_listed_fields_of_a_unit_can_be_changed(tree):
    with pytest.raises(ValidationError) as refused:
        services.update_unit(tree.khe_dua, actor=None, changes={"path": "/1/", "code": "x"})
    assert "path" in " ".join(refused.value.messages)


def test_a_unit_moves_with_everything_below_it(tree):
    with acting_as(None, source="test"):
        hamlet = make_unit(tree.yen_hop, "04426-02", "Bản Tát", "ban")
        services.update_unit(tree.yen_hop, actor=None, changes={"parent": tree.luc_yen})
    hamlet.refresh_from_db()
    assert hamlet.path.startswith(Unit.objects.get(pk=tree.luc_yen.pk).path)
    assert snapshot_on(DAY).ancestor_at(hamlet.pk, "district").code == "135"


def test_a_village_code_is_the_communes_code_and_the_first_free_number(tree):
    assert services.next_village_code(tree.xuan_ai) == "04441-03"
    assert services.next_village_code(tree.xuan_ai, taken={"04441-01", "04441-03"}) == "04441-02"


def test_a_unit_with_history_is_closed_not_deleted(tree):
    with pytest.raises(ValidationError):
        services.delete_unit(tree.xuan_ai, actor=None)  # villages below it
    with pytest.raises(ValidationError):
        services.delete_unit(tree.new_khe_dua, actor=None)  # a successor of Khe Dứa
    assert Unit.objects.filter(pk__in=[tree.xuan_ai.pk, tree.new_khe_dua.pk]).count() == 2


def test_a_unit_entered_by_mistake_is_deleted_by_the_province_only(tree):
    mistake = make_unit(tree.yen_hop, "04426-09", "Nhập nhầm", "thon")
    officer = make_user("province_admin", tree.yen_bai)
    for not_allowed in (make_user("commune_officer", tree.yen_hop), make_user("district_officer", tree.van_yen)):
        with pytest.raises(PermissionDenied):
            services.delete_unit(mistake, actor=not_allowed)
    assert Unit.objects.filter(code="04426-09").exists()
    with acting_as(officer, source="test"):
        services.delete_unit(mistake, actor=officer)
    assert not Unit.objects.filter(code="04426-09").exists()


def test_a_closed_unit_leaves_the_tree_of_later_days_and_stays_in_earlier_ones(tree):
    with acting_as(None, source="test"):
        services.close_unit(tree.dong_tam, actor=None, last_day=datetime.date(2024, 12, 31))
    assert snapshot_on(DAY).by_code("04426-01") is not None
    assert snapshot_on(datetime.date(2025, 1, 2)).by_code("04426-01") is None
