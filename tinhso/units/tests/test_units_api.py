from tinhso.accounts.testing import make_user
from tinhso.core.models import ObjectChange
from tinhso.core.testing import api_client


def test_units_list_filters_by_level_within_and_date(tree):
    client = api_client(make_user("province_admin", tree.yen_bai))
    response = client.get("/api/v1/units/", {"level": "village", "within": "15", "as_of": "2024-05-01"})
    assert response.status_code == 200
    assert response.json()["count"] == 4
    first = response.json()["results"][0]
    assert {"id", "code", "name", "level", "parent_code", "valid_from", "valid_to"} <= set(first)


def test_the_tree_after_the_reform_has_no_districts(tree):
    client = api_client(make_user("province_admin", tree.lao_cai))
    response = client.get("/api/v1/units/", {"within": "15", "as_of": "2025-08-01"})
    levels = {row["level"] for row in response.json()["results"]}
    assert levels == {"commune", "village"}
    assert response.json()["count"] == 2 + 4


def test_an_unknown_ancestor_code_is_a_clear_400(tree):
    client = api_client(make_user("province_admin", tree.yen_bai))
    response = client.get("/api/v1/units/", {"within": "99999", "as_of": "2024-05-01"})
    assert response.status_code == 400
    assert "99999" in str(response.json())


def test_commune_officer_renames_a_village_and_the_change_is_logged(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    response = api_client(officer).patch(
        f"/api/v1/units/{tree.khe_dua.pk}/", {"short_name": "Khe Dứa Mới", "name": "Thôn Khe Dứa Mới"}
    )
    assert response.status_code == 200, response.json()
    change = ObjectChange.objects.filter(object_id=tree.khe_dua.pk, action="update").latest("time")
    assert change.user == officer
    assert change.prechange_data["name"] == "Thôn Khe Dứa"
    assert change.postchange_data["name"] == "Thôn Khe Dứa Mới"
    log = api_client(officer).get("/api/v1/changes/", {"object_type": "units.unit", "object_id": tree.khe_dua.pk})
    assert log.status_code == 200
    assert log.json()["results"][0]["postchange_data"]["name"] == "Thôn Khe Dứa Mới"


def test_commune_officer_cannot_edit_a_village_of_another_commune(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    response = api_client(officer).patch(f"/api/v1/units/{tree.dong_tam.pk}/", {"name": "Thôn Bị Đổi"})
    assert response.status_code in (403, 404)
    tree.dong_tam.refresh_from_db()
    assert tree.dong_tam.name == "Thôn Đồng Tâm"


def test_commune_officer_keeps_their_villages_after_the_reform(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    response = api_client(officer).get("/api/v1/units/", {"level": "village", "as_of": "2025-09-01"})
    assert sorted(row["code"] for row in response.json()["results"]) == ["04441-01", "04441-02"]
