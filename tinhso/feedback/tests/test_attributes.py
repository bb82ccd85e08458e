"""Answers to a category's attributes (Open311 service definitions): checked against the definition on every
door (Open311 POST, the REST API, the filing page), stored with the report, shown to the office and the
reporter, never published."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from lxml import etree
from openpyxl import load_workbook
from rest_framework.authtoken.models import Token

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.core.testing import api_client, web_client
from tinhso.feedback.choices import Level
from tinhso.feedback.models import Report, ServiceCategory

from .conftest import file_report

pytestmark = pytest.mark.django_db


def attribute(code, datatype, *, required=False, values=None, description="", variable=True, order=1):
    return {
        "variable": variable,
        "code": code,
        "datatype": datatype,
        "required": required,
        "datatype_description": "",
        "order": order,
        "description": description or code,
        "values": values or [],
    }


@pytest.fixture
def flood(world):
    with acting_as(None, source="test"):
        return ServiceCategory.objects.create(
            unit=world.tree.lao_cai,
            code="ngap-ung",
            name="Ngập úng",
            level=Level.COMMUNE,
            attributes=[
                attribute("muc_nuoc", "number", required=True, description="Nước sâu bao nhiêu cm?"),
                attribute(
                    "nguy_hiem",
                    "singlevaluelist",
                    required=True,
                    description="Có người bị đe dọa không?",
                    values=[{"key": "co", "name": "Có"}, {"key": "khong", "name": "Không"}],
                    order=2,
                ),
                attribute(
                    "anh_huong",
                    "multivaluelist",
                    description="Ảnh hưởng đến",
                    values=[{"key": "nha", "name": "Nhà ở"}, {"key": "ruong", "name": "Ruộng"}],
                    order=3,
                ),
                attribute("tu_luc", "datetime", description="Từ lúc nào?", order=4),
                attribute("ghi_chu", "text", description="Ghi chú thêm", order=5),
                attribute("ten_suoi", "string", description="Tên suối", order=6),
                attribute("luu_y", "string", variable=False, description="Hãy tránh xa bờ suối.", order=7),
            ],
        )


GOOD = {
    "attribute[muc_nuoc]": "40,5",
    "attribute[nguy_hiem]": "co",
    "attribute[anh_huong][]": ["nha", "ruong"],
    "attribute[tu_luc]": "2026-12-04T06:30:00+07:00",
    "attribute[ghi_chu]": "Nước lên nhanh, gọi 0912 345 678",
    "attribute[ten_suoi]": "Ngòi Thia",
}


def open311_post(world, fmt="json", **fields):
    key = Token.objects.create(user=world.citizen).key
    data = {
        "api_key": key,
        "service_code": "ngap-ung",
        "address_id": world.tree.new_khe_dua.pk,
        "description": "Nước ngập đường vào thôn.",
        **fields,
    }
    return api_client().post(f"/open311/v2/requests.{fmt}", data)


def test_open311_stores_the_answers_and_the_office_sees_them_by_their_names(world, flood):
    response = open311_post(world, **GOOD)
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert report.attributes == {
        "muc_nuoc": "40.5",
        "nguy_hiem": "co",
        "anh_huong": ["nha", "ruong"],
        "tu_luc": "2026-12-04T06:30+07:00",
        "ghi_chu": "Nước lên nhanh, gọi 0912 345 678",
        "ten_suoi": "Ngòi Thia",
    }
    for person in (world.officer, world.citizen):
        page = web_client(person).get(f"/feedback/{report.pk}/").content.decode()
        assert "Có người bị đe dọa không?" in page and "Nhà ở, Ruộng" in page and "Ngòi Thia" in page


def test_the_answers_are_never_published(world, flood):
    open311_post(world, **GOOD)
    report = Report.objects.get()
    for path in (
        f"/phan-anh/{report.pk}/",
        "/phan-anh/",
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        f"/open311/v2/requests/{report.pk}.json",
    ):
        body = web_client().get(path).content.decode()
        assert "Ngòi Thia" not in body and "Nhà ở" not in body and "0912 345 678" not in body, path


@pytest.mark.parametrize(
    "fields, named",
    [
        ({"attribute[nguy_hiem]": "co"}, "attribute[muc_nuoc]"),  # a required answer missing
        ({**GOOD, "attribute[muc_nuoc]": "sâu"}, "attribute[muc_nuoc]"),
        ({**GOOD, "attribute[muc_nuoc]": "NaN"}, "attribute[muc_nuoc]"),
        ({**GOOD, "attribute[muc_nuoc]": "1e400"}, "attribute[muc_nuoc]"),
        ({**GOOD, "attribute[nguy_hiem]": "co'; DROP TABLE"}, "attribute[nguy_hiem]"),
        ({**GOOD, "attribute[nguy_hiem][]": ["co", "khong"], "attribute[nguy_hiem]": ""}, "attribute[nguy_hiem]"),
        ({**GOOD, "attribute[anh_huong][]": ["nha", "truong"]}, "attribute[anh_huong]"),
        ({**GOOD, "attribute[tu_luc]": "hôm qua"}, "attribute[tu_luc]"),
        ({**GOOD, "attribute[ten_suoi]": "x" * 256}, "attribute[ten_suoi]"),
        ({**GOOD, "attribute[ten_suoi]": "Ngòi\u202eThia"}, "attribute[ten_suoi]"),
        ({**GOOD, "attribute[luu_y]": "ok"}, "attribute[luu_y]"),  # a note, nothing to answer
        ({**GOOD, "attribute[khong_co]": "1"}, "attribute[khong_co]"),
    ],
)
def test_open311_refuses_answers_that_do_not_fit_the_definition_and_writes_nothing(world, flood, fields, named):
    response = open311_post(world, **fields)
    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400 and named in error["description"]
    assert not Report.objects.exists()


def test_open311_errors_in_xml_carry_the_code_and_the_description(world, flood):
    response = open311_post(world, "xml", **{"attribute[nguy_hiem]": "co"})
    root = etree.fromstring(response.content)
    assert response.status_code == 400 and root.tag == "errors"
    assert root.findtext("error/code") == "400" and "Nước sâu bao nhiêu cm?" in root.findtext("error/description")


def test_the_api_takes_the_answers_in_json_and_as_a_form(world, flood):
    client = api_client(world.citizen)
    body = {"service": "ngap-ung", "place": world.tree.new_khe_dua.pk, "description": "Ngập đường."}
    refused = client.post(
        "/api/v1/feedback/",
        {**body, "attributes": {"muc_nuoc": "10", "nguy_hiem": "co", "anh_huong": ["cho"]}},
        format="json",
        HTTP_IDEMPOTENCY_KEY="a1",
    )
    assert refused.status_code == 400 and "attribute[anh_huong]" in refused.json()
    sent = client.post(
        "/api/v1/feedback/",
        {**body, "attributes": {"muc_nuoc": 10, "nguy_hiem": "khong", "anh_huong": ["ruong"]}},
        format="json",
        HTTP_IDEMPOTENCY_KEY="a2",
    )
    assert sent.status_code == 201 and sent.json()["attributes"] == {
        "muc_nuoc": "10",
        "nguy_hiem": "khong",
        "anh_huong": ["ruong"],
    }
    form = client.post(
        "/api/v1/feedback/",
        {**body, "attribute[muc_nuoc]": "3", "attribute[nguy_hiem]": "co", "attribute[anh_huong][]": ["nha"]},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="a3",
    )
    assert form.status_code == 201 and form.json()["attributes"]["anh_huong"] == ["nha"]
    assert Report.objects.count() == 2


def test_the_service_refuses_attributes_that_are_not_a_mapping(world, flood):
    with pytest.raises(ValidationError):
        file_report(world, service=flood, attributes=["muc_nuoc"])
    assert not Report.objects.exists()


def fieldset(page: str, code: str) -> str:
    return re.search(rf'<fieldset data-attributes-for="{code}".*?</fieldset>', page, re.S).group(0)


def test_the_filing_page_asks_the_chosen_category_s_questions_and_keeps_what_was_typed(world, flood):
    client = web_client(world.citizen)
    page = client.get("/feedback/new/").content.decode()
    assert 'name="attribute[muc_nuoc]"' in fieldset(page, "ngap-ung")
    assert 'name="attribute[anh_huong][nha]"' in page and "attribute[luu_y]" not in page
    data = {
        "service": flood.pk,
        "place": world.tree.new_khe_dua.pk,
        "description": "Nước ngập sân nhà văn hóa.",
        "attribute[muc_nuoc]": "nhiều lắm",
        "attribute[anh_huong][nha]": "on",
        "idempotency_key": "p1",
    }
    refused = client.post("/feedback/new/", data)
    assert refused.status_code == 400 and not Report.objects.exists()
    questions = fieldset(refused.content.decode(), "ngap-ung")
    assert "hidden" not in questions.split(">")[0]  # the chosen category's questions are open
    assert 'value="nhiều lắm"' in questions and "checked" in questions  # what the citizen typed is kept
    assert "Nước sâu bao nhiêu cm?” là một số" in questions and "Hãy trả lời “Có người bị đe dọa không?”" in questions
    assert "Nước ngập sân nhà văn hóa." in refused.content.decode()
    sent = client.post("/feedback/new/", {**data, "attribute[muc_nuoc]": "30", "attribute[nguy_hiem]": "khong"})
    report = Report.objects.get()
    assert sent.status_code == 302
    assert report.attributes == {"muc_nuoc": "30", "nguy_hiem": "khong", "anh_huong": ["nha"]}


def test_the_filing_page_ignores_the_questions_of_another_category(world, flood):
    data = {
        "service": world.road.pk,
        "place": world.tree.new_khe_dua.pk,
        "description": "Ổ gà.",
        "attribute[muc_nuoc]": "",
        "idempotency_key": "p2",
    }
    assert web_client(world.citizen).post("/feedback/new/", data).status_code == 302
    assert Report.objects.get().attributes == {}


def test_an_assisting_village_leader_answers_for_the_neighbour(world, flood):
    leader = make_user("village_team_leader", world.tree.new_khe_dua)
    report = file_report(
        world,
        actor=leader,
        service=flood,
        assisted=True,
        contact_name="Lò Văn Pọm",
        attributes={"muc_nuoc": "20", "nguy_hiem": "khong"},
    )
    assert report.attributes["nguy_hiem"] == "khong"


def test_only_the_office_and_the_reporter_see_the_answers(world, flood):
    open311_post(world, **GOOD)
    report = Report.objects.get()
    assert web_client(world.other_officer).get(f"/feedback/{report.pk}/").status_code == 404
    assert web_client(world.neighbour).get(f"/feedback/{report.pk}/").status_code == 404
    assert web_client().get(f"/feedback/{report.pk}/").status_code == 302  # to the login page
    assert api_client(world.other_officer).get(f"/api/v1/feedback/{report.pk}/").status_code == 404
    assert (
        api_client(world.officer).get(f"/api/v1/feedback/{report.pk}/").json()["attributes"]["ten_suoi"] == "Ngòi Thia"
    )


def test_answers_are_counted_per_category_in_the_statistics_and_the_excel_file(world, flood):
    for danger, affected in (("co", ["nha", "ruong"]), ("co", ["nha"]), ("khong", [])):
        answers = {"muc_nuoc": "20", "nguy_hiem": danger, "ghi_chu": "Gọi 0912 345 678"}
        file_report(world, service=flood, attributes={**answers, **({"anh_huong": affected} if affected else {})})
    client = web_client(world.admin)
    page = client.get("/feedback/statistics/").content.decode()
    assert "Có người bị đe dọa không?" in page and "0912" not in page
    excel = client.get("/feedback/statistics/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(excel.content))["Câu trả lời"]
    rows = {row[1:3]: row[3] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] == "Ngập úng"}
    assert rows[("Có người bị đe dọa không?", "Có")] == 2 and rows[("Có người bị đe dọa không?", "Không")] == 1
    assert rows[("Ảnh hưởng đến", "Nhà ở")] == 2 and rows[("Ảnh hưởng đến", "Ruộng")] == 1
    assert rows[("Nước sâu bao nhiêu cm?", "Có trả lời")] == 3 and rows[("Ghi chú thêm", "Có trả lời")] == 3
    assert "0912" not in str(list(sheet.iter_rows(values_only=True)))
