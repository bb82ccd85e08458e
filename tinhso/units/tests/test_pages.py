import csv
import gzip
import io

import pytest
from openpyxl import load_workbook

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.units.models import Unit
from tinhso.units.testing import make_unit


@pytest.fixture
def many_villages(tree):
    for number in range(3, 63):
        make_unit(tree.xuan_ai if number % 2 else tree.yen_hop, f"V{number:03d}", f"Thôn {number}", "thon")
    return tree


def village_list(client, headers=None, **params):
    return client.get("/units/", {"level": "village", "within": "15", "as_of": "2024-06-01", **params}, headers=headers)


def test_the_village_list_costs_the_same_queries_however_many_villages(many_villages, django_assert_max_num_queries):
    client = web_client(make_user("province_admin", many_villages.yen_bai))
    village_list(client)
    with django_assert_max_num_queries(9):
        response = village_list(client)
    assert response.status_code == 200
    assert "64 kết quả" in response.content.decode()


def test_the_page_is_light_for_a_3g_phone(many_villages):
    client = web_client(make_user("province_admin", many_villages.yen_bai))
    response = client.get(
        "/units/", {"level": "village", "within": "15", "as_of": "2024-06-01"}, HTTP_ACCEPT_ENCODING="gzip"
    )
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < 100_000
    assert len(gzip.decompress(response.content)) < 300_000


def test_an_htmx_filter_returns_only_the_results_fragment(many_villages):
    client = web_client(make_user("province_admin", many_villages.yen_bai))
    fragment = village_list(client, {"HX-Request": "true", "HX-Target": "results"}, q="thon 1").content.decode()
    assert "<html" not in fragment and "<table" in fragment


def test_search_forgives_missing_accents(tree):
    client = web_client(make_user("province_admin", tree.yen_bai))
    page = client.get("/units/", {"q": "khe dua", "as_of": "2024-06-01"}).content.decode()
    assert "Thôn Khe Dứa" in page


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_filtered_list_exports_every_row(many_villages, export_format):
    client = web_client(make_user("commune_officer", many_villages.xuan_ai))
    response = client.get("/units/", {"level": "village", "as_of": "2024-06-01", "export": export_format})
    assert response.status_code == 200
    if export_format == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
        names = [row[1] for row in rows]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(names) == 32 and "Thôn Khe Dứa" in names and "Thôn Đồng Tâm" not in names


def test_a_commune_officer_cannot_open_another_communes_village(tree):
    client = web_client(make_user("commune_officer", tree.xuan_ai))
    assert client.get(f"/units/{tree.khe_dua.pk}/").status_code == 200
    assert client.get(f"/units/{tree.dong_tam.pk}/").status_code == 404
    assert client.get(f"/units/{tree.dong_tam.pk}/edit/").status_code == 404


def test_editing_a_village_from_its_page(tree):
    client = web_client(make_user("commune_officer", tree.xuan_ai))
    response = client.post(
        f"/units/{tree.na_hau.pk}/edit/",
        {
            "short_name": "Nà Hẩu",
            "name": "Bản Nà Hẩu",
            "unit_type": "ban",
            "households": "85",
            "valid_to": "2025-06-30",
        },
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=tree.na_hau.pk).households == 85


def test_the_admin_site_is_scoped_like_the_pages(tree):
    officer = make_user("commune_officer", tree.xuan_ai, is_staff=True)
    page = web_client(officer).get("/admin/units/unit/?q=").content.decode()
    assert "Thôn Khe Dứa" in page and "Thôn Đồng Tâm" not in page


def test_health_endpoint_answers_without_login(db):
    assert web_client().get("/livez/").json() == {"status": "ok"}


def test_the_unit_switcher_finds_units_in_scope_by_name_without_accents(tree):
    client = web_client(make_user("commune_officer", tree.xuan_ai))
    found = client.get("/units/jump/", {"q": "na hau", "as_of": "2024-06-01"}).content.decode()
    assert "Bản Nà Hẩu" in found
    assert "Thôn Đồng Tâm" not in client.get("/units/jump/", {"q": "dong tam", "as_of": "2024-06-01"}).content.decode()


def test_organisation_and_user_lists_cost_a_fixed_number_of_queries(tree, django_assert_max_num_queries):
    from tinhso.units.models import Organisation

    for number in range(30):
        Organisation.objects.create(name=f"Chi bộ {number}", kind="party_cell", unit=tree.khe_dua)
        make_user("citizen", tree.khe_dua if number % 2 else tree.na_hau)
    client = web_client(make_user("province_admin", tree.yen_bai))
    for url in ("/units/organisations/", "/accounts/users/"):
        client.get(url)
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200


def test_the_unfiltered_list_shows_the_units_in_force_on_the_structure_date(tree):
    """Issue 10 item 15: no query string at all still honours the structure date, defunct versions stay out."""
    admin = make_user("province_admin", tree.lao_cai)
    admin_old = make_user("province_admin", tree.yen_bai)
    client = web_client(admin)
    today = client.get("/units/").content.decode()
    assert "Tỉnh Lào Cai" in today and "Huyện Văn Yên" not in today
    client = web_client(admin_old)
    client.post("/structure-date/", {"as_of": "2025-06-30"})
    before = client.get("/units/").content.decode()
    assert "Huyện Văn Yên" in before and "Tỉnh Lào Cai" not in before
