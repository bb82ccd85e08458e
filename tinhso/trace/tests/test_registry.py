import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.core.testing import api_client, web_client
from tinhso.trace import services
from tinhso.trace.models import Tree

from .conftest import EXACT, add_tree

pytestmark = pytest.mark.django_db


def tree_payload(garden, number="SG-0100", **extra):
    return {"garden": garden.pk, "number": number, "latitude": "21.620001", "longitude": "104.601002", **extra}


def csv_file(lines: list[str]) -> SimpleUploadedFile:
    text = "Số hiệu,Vườn,Tuổi ước tính,Chu vi gốc (cm),Độ cao (m),Vĩ độ,Kinh độ\n" + "\n".join(lines) + "\n"
    return SimpleUploadedFile("cay.csv", text.encode(), content_type="text/csv")


def test_an_officer_registers_a_tree_through_the_api_and_it_gets_a_label_address(tea):
    response = api_client(tea.officer).post("/api/v1/trace/trees/", tree_payload(tea.garden), format="json")
    assert response.status_code == 201, response.json()
    tree = Tree.objects.get(number="SG-0100")
    assert tree.unit == tea.commune
    assert tree.link.endswith(f"/t/{tree.short_code}")
    assert response.json()["public_latitude"] == "21.620000"


def test_coordinates_outside_the_commune_are_refused(tea):
    response = api_client(tea.officer).post(
        "/api/v1/trace/trees/", tree_payload(tea.garden, latitude="10.776900", longitude="106.700900"), format="json"
    )
    assert response.status_code == 400
    assert "ngoài" in str(response.json()) or "outside" in str(response.json())
    assert not Tree.objects.filter(number="SG-0100").exists()


def test_a_negative_girth_is_refused(tea):
    with pytest.raises(ValidationError) as refused:
        add_tree(tea.garden, "SG-0002", girth_cm=Decimal("-3"))
    assert "girth_cm" in refused.value.message_dict
    assert not Tree.objects.filter(number="SG-0002").exists()


def test_a_garden_of_another_commune_is_not_offered(tea):
    response = api_client(tea.officer).post("/api/v1/trace/trees/", tree_payload(tea.other_garden), format="json")
    assert response.status_code == 400
    assert "garden" in response.json()


def test_a_thousand_trees_are_imported_from_csv(tea):
    lines = [
        f"SG-{n:04d},{tea.garden.name},{100 + n % 200},{50 + n % 100},{1100 + n % 300},21.6{n:04d},104.60{n % 10}"
        for n in range(2, 1002)
    ]
    response = api_client(tea.officer).post(
        "/api/v1/trace/trees/import/", {"file": csv_file(lines)}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert response.json() == {"created": 1000}
    assert Tree.objects.filter(garden=tea.garden).count() == 1001
    assert not Tree.objects.filter(link="").exists()


def test_an_import_with_bad_rows_lists_every_one_with_its_line_and_adds_nothing(tea):
    lines = [
        "SG-0002,Vườn Pang Cáng,150,120,1200,21.620000,104.600000",
        "SG-0003,Vườn Pang Cáng,150,-5,1200,21.620000,104.600000",
        "SG-0004,Vườn Pang Cáng,150,120,1200,10.000000,106.000000",
        "SG-0005,Vườn Không Có,150,120,1200,21.620000,104.600000",
        "SG-0002,Vườn Pang Cáng,150,120,1200,21.620000,104.600000",
        "SG-0006,Vườn Pang Cáng,abc,120,1200,21.620000,104.600000",
    ]
    response = api_client(tea.officer).post(
        "/api/v1/trace/trees/import/", {"file": csv_file(lines)}, format="multipart"
    )
    assert response.status_code == 400
    rows = sorted({error["row"] for error in response.json()["errors"]})
    assert rows == [3, 4, 5, 6, 7]
    assert Tree.objects.count() == 2


def test_after_the_reform_the_new_communes_officer_sees_the_tree_that_keeps_its_history(tea):
    response = api_client(tea.new_officer).get("/api/v1/trace/trees/")
    assert [row["number"] for row in response.json()["results"]] == ["SG-0001"]
    assert Tree.objects.get(pk=tea.tree1.pk).unit == tea.tree.xuan_ai


def test_a_tree_of_another_commune_is_not_there(tea):
    assert api_client(tea.officer).get(f"/api/v1/trace/trees/{tea.other_tree.pk}/").status_code == 404
    assert web_client(tea.officer).get(f"/trace/trees/{tea.other_tree.pk}/").status_code == 404


def test_the_registry_pages_work_for_an_officer(tea):
    client = web_client(tea.officer)
    listing = client.get("/trace/")
    assert listing.status_code == 200 and "SG-0001" in listing.content.decode()
    detail = client.get(f"/trace/trees/{tea.tree1.pk}/")
    assert detail.status_code == 200 and str(EXACT[0]) in detail.content.decode()
    assert client.get("/trace/trees/add/").status_code == 200
    assert client.get("/trace/gardens/").status_code == 200
    assert client.get("/trace/statistics/").status_code == 200


def test_the_tree_form_registers_a_tree_and_shows_service_errors(tea):
    client = web_client(tea.officer)
    data = {**tree_payload(tea.garden, number="SG-0300"), "variety": "Shan tuyết", "status": "living"}
    assert client.post("/trace/trees/add/", data).status_code == 302
    refused = client.post("/trace/trees/add/", {**data, "number": "SG-0301", "latitude": "10.5"})
    assert refused.status_code == 200 and not Tree.objects.filter(number="SG-0301").exists()


def test_the_import_page_lists_bad_lines(tea):
    response = web_client(tea.officer).post(
        "/trace/trees/import/", {"file": csv_file(["SG-0009,Vườn Pang Cáng,150,-5,1200,21.62,104.60"])}
    )
    assert response.status_code == 200
    assert "2" in response.content.decode() and not Tree.objects.filter(number="SG-0009").exists()


def test_an_excel_file_is_imported(tea):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Number", "Garden", "Latitude", "Longitude"])
    book.active.append(["SG-0500", tea.garden.name, 21.621, 104.601])
    raw = io.BytesIO()
    book.save(raw)
    upload = SimpleUploadedFile("cay.xlsx", raw.getvalue())
    with_actor = services  # the importer calls the same service as the API
    assert with_actor is not None
    response = api_client(tea.officer).post("/api/v1/trace/trees/import/", {"file": upload}, format="multipart")
    assert response.status_code == 201


def test_the_tree_list_does_not_grow_in_queries_with_trees(tea, django_assert_max_num_queries):
    for number in range(2, 60):
        add_tree(tea.garden, f"SG-{number:04d}")
    client = web_client(tea.officer)
    client.get("/trace/")
    with django_assert_max_num_queries(12):
        assert client.get("/trace/").status_code == 200


def test_a_harvest_is_recorded_from_the_phone_form(tea):
    from tinhso.trace.models import Event

    response = web_client(tea.officer).post(
        "/trace/events/add/",
        {"tree": tea.tree1.pk, "kind": "harvesting", "event_time": "2025-04-02T07:30", "quantity_kg": "2,5"},
    )
    assert response.status_code == 302
    assert float(Event.objects.get(tree=tea.tree1).quantity_kg) == 2.5
    refused = web_client(tea.officer).post(
        "/trace/events/add/", {"tree": tea.other_tree.pk, "kind": "harvesting", "event_time": "2025-04-02T07:30"}
    )
    assert refused.status_code == 200 and Event.objects.count() == 1


@pytest.mark.parametrize(
    "extra",
    [
        {"latitude": "abc"},
        {"latitude": "91"},
        {"number": "x" * 200},
        {"garden": 999999},
        {"garden": "1 OR 1=1"},
        {"estimated_age": -5},
        {"height_m": "-1"},
        {"status": "burnt"},
    ],
)
def test_hostile_tree_input_is_a_400_and_adds_nothing(tea, extra):
    payload = {**tree_payload(tea.garden), **extra}
    response = api_client(tea.officer).post("/api/v1/trace/trees/", payload, format="json")
    assert response.status_code == 400
    assert Tree.objects.count() == 2


@pytest.mark.parametrize("path", ["/01/" + "9" * 5000, "/8004/8931234Tà", "/01/08934563138165/10/A/21", "/0/1"])
def test_hostile_resolver_paths_are_4xx(tea, path):
    from django.test import Client

    assert 400 <= Client().get(path).status_code < 500
