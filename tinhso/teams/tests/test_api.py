"""The fixed API names of the teams module, as other systems call them."""

import datetime
import io
import uuid

from django.test import TestCase
from openpyxl import Workbook

from tinhso.accounts.testing import make_user
from tinhso.core.testing import api_client
from tinhso.teams.demo.activities import _illustration
from tinhso.teams.models import Activity, Member, Person

from .conftest import record

DAY = "2026-03-12"


def province(world):
    return api_client(make_user("dx_centre_staff", world.tree.lao_cai))


def activity_payload(world, **extra):
    return {
        "team": world.khe_dua.pk,
        "activity_type": "vneid",
        "date": DAY,
        "people_reached": 12,
        "households_reached": 7,
        **extra,
    }


def test_teams_by_level_within_a_unit_are_paginated_with_a_count(world):
    response = province(world).get("/api/v1/teams/", {"level": "village", "within": "04441"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3  # the merged Xuân Ái holds Khe Dứa, Nà Hẩu and Đồng Tâm
    assert {row["serves"]["code"] for row in body["results"]} == {"04441-01", "04441-02", "04426-01"}
    assert {"next", "previous", "results"} <= set(body)


def test_within_follows_the_structure_of_as_of(world):
    response = province(world).get("/api/v1/teams/", {"level": "village", "within": "04441", "as_of": "2024-06-01"})
    assert response.json()["count"] == 2
    commune = province(world).get("/api/v1/teams/", {"level": "commune", "within": "15", "as_of": "2024-06-01"})
    assert [row["name"] for row in commune.json()["results"]] == ["Tổ Chuyển đổi số cộng đồng xã Xuân Ái"]


def test_an_unknown_unit_code_is_a_clear_400(world):
    response = province(world).get("/api/v1/teams/", {"within": "99999"})
    assert response.status_code == 400
    assert "99999" in str(response.json())


def test_members_within_a_unit_are_paginated_with_a_count(world):
    response = province(world).get("/api/v1/teams/members/", {"within": "04441-01"})
    assert response.status_code == 200
    assert response.json()["count"] == 2
    person = response.json()["results"][0]["person"]
    assert {"full_name", "phone", "gender", "ethnicity", "ethnicity_name", "birth_year"} <= set(person)


def test_the_members_route_is_not_read_as_a_team(world):
    assert province(world).get("/api/v1/teams/members/").status_code == 200
    assert province(world).get("/api/v1/teams/activities/").status_code == 200
    assert province(world).get(f"/api/v1/teams/{world.khe_dua.pk}/").json()["name"].endswith("Khe Dứa")


def test_the_same_idempotency_key_twice_records_one_activity(world):
    client = api_client(make_user("village_team_leader", world.tree.khe_dua))
    key = str(uuid.uuid4())
    first = client.post("/api/v1/teams/activities/", activity_payload(world), format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = client.post("/api/v1/teams/activities/", activity_payload(world), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again["Idempotent-Replayed"] == "true"
    assert first.json()["id"] == again.json()["id"]
    assert Activity.objects.count() == 1
    assert first.json()["village_code"] == "04441-01"


def test_photos_come_as_multipart_and_are_served_only_to_those_who_may_see_them(world):
    leader = make_user("village_team_leader", world.tree.khe_dua)
    photo = io.BytesIO(_illustration(8, 6))
    photo.name = "anh.png"
    response = api_client(leader).post(
        "/api/v1/teams/activities/",
        {**activity_payload(world), "evidence": [photo]},
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="p-1",
    )
    assert response.status_code == 201, response.json()
    url = response.json()["evidence"][0]["url"]
    from tinhso.core.testing import web_client

    assert web_client(leader).get(url).status_code == 200
    assert web_client(make_user("village_team_leader", world.tree.dong_tam)).get(url).status_code == 404


def test_a_submission_needs_an_idempotency_key(world):
    client = api_client(make_user("village_team_leader", world.tree.khe_dua))
    response = client.post("/api/v1/teams/activities/", activity_payload(world), format="json")
    assert response.status_code == 400
    assert "Idempotency-Key" in str(response.json())
    assert not Activity.objects.exists()


def test_a_key_reused_with_other_details_is_a_409_naming_the_first_activity(world):
    client = api_client(make_user("village_team_leader", world.tree.khe_dua))
    first = client.post("/api/v1/teams/activities/", activity_payload(world), format="json", HTTP_IDEMPOTENCY_KEY="k")
    other = client.post(
        "/api/v1/teams/activities/", activity_payload(world, people_reached=99), format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert other.status_code == 409
    assert other.json()["activity"]["id"] == first.json()["id"]
    assert Activity.objects.count() == 1


def test_bad_fields_are_a_400_in_vietnamese(world):
    client = api_client(make_user("village_team_leader", world.tree.khe_dua))
    response = client.post(
        "/api/v1/teams/activities/", activity_payload(world, date="2099-01-01"), format="json", HTTP_IDEMPOTENCY_KEY="f"
    )
    assert response.status_code == 400
    assert "tương lai" in str(response.json())


def test_activities_list_filters_by_unit_and_dates(world):
    record(world.khe_dua, datetime.date(2026, 3, 1), key="a")
    record(world.dong_tam, datetime.date(2026, 5, 1), key="b")
    client = province(world)
    assert client.get("/api/v1/teams/activities/", {"within": "04441"}).json()["count"] == 2
    assert client.get("/api/v1/teams/activities/", {"within": "04441", "since": "2026-04-01"}).json()["count"] == 1


def workbook(rows, header=("Mã đơn vị", "Họ và tên", "Số điện thoại", "Giới tính", "Dân tộc", "Năm sinh", "Chức danh")):
    book = Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    book.save(output)
    output.seek(0)
    output.name = "thanh-vien.xlsx"
    return output


def import_job(client, upload) -> dict:
    """An import answers 202 with its job's address; the job (run here at commit) holds the outcome."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/api/v1/teams/members/import/", {"file": upload}, format="multipart")
    assert response.status_code == 202, response.json()
    return client.get(response["Location"]).json()


def test_an_import_with_a_bad_row_fails_its_job_listing_every_bad_row_and_adds_nobody(world):
    before = (Member.objects.count(), Person.objects.count())
    upload = workbook(
        [
            ("04441-02", "Lý Thị Mai", "0971000001", "Nữ", "Dao", 1990, "Thành viên"),
            ("99999-01", "Sùng A Chứ", "0971000002", "Nam", "H'Mông", 1988, "Thành viên"),
            ("04441-02", "Vàng Thị Sua", "12345", "Nữ", "Mông", 1995, "Tổ phó"),
            ("04441-02", "", "", "Nam", "Kinh", 3000, "Trưởng nhóm"),
        ]
    )
    job = import_job(province(world), upload)
    assert job["status"] == "failed"
    errors = job["result"]["errors"]
    assert sorted({error["row"] for error in errors}) == [3, 4, 5]
    assert any("99999-01" in error["message"] for error in errors)
    assert {error["column"] for error in errors if error["row"] == 5} == {"Họ và tên", "Năm sinh", "Chức danh"}
    assert (Member.objects.count(), Person.objects.count()) == before


def test_a_good_import_adds_everyone(world):
    upload = workbook(
        [
            ("04441-02", "Lý Thị Mai", "0971000001", "Nữ", "Dao", 1990, "Thành viên"),
            ("04441", "Lý Thị Mai", "0971000001", "Nữ", "Dao", 1990, "Thành viên"),
            ("04426-01", "Sùng A Chứ", "", "Nam", "H'Mông", 1988, ""),
        ]
    )
    job = import_job(province(world), upload)
    assert job["status"] == "succeeded", job
    assert job["result"]["created"] == 3
    mai = Person.objects.get(phone="0971000001")
    assert (mai.ethnicity, mai.memberships.count()) == ("09", 2)  # the new Xuân Ái commune team and Nà Hẩu


def test_the_api_gives_every_error_of_an_activity_at_once_with_dates_explained_in_vietnamese(world):
    client = api_client(make_user("village_team_leader", world.tree.khe_dua))
    payload = {**activity_payload(world), "date": "2099-01-01", "people_reached": -1}
    errors = client.post("/api/v1/teams/activities/", payload, format="json", HTTP_IDEMPOTENCY_KEY="a-1").json()
    assert set(errors) == {"date", "people_reached"} and "tương lai" in errors["date"][0]
    payload = {**activity_payload(world), "date": "31/02/2024"}
    errors = client.post("/api/v1/teams/activities/", payload, format="json", HTTP_IDEMPOTENCY_KEY="a-2").json()
    assert "ngày/tháng/năm, ví dụ 27/3/2024" in errors["date"][0]
    assert not Activity.objects.exists()
