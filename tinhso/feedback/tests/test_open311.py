"""Open311 GeoReport v2 in JSON and XML: the spec's shapes, its errors, and no personal data anywhere."""

import datetime

import pytest
from django.test import Client
from lxml import etree
from rest_framework.authtoken.models import Token

from tinhso.feedback import services
from tinhso.feedback.models import Report

from .conftest import file_report, photo_file

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}
SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
PRIVATE = ("Hà Thị Mai", "912000008", "0912 777 888", "mai@example.com", "001234567890", "21.720012", "104.480034")


@pytest.fixture
def published(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the photo job runs, as on the worker
        report = file_report(
            world,
            description="Sạt taluy. Liên hệ 0912 777 888, mai@example.com, CCCD 001234567890.",
            latitude="21.720012",
            longitude="104.480034",
            photos=[photo_file()],
        )
    services.answer_report(report, actor=world.officer, answer="Xã đã cắm biển cảnh báo.")
    file_report(world, service=world.bridge, description="Cầu tràn bị hỏng.")
    return report


def get(path, **params):
    return Client().get(path, params)


def xml(response):
    assert response["Content-Type"].startswith("text/xml")
    return etree.fromstring(response.content)


def test_discovery_in_json_and_xml(world):
    body = get("/open311/v2/discovery.json").json()
    assert body["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert "application/json" in body["endpoints"][0]["formats"]
    root = xml(get("/open311/v2/discovery.xml"))
    assert root.tag == "discovery" and root.find("endpoints/endpoint/formats/format") is not None


def test_services_list_the_province_s_categories_and_says_which_stay_private(world):
    rows = get("/open311/v2/services.json").json()
    assert {row["service_code"] for row in rows} == {"duong-hu-hong", "cau-cong", "noi-bo"}
    assert all(set(row) == SERVICE_FIELDS for row in rows)
    private = next(row for row in rows if row["service_code"] == "noi-bo")
    assert "không được công khai" in private["description"]
    root = xml(get("/open311/v2/services.xml"))
    assert root.tag == "services" and {child.findtext("service_code") for child in root} == {
        "duong-hu-hong",
        "cau-cong",
        "noi-bo",
    }
    assert root.find("service/metadata").text in ("true", "false")


def test_a_service_definition_lists_its_attributes(world):
    body = get("/open311/v2/services/cau-cong.json").json()
    assert body["service_code"] == "cau-cong" and body["attributes"][0]["code"] == "muc_do"
    assert body["attributes"][0]["values"][1] == {"key": "nang", "name": "Nặng"}
    root = xml(get("/open311/v2/services/cau-cong.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("attributes/attribute/values/value/key") == "nhe"


def test_requests_in_json_and_xml_with_times_in_the_province_s_offset(published):
    rows = get("/open311/v2/requests.json").json()
    assert len(rows) == 2 and all(set(row) == REQUEST_FIELDS for row in rows)
    answered = next(row for row in rows if row["service_request_id"] == str(published.pk))
    assert answered["status"] == "closed" and answered["status_notes"] == "Xã đã cắm biển cảnh báo."
    assert answered["requested_datetime"].endswith("+07:00") and answered["expected_datetime"].endswith("+07:00")
    datetime.datetime.fromisoformat(answered["requested_datetime"])
    assert answered["lat"] == "21.720" and answered["media_url"].startswith("http")
    root = xml(get("/open311/v2/requests.xml"))
    assert root.tag == "service_requests" and len(root.findall("request")) == 2
    assert {child.tag for child in root.find("request")} == REQUEST_FIELDS


def test_requests_are_filtered_by_status_service_and_dates(published):
    assert len(get("/open311/v2/requests.json", status="open").json()) == 1
    assert len(get("/open311/v2/requests.json", service_code="cau-cong").json()) == 1
    assert (
        get(
            "/open311/v2/requests.json", start_date="2020-01-01T00:00:00+07:00", end_date="2020-02-01T00:00:00+07:00"
        ).json()
        == []
    )
    old = published.submitted_at - datetime.timedelta(days=120)
    Report.objects.filter(pk=published.pk).update(submitted_at=old)
    assert len(get("/open311/v2/requests.json").json()) == 1  # the default window is 90 days
    assert len(get("/open311/v2/requests.json", service_request_id=str(published.pk)).json()) == 1


def test_one_request_and_its_token(published):
    rows = get(f"/open311/v2/requests/{published.pk}.json").json()
    assert [row["service_request_id"] for row in rows] == [str(published.pk)]
    root = xml(get(f"/open311/v2/requests/{published.pk}.xml"))
    assert root.findtext("request/service_request_id") == str(published.pk)
    token = get(f"/open311/v2/tokens/{published.token}.json").json()
    assert token == [{"service_request_id": str(published.pk), "token": published.token}]
    assert xml(get(f"/open311/v2/tokens/{published.token}.xml")).findtext("request/token") == published.token


@pytest.mark.parametrize(
    "path, params, status",
    [
        ("/open311/v2/services/khong-co.json", {}, 404),
        ("/open311/v2/requests/999999.json", {}, 404),
        ("/open311/v2/tokens/khong-co.json", {}, 404),
        ("/open311/v2/requests.json", {"start_date": "hôm qua"}, 400),
        ("/open311/v2/requests.json", {"start_date": "2026-13-45T00:00:00"}, 400),
        ("/open311/v2/requests.json", {"status": "pending"}, 400),
        ("/open311/v2/requests.json", {"service_request_id": "1,abc"}, 400),
        ("/open311/v2/requests.json", {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"}, 400),
        ("/open311/v2/nothing.json", {}, 404),
    ],
)
def test_errors_come_in_the_spec_s_shape(world, path, params, status):
    response = get(path, **params)
    assert response.status_code == status
    body = response.json()
    assert isinstance(body, list) and body[0]["code"] == status and body[0]["description"]
    xml_path = path.replace(".json", ".xml")
    root = xml(get(xml_path, **params))
    assert root.tag == "errors" and root.findtext("error/code") == str(status)


def test_a_post_needs_a_valid_api_key(world):
    data = {"service_code": "duong-hu-hong", "lat": "21.72", "long": "104.48", "description": "Ổ gà lớn"}
    refused = Client().post("/open311/v2/requests.json", data)
    assert refused.status_code == 403 and refused.json()[0]["code"] == 403
    wrong = Client().post("/open311/v2/requests.json", {**data, "api_key": "sai"})
    assert wrong.status_code == 403 and not Report.objects.exists()


def test_a_post_with_an_api_key_files_a_request(world):
    key = Token.objects.create(user=world.citizen).key
    data = {
        "api_key": key,
        "service_code": "duong-hu-hong",
        "lat": "21.7201",
        "long": "104.4801",
        "description": "Ổ gà",
    }
    response = Client().post("/open311/v2/requests.json", data)
    assert response.status_code == 201, response.content
    created = response.json()[0]
    report = Report.objects.get(pk=created["service_request_id"])
    assert report.reporter == world.citizen and report.place == world.tree.new_khe_dua
    xml_response = Client().post("/open311/v2/requests.xml", {**data, "description": "Ổ gà thứ hai"})
    assert xml(xml_response).findtext("request/service_request_id")


@pytest.mark.parametrize(
    "fields",
    [
        {"service_code": "khong-co"},
        {"lat": "", "long": ""},
        {"description": "x" * 4001},
        {"lat": "999"},
        {"address_id": "999999", "lat": ""},
    ],
)
def test_a_bad_post_is_a_400_in_the_spec_s_shape_and_writes_nothing(world, fields):
    key = Token.objects.create(user=world.citizen).key
    data = {"api_key": key, "service_code": "duong-hu-hong", "lat": "21.72", "long": "104.48", "description": "Ổ gà"}
    response = Client().post("/open311/v2/requests.json", {**data, **fields})
    assert response.status_code == 400 and response.json()[0]["code"] == 400
    assert not Report.objects.exists()


PUBLIC_ROUTES = [
    "/open311/v2/discovery.json",
    "/open311/v2/discovery.xml",
    "/open311/v2/services.json",
    "/open311/v2/services.xml",
    "/open311/v2/services/duong-hu-hong.json",
    "/open311/v2/services/duong-hu-hong.xml",
    "/open311/v2/requests.json",
    "/open311/v2/requests.xml",
    "/open311/v2/requests/{pk}.json",
    "/open311/v2/requests/{pk}.xml",
    "/open311/v2/tokens/{token}.json",
    "/open311/v2/tokens/{token}.xml",
    "/phan-anh/",
    "/phan-anh/{pk}/",
    "/phan-anh/ban-do/",
]


@pytest.mark.parametrize("route", PUBLIC_ROUTES)
def test_no_personal_data_on_any_public_route(published, route):
    response = get(route.format(pk=published.pk, token=published.token))
    assert response.status_code == 200
    text = response.content.decode()
    leaked = [value for value in PRIVATE if value in text]
    assert leaked == []
    assert "contact_" not in text and "reporter" not in text and published.reporter.username not in text


def test_lists_take_the_same_queries_whatever_the_number_of_reports(world, django_assert_max_num_queries):
    for _ in range(6):
        file_report(world, photos=[photo_file(size=(200, 150))])
    with django_assert_max_num_queries(6):
        assert len(get("/open311/v2/requests.json").json()) == 6
    with django_assert_max_num_queries(8):
        assert get("/phan-anh/").status_code == 200
