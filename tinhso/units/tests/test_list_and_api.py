"""The unit list and the units API as people use them: every version of a village when asked for its
history, the merged commune's villages after the reform, villages added through the API numbered after
their commune, and refusals that name the problem in Vietnamese and change nothing."""

import io

from openpyxl import load_workbook

from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client, web_client
from tinhso.units.models import Organisation, Unit


def codes(response) -> list[str]:
    return sorted(row["code"] for row in response.json()["results"])


def test_a_villages_history_lists_both_of_its_versions(tree):
    client = api_client(make_user("province_admin", tree.lao_cai))
    one = client.get("/api/v1/units/", {"q": "04441-01", "as_of": "2026-01-01"}).json()["results"]
    both = client.get("/api/v1/units/", {"q": "04441-01", "all_versions": "true"}).json()["results"]
    assert [row["valid_from"] for row in one] == ["2025-07-01"]
    assert sorted((row["valid_from"], row["valid_to"]) for row in both) == [
        ("2020-01-01", "2025-06-30"),
        ("2025-07-01", None),
    ]


def test_the_merged_commune_holds_the_villages_of_both_old_communes(tree):
    client = api_client(make_user("province_admin", tree.lao_cai))
    after = client.get("/api/v1/units/", {"within": "04441", "as_of": "2025-07-01"})
    before = client.get("/api/v1/units/", {"within": "04441", "as_of": "2025-06-30"})
    assert codes(after) == ["04426-01", "04441-01", "04441-02"]
    assert codes(before) == ["04441-01", "04441-02"]


def test_official_units_and_villages_are_told_apart(tree):
    client = api_client(make_user("province_admin", tree.lao_cai))
    unofficial = client.get("/api/v1/units/", {"official": "false", "as_of": "2026-01-01"})
    assert {row["level"] for row in unofficial.json()["results"]} == {"village"}


def test_a_village_added_through_the_api_is_numbered_after_its_commune(tree):
    client = api_client(make_user("commune_officer", tree.new_xuan_ai))
    response = client.post(
        "/api/v1/units/",
        {"parent_code": "04441", "short_name": "Khe Cọ", "unit_type": "thon", "valid_from": "2026-01-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["code"], response.json()["name"]) == ("04441-03", "Thôn Khe Cọ")
    assert Unit.objects.get(code="04441-03").parent == tree.new_xuan_ai


def test_a_village_cannot_be_added_under_a_commune_out_of_reach(tree):
    client = api_client(make_user("commune_officer", tree.new_xuan_ai))
    before = Unit.objects.count()
    response = client.post(
        "/api/v1/units/",
        {"parent_code": "04300", "short_name": "Xâm lấn", "unit_type": "thon", "valid_from": "2026-01-01"},
        format="json",
    )
    assert response.status_code == 404 and "04300" in response.json()["detail"]
    assert Unit.objects.count() == before


def test_a_village_cannot_be_moved_to_a_commune_out_of_reach(tree):
    client = api_client(make_user("commune_officer", tree.new_xuan_ai))
    response = client.patch(f"/api/v1/units/{tree.new_khe_dua.pk}/", {"parent": tree.new_khanh_hoa.pk}, format="json")
    assert response.status_code == 403
    assert Unit.objects.get(pk=tree.new_khe_dua.pk).parent == tree.new_xuan_ai


def test_an_end_before_the_start_is_a_400_in_vietnamese(tree):
    client = api_client(make_user("commune_officer", tree.new_xuan_ai))
    response = client.patch(f"/api/v1/units/{tree.new_khe_dua.pk}/", {"valid_to": "2025-01-01"}, format="json")
    assert response.status_code == 400
    assert "Ngày kết thúc không được trước ngày bắt đầu." in str(response.json())
    assert Unit.objects.get(pk=tree.new_khe_dua.pk).valid_to is None


def test_an_absurd_parent_id_is_a_400_not_a_server_error(tree):
    client = api_client(make_user("province_admin", tree.lao_cai))
    response = client.patch(f"/api/v1/units/{tree.new_khe_dua.pk}/", {"parent": 10**30}, format="json")
    assert response.status_code == 400


def test_a_units_page_lists_its_organisations_within_the_readers_reach(tree):
    Organisation.objects.create(name="Chi bộ thôn Khe Dứa", kind="party_cell", unit=tree.khe_dua)
    client = web_client(make_user("commune_officer", tree.xuan_ai))
    page = client.get(f"/units/{tree.khe_dua.pk}/", {"as_of": "2024-05-02"}).content.decode()
    assert "Chi bộ thôn Khe Dứa" in page
    other = web_client(make_user("commune_officer", tree.khanh_hoa))
    assert other.get("/units/organisations/", {"q": "khe dua"}).content.decode().count("Chi bộ thôn Khe Dứa") == 0


def test_the_unit_export_has_vietnamese_headings_and_each_versions_dates(tree):
    client = web_client(make_user("province_admin", tree.lao_cai))
    response = client.get("/units/", {"within": "04441", "as_of": "2026-01-01", "export": "xlsx"})
    header, *rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert header[:3] == ("Mã", "Tên", "Loại")
    by_code = {row[0]: row for row in rows}
    assert set(by_code) == {"04426-01", "04441-01", "04441-02"}
    assert by_code["04426-01"][3] == "Xã Xuân Ái"  # Đồng Tâm now belongs to the merged commune


def test_an_unknown_code_in_the_list_filter_is_named_on_the_page_with_nothing_listed(tree):
    client = web_client(make_user("province_admin", tree.lao_cai))
    response = client.get("/units/", {"within": "99999", "as_of": "2026-01-15"})
    assert response.status_code == 200
    assert "Không có đơn vị hành chính nào mang mã 99999 vào ngày 15/1/2026." in response.content.decode()
    assert response.context["table"].page.paginator.count == 0


def test_a_village_cannot_be_retyped_as_a_commune_from_its_edit_page(tree):
    client = web_client(make_user("commune_officer", tree.new_xuan_ai))
    form = {"short_name": "Khe Dứa", "name": "Xã Khe Dứa", "unit_type": "xa"}
    response = client.post(f"/units/{tree.new_khe_dua.pk}/edit/", form)
    assert (
        "Hãy chọn một lựa chọn hợp lệ." in response.content.decode() or "lựa chọn hợp lệ" in response.content.decode()
    )
    assert Unit.objects.get(pk=tree.new_khe_dua.pk).unit_type == "thon"


def test_the_switcher_finds_only_units_of_the_structure_date(tree):
    client = web_client(make_user("province_admin", tree.lao_cai))
    before = client.get("/units/jump/", {"q": "van yen", "as_of": "2024-05-02"}).content.decode()
    after = client.get("/units/jump/", {"q": "van yen", "as_of": "2026-01-01"}).content.decode()
    assert "Huyện Văn Yên" in before and "Huyện Văn Yên" not in after


def test_someone_who_may_not_add_villages_cannot_open_the_import_page(tree):
    client = web_client(make_user("citizen", tree.khe_dua))
    assert client.get("/units/import/").status_code == 403


def test_a_percent_sign_in_an_unknown_within_code_is_named_not_a_server_error(tree):
    # django-filter formats the API's message with its parameters: a "%" typed into the code was a 500.
    admin = make_user("province_admin", tree.yen_bai)
    for code in ("12%", "%s%d", "%(code)s"):
        api = api_client(admin).get("/api/v1/units/", {"within": code}, HTTP_ACCEPT_LANGUAGE="vi")
        assert api.status_code == 400 and code in str(api.json()["within"]), api.content
        page = web_client(admin).get("/units/", {"within": code}, HTTP_ACCEPT_LANGUAGE="vi")
        assert page.status_code == 200 and "Không có đơn vị hành chính nào mang mã" in page.content.decode()
        teams = api_client(admin).get("/api/v1/teams/", {"within": code}, HTTP_ACCEPT_LANGUAGE="vi")
        assert teams.status_code == 400 and code in str(teams.json()["within"]), teams.content
