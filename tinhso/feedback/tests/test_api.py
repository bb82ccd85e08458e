"""The API of citizen reports: filing, my reports, answer, transfer, close, rate; a permission matrix."""

import uuid

import pytest

from tinhso.accounts.testing import users_by_role
from tinhso.core.testing import ApiMatrix, api_client, database_state, web_client
from tinhso.feedback.models import Photo, Report, ReportEvent

from .conftest import file_report, photo_file

pytestmark = pytest.mark.django_db

URL = "/api/v1/feedback/"


def post_report(client, key=None, **fields):
    data = {"service": "duong-hu-hong", "description": "Cống bị tắc, nước tràn đường.", **fields}
    return client.post(URL, data, headers={"Idempotency-Key": key or str(uuid.uuid4())})


def test_a_citizen_files_a_report_with_photos_and_finds_it_among_their_own(world, django_capture_on_commit_callbacks):
    client = api_client(world.citizen)
    with django_capture_on_commit_callbacks(execute=True):  # the photo job runs after the answer, as on the worker
        response = post_report(client, place=world.tree.new_khe_dua.pk, photos=[photo_file(), photo_file("b.jpg")])
    assert response.status_code == 201, response.json()
    assert response.json()["photos"] == [] and response.json()["photos_pending"] == 2
    body = client.get(f"{URL}{response.json()['id']}/").json()
    assert body["routed_to_name"] == "UBND xã Xuân Ái" and len(body["photos"]) == 2 and body["photos_pending"] == 0
    assert web_client(world.citizen).get(body["photos"][0]).status_code == 200
    assert web_client(world.neighbour).get(body["photos"][0]).status_code == 404
    mine = client.get(URL, {"mine": "true"}).json()
    assert [row["id"] for row in mine["results"]] == [body["id"]]
    assert api_client(world.neighbour).get(URL, {"mine": "true"}).json()["results"] == []


def test_a_resend_with_the_same_key_returns_the_first_report(world):
    client = api_client(world.citizen)
    first = post_report(client, key="abc", place=world.tree.new_khe_dua.pk)
    again = post_report(client, key="abc", place=world.tree.new_khe_dua.pk)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again["Idempotent-Replayed"] == "true"
    conflict = post_report(client, key="abc", place=world.tree.new_khe_dua.pk, description="Khác hẳn")
    assert conflict.status_code == 409
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    "fields",
    [
        {},  # no location
        {"place": 999999},
        {"place": "abc"},
        {"place": 10**30},
        {"service": "khong-co", "place": "PLACE"},
        {"description": "x" * 4001, "place": "PLACE"},
        {"description": "", "place": "PLACE"},
        {"latitude": "91", "longitude": "104"},
        {"latitude": "NaN", "longitude": "Infinity"},
        {"photos": ["not a file"], "place": "PLACE"},
    ],
)
def test_bad_input_is_a_400_in_vietnamese_and_nothing_is_written(world, fields):
    fields = {name: world.tree.new_khe_dua.pk if value == "PLACE" else value for name, value in fields.items()}
    before = database_state(Report), database_state(Photo)
    response = post_report(api_client(world.citizen), **fields)
    assert response.status_code == 400, response.content
    assert (database_state(Report), database_state(Photo)) == before


def test_a_photo_that_is_not_an_image_is_refused(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("a.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
    response = post_report(api_client(world.citizen), place=world.tree.new_khe_dua.pk, photos=[fake])
    assert response.status_code == 400 and "ảnh" in str(response.json())
    assert not Report.objects.exists()


def test_without_a_key_nothing_is_filed(world):
    client = api_client(world.citizen)
    response = client.post(URL, {"service": "duong-hu-hong", "description": "x", "place": world.tree.new_khe_dua.pk})
    assert response.status_code == 400 and not Report.objects.exists()


def test_an_anonymous_visitor_cannot_file(world):
    assert post_report(api_client(), place=world.tree.new_khe_dua.pk).status_code in (401, 403)


def test_the_office_answers_and_the_reporter_rates(world, report):
    answered = api_client(world.officer).post(f"{URL}{report.pk}/answer/", {"answer": "Đã san gạt."})
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert api_client(world.neighbour).post(f"{URL}{report.pk}/rate/", {"rating": 5}).status_code == 404
    assert api_client(world.officer).post(f"{URL}{report.pk}/rate/", {"rating": 5}).status_code == 403
    assert api_client(world.citizen).post(f"{URL}{report.pk}/rate/", {"rating": 9}).status_code == 400
    rated = api_client(world.citizen).post(f"{URL}{report.pk}/rate/", {"rating": 5})
    assert rated.status_code == 200 and rated.json()["rating"] == 5
    closed = api_client(world.citizen).post(f"{URL}{report.pk}/close/", {})
    assert closed.json()["status"] == "closed"


def test_an_answer_from_an_office_the_report_is_not_routed_to_is_refused(world, report):
    before = database_state(Report), database_state(ReportEvent)
    assert api_client(world.other_officer).post(f"{URL}{report.pk}/answer/", {"answer": "X"}).status_code == 404
    assert api_client(world.department).post(f"{URL}{report.pk}/answer/", {"answer": "X"}).status_code == 403
    assert api_client(world.citizen).post(f"{URL}{report.pk}/answer/", {"answer": "X"}).status_code == 403
    assert (database_state(Report), database_state(ReportEvent)) == before


def test_a_transfer_moves_the_report_to_the_department(world, report):
    client = api_client(world.officer)
    assert client.post(f"{URL}{report.pk}/transfer/", {"organisation": world.transport.pk}).status_code == 400
    moved = client.post(f"{URL}{report.pk}/transfer/", {"organisation": world.transport.pk, "reason": "Cầu tỉnh"})
    assert moved.status_code == 200 and moved.json()["routed_to_name"] == "Sở Xây dựng"
    assert client.get(f"{URL}{report.pk}/").status_code == 404  # no longer the commune's


def test_an_anonymous_reporter_s_name_and_phone_are_hidden_from_the_office(world):
    report = file_report(world, is_anonymous=True)
    seen = api_client(world.officer).get(f"{URL}{report.pk}/").json()
    assert seen["contact_name"] == "" and seen["contact_phone"] == ""
    own = api_client(world.citizen).get(f"{URL}{report.pk}/").json()
    assert own["contact_phone"].endswith("912000008")


def test_permission_matrix(world):
    places = {
        "province_admin": world.tree.lao_cai,
        "dx_centre_staff": world.tree.lao_cai,
        "department_staff": world.tree.lao_cai,
        "commune_officer": world.tree.new_xuan_ai,
        "village_team_leader": world.tree.new_khe_dua,
        "citizen": world.tree.new_khe_dua,
        "other_commune_officer": world.tree.new_khanh_hoa,
    }
    roles = {"other_commune_officer": "commune_officer"}
    from tinhso.accounts.testing import make_user

    users = users_by_role({role: unit for role, unit in places.items() if role not in roles})
    users["other_commune_officer"] = make_user("commune_officer", places["other_commune_officer"])
    matrix = ApiMatrix(
        URL,
        Report,
        make=lambda: file_report(world, actor=world.neighbour),
        create={"service": "duong-hu-hong", "description": "Đèn đường hỏng", "place": world.tree.new_khe_dua.pk},
        headers=lambda: {"Idempotency-Key": str(uuid.uuid4())},
    )
    everyone = {"create"}
    readers = {"list", "detail", "create"}
    matrix.check(
        users,
        {
            "province_admin": readers,
            "dx_centre_staff": readers,
            "department_staff": readers,
            "commune_officer": readers,
            "village_team_leader": everyone,
            "citizen": everyone,
            "other_commune_officer": everyone,
        },
        actions={"list", "detail", "create", "update", "delete"},
    )


def test_filing_with_a_photo_takes_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    """The request path of the busiest write: no query per foreign key checked twice, none per photo byte."""
    client = api_client(world.citizen)
    post_report(client, place=world.tree.new_khe_dua.pk, photos=[photo_file()])  # warms the caches (content types)
    # 27: the place, the category, duplicates, routing, holidays, the report, its photo, two events, four change
    # log rows, the photo job, the work tracker, the reporter's message (and savepoints); 31 before these cuts.
    with django_assert_max_num_queries(27):
        response = post_report(client, place=world.tree.new_khe_dua.pk, photos=[photo_file()])
    assert response.status_code == 201
