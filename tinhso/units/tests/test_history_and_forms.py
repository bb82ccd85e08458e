"""What people notice when the tree is edited: every write leaves a line in the history (who, before,
after), the 2025 merger keeps the old villages readable, the forms answer bad input in Vietnamese and
write nothing, and an officer never reaches past their own units."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.core.models import ObjectChange
from tinhso.core.testing import api_client, web_client
from tinhso.units import services
from tinhso.units.models import Organisation, Unit, UnitSuccession
from tinhso.units.succession import extend_across_reorganisations, primary_successor, representative_on
from tinhso.units.testing import BEFORE_REFORM, REFORM, make_unit

MAY_2024 = datetime.date(2024, 5, 2)


def history(obj) -> list[ObjectChange]:
    content_type = ContentType.objects.get_for_model(obj)
    return list(ObjectChange.objects.filter(object_type=content_type, object_id=str(obj.pk)).order_by("pk"))


# --- The change log -----------------------------------------------------------------------------------


def test_a_renamed_village_shows_who_renamed_it_and_both_names(tree):
    officer = make_user("commune_officer", tree.xuan_ai, username="canbo.xuanai")
    with acting_as(officer, source="web"):
        services.update_unit(tree.khe_dua, actor=officer, changes={"short_name": "Khe Dứa Mới", "households": 130})
    change = history(tree.khe_dua)[-1]
    assert (change.action, change.user_name) == ("update", "canbo.xuanai")
    assert change.prechange_data["short_name"] == "Khe Dứa" and change.postchange_data["short_name"] == "Khe Dứa Mới"
    assert (change.prechange_data["households"], change.postchange_data["households"]) == (120, 130)


def test_a_merger_logs_the_end_of_every_old_village_and_the_start_of_its_new_version(tree):
    old, new = tree.khe_dua, tree.new_khe_dua
    ended = [change for change in history(old) if change.action == "update"][-1]
    assert (ended.prechange_data["valid_to"], ended.postchange_data["valid_to"]) == (None, "2025-06-30")
    started = history(new)[0]
    assert started.action == "create" and started.postchange_data["valid_from"] == "2025-07-01"
    assert started.unit_path == new.path
    link = UnitSuccession.objects.get(predecessor=old, successor=new)
    assert [change.action for change in history(link)] == ["create"]


def test_a_succession_recorded_by_hand_is_logged_with_its_legal_basis(tree):
    centre = make_user("province_admin", tree.lao_cai, username="quantri")
    with acting_as(centre, source="web"):
        link = services.succeed(tree.luc_yen, tree.lao_cai, actor=centre, legal_basis="NQ 1234/NQ-UBTVQH15")
    change = history(link)[-1]
    assert change.user_name == "quantri" and change.postchange_data["legal_basis"] == "NQ 1234/NQ-UBTVQH15"


def test_a_deleted_unit_keeps_its_last_values_in_the_history(tree):
    mistake = make_unit(tree.yen_hop, "04426-09", "Nhập nhầm", "thon", households=3)
    stored = Unit.objects.get(pk=mistake.pk)
    with acting_as(None, source="test"):
        services.delete_unit(mistake, actor=None)
    deleted = history(stored)[-1]
    assert deleted.action == "delete" and deleted.prechange_data["name"] == "Thôn Nhập nhầm"
    assert deleted.postchange_data is None


def test_an_organisation_created_and_edited_from_the_pages_is_logged_with_its_author(tree):
    officer = make_user("commune_officer", tree.xuan_ai, username="canbo.xuanai")
    client = web_client(officer)
    form = {"name": "Chi bộ thôn Khe Dứa", "kind": "party_cell", "is_active": "on"}
    assert client.post(f"/units/{tree.khe_dua.pk}/organisations/add/", form).status_code == 302
    cell = Organisation.objects.get(name="Chi bộ thôn Khe Dứa")
    assert client.post(f"/units/organisations/{cell.pk}/edit/", {**form, "phone": "0912345678"}).status_code == 302
    created, edited = history(cell)
    assert (created.action, created.user_name, created.postchange_data["unit_id"]) == (
        "create",
        "canbo.xuanai",
        tree.khe_dua.pk,
    )
    assert (edited.prechange_data["phone"], edited.postchange_data["phone"]) == ("", "0912345678")


# --- The 2025 reform: merged communes, units valid until a day ------------------------------------------


def test_a_unit_is_valid_through_its_last_day_and_not_a_day_longer(tree):
    assert tree.xuan_ai.is_valid_on(BEFORE_REFORM) and not tree.xuan_ai.is_valid_on(REFORM)
    assert set(Unit.objects.valid_on(BEFORE_REFORM).filter(code="04441").values_list("pk", flat=True)) == {
        tree.xuan_ai.pk
    }
    assert set(Unit.objects.valid_on(REFORM).filter(code="04441").values_list("pk", flat=True)) == {tree.new_xuan_ai.pk}


def test_the_merged_commune_stands_for_both_old_communes_and_each_old_village_for_itself(tree):
    assert representative_on(tree.yen_hop, REFORM) == tree.new_xuan_ai
    assert representative_on(tree.xuan_ai, REFORM) == tree.new_xuan_ai
    assert representative_on(tree.dong_tam, REFORM).valid_from == REFORM
    assert representative_on(tree.dong_tam, REFORM).parent == tree.new_xuan_ai
    assert representative_on(tree.new_xuan_ai, MAY_2024) == tree.xuan_ai  # the primary (first) predecessor


def test_a_unit_split_without_a_primary_successor_keeps_its_roles_where_they_were(tree):
    split = make_unit(tree.luc_yen, "04310", "Tân Phượng", "xa", valid_to=BEFORE_REFORM)
    with acting_as(None, source="test"):
        services.succeed(split, tree.new_khanh_hoa, is_primary=False)
    assert primary_successor(split) is None
    assert representative_on(split, REFORM) == tree.new_khanh_hoa  # figures still follow the only link


def test_someone_over_both_merged_communes_covers_the_new_one_and_someone_over_one_does_not(tree):
    both = {tree.xuan_ai.path, tree.yen_hop.path}
    subtrees, _exact = extend_across_reorganisations(set(both), set())
    assert tree.new_xuan_ai.path in subtrees
    subtrees, _exact = extend_across_reorganisations({tree.xuan_ai.path}, set())
    assert tree.new_xuan_ai.path not in subtrees


def test_children_carried_over_keep_codes_households_and_a_link_to_their_old_version(tree):
    old = Unit.objects.filter(parent=tree.yen_hop).get()
    new = Unit.objects.get(code=old.code, valid_from=REFORM)
    assert (new.parent, new.name, new.households, new.valid_to) == (tree.new_xuan_ai, old.name, 150, None)
    assert old.valid_to == BEFORE_REFORM and list(new.predecessors.all()) == [old]


def test_carrying_over_onto_a_commune_not_yet_founded_is_refused_and_writes_nothing(tree):
    before = Unit.objects.count()
    with pytest.raises(Exception) as refused, acting_as(None, source="test"):
        services.carry_children_over(tree.khanh_hoa, tree.new_khanh_hoa, day=datetime.date(2025, 3, 1))
    assert "1/3/2025" in str(refused.value)
    assert Unit.objects.count() == before


def test_a_closed_commune_page_lists_the_villages_of_its_last_day(tree):
    client = web_client(make_user("province_admin", tree.lao_cai))
    page = client.get(f"/units/{tree.yen_hop.pk}/", {"as_of": "2026-01-05"}).content.decode()
    assert "Thôn Đồng Tâm" in page and "30/6/2025" in page
    assert "Xã Xuân Ái" in page  # its successor is named on the page


# --- The forms: Vietnamese errors, nothing written ---------------------------------------------------------


def test_an_end_date_before_the_start_is_refused_on_the_edit_page_in_vietnamese(tree):
    client = web_client(make_user("commune_officer", tree.xuan_ai))
    form = {"short_name": "Khe Dứa", "name": "Thôn Khe Dứa", "unit_type": "thon", "valid_to": "2019-01-01"}
    response = client.post(f"/units/{tree.khe_dua.pk}/edit/", form)
    assert response.status_code in (200, 400)
    assert "Ngày kết thúc không được trước ngày bắt đầu." in response.content.decode()
    assert Unit.objects.get(pk=tree.khe_dua.pk).valid_to == BEFORE_REFORM


def test_a_village_added_without_a_code_is_numbered_after_the_commune(tree):
    client = web_client(make_user("commune_officer", tree.xuan_ai))
    form = {"short_name": "Khe Cọ", "unit_type": "thon", "code": "", "valid_from": "2024-01-01", "households": "40"}
    assert client.post(f"/units/{tree.xuan_ai.pk}/villages/add/", form).status_code == 302
    village = Unit.objects.get(code="04441-03")
    assert (village.name, village.parent, village.households) == ("Thôn Khe Cọ", tree.xuan_ai, 40)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"code": "04441-01"}, "Một đơn vị khác đã dùng mã 04441-01 trong khoảng thời gian này."),
        ({"valid_from": "2025-08-01"}, "Đơn vị cấp trên không còn hiệu lực vào ngày 1/8/2025."),
        ({"households": "-4"}, "Đảm bảo giá trị này lớn hơn hoặc bằng với 0"),
        ({"short_name": ""}, "Trường này là bắt buộc."),
    ],
)
def test_a_bad_village_is_refused_with_a_vietnamese_message_and_nothing_is_added(tree, change, message):
    client = web_client(make_user("commune_officer", tree.xuan_ai))
    form = {"short_name": "Khe Cọ", "unit_type": "thon", "code": "", "valid_from": "2024-01-01", **change}
    before = Unit.objects.count()
    response = client.post(f"/units/{tree.xuan_ai.pk}/villages/add/", form)
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert Unit.objects.count() == before


def test_a_second_organisation_with_the_same_name_in_a_unit_is_refused_in_vietnamese(tree):
    Organisation.objects.create(name="Chi bộ thôn Khe Dứa", kind="party_cell", unit=tree.khe_dua)
    client = web_client(make_user("commune_officer", tree.xuan_ai))
    response = client.post(
        f"/units/{tree.khe_dua.pk}/organisations/add/", {"name": "Chi bộ thôn Khe Dứa", "kind": "party_cell"}
    )
    assert response.status_code in (200, 400)
    assert "đã tồn tại" in response.content.decode()
    assert Organisation.objects.filter(unit=tree.khe_dua).count() == 1


def test_a_bad_email_for_an_organisation_is_named(tree):
    client = web_client(make_user("commune_officer", tree.xuan_ai))
    response = client.post(
        f"/units/{tree.khe_dua.pk}/organisations/add/", {"name": "Chi đoàn", "kind": "party_cell", "email": "chidoan@"}
    )
    assert "Nhập địa chỉ thư điện tử hợp lệ." in response.content.decode()
    assert not Organisation.objects.filter(name="Chi đoàn").exists()


# --- Scope -------------------------------------------------------------------------------------------------


def test_a_commune_officer_cannot_add_a_village_or_an_organisation_to_another_commune(tree):
    client = web_client(make_user("commune_officer", tree.xuan_ai))
    village = {"short_name": "Xâm lấn", "unit_type": "thon", "code": "", "valid_from": "2024-01-01"}
    assert client.post(f"/units/{tree.yen_hop.pk}/villages/add/", village).status_code == 404
    assert (
        client.post(f"/units/{tree.dong_tam.pk}/organisations/add/", {"name": "X", "kind": "party_cell"}).status_code
        == 404
    )
    assert not Unit.objects.filter(short_name="Xâm lấn").exists() and not Organisation.objects.filter(name="X").exists()


def test_an_organisation_cannot_be_hung_under_one_out_of_the_officers_units(tree):
    elsewhere = Organisation.objects.create(name="Đảng ủy xã Khánh Hòa", kind="party_cell", unit=tree.khanh_hoa)
    client = api_client(make_user("commune_officer", tree.xuan_ai))
    data = {"name": "Chi bộ thôn Khe Dứa", "kind": "party_cell", "unit": tree.khe_dua.pk, "parent": elsewhere.pk}
    response = client.post("/api/v1/organisations/", data, format="json")
    assert response.status_code in (400, 403, 404)
    assert not Organisation.objects.filter(name="Chi bộ thôn Khe Dứa").exists()


def test_an_organisation_cannot_belong_to_itself(tree):
    cell = Organisation.objects.create(name="Chi bộ thôn Khe Dứa", kind="party_cell", unit=tree.khe_dua)
    client = api_client(make_user("commune_officer", tree.xuan_ai))
    response = client.patch(f"/api/v1/organisations/{cell.pk}/", {"parent": cell.pk}, format="json")
    assert response.status_code == 400 and "không thể trực thuộc chính nó" in str(response.json())
    cell.refresh_from_db()
    assert cell.parent is None


def test_two_organisations_cannot_hold_each_other(tree):
    committee = Organisation.objects.create(name="UBND xã Xuân Ái", kind="peoples_committee", unit=tree.xuan_ai)
    office = Organisation.objects.create(name="Văn phòng", kind="department", unit=tree.xuan_ai, parent=committee)
    client = api_client(make_user("commune_officer", tree.xuan_ai))
    response = client.patch(f"/api/v1/organisations/{committee.pk}/", {"parent": office.pk}, format="json")
    assert response.status_code == 400
    committee.refresh_from_db()
    assert committee.parent is None


def test_the_breadcrumb_names_the_units_above_without_linking_those_out_of_reach(tree):
    client = web_client(make_user("commune_officer", tree.xuan_ai))
    page = client.get(f"/units/{tree.khe_dua.pk}/", {"as_of": "2024-05-02"}).content.decode()
    assert "Tỉnh Yên Bái" in page
    assert f'href="/units/{tree.yen_bai.pk}/"' not in page
    assert f'href="/units/{tree.xuan_ai.pk}/"' in page


def test_the_switcher_waits_for_two_letters(tree):
    client = web_client(make_user("province_admin", tree.yen_bai))
    assert "Khe Dứa" not in client.get("/units/jump/", {"q": "k", "as_of": "2024-05-02"}).content.decode()
    assert "Khe Dứa" in client.get("/units/jump/", {"q": "kh", "as_of": "2024-05-02"}).content.decode()


def test_a_search_that_finds_nothing_says_so(tree):
    client = web_client(make_user("province_admin", tree.yen_bai))
    page = client.get("/units/", {"q": "không có đâu", "as_of": "2024-05-02"})
    assert page.status_code == 200 and "0 kết quả" in page.content.decode()


def test_the_list_pages_fifty_units_at_a_time(tree):
    for number in range(3, 63):
        make_unit(tree.xuan_ai, f"04441-{number:02d}", f"Thôn {number}", "thon")
    client = web_client(make_user("province_admin", tree.yen_bai))
    first = client.get("/units/", {"level": "village", "as_of": "2024-05-02"}).context["table"]
    assert first.page.paginator.count == 64 and len(first.page.object_list) < 64
    rest = client.get("/units/", {"level": "village", "as_of": "2024-05-02", "page": 2}).context["table"]
    assert len(first.page.object_list) + len(rest.page.object_list) == 64 or rest.page.has_next()
