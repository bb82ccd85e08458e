"""Every write of a person on the pages and the API leaves a line in the change log naming them, with the values
before and after; hostile input (huge numbers, invisible characters, nested JSON, bytes that are not UTF-8)
ends in 4xx with nothing written."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tinhso.accounts.testing import make_user
from tinhso.core.models import ObjectChange
from tinhso.core.testing import api_client, database_state, web_client
from tinhso.meetings.models import (
    AgendaItem,
    Attendance,
    BodyMember,
    Decision,
    Document,
    Meeting,
    Notice,
    Record,
)

pytestmark = pytest.mark.django_db
FORMAT = "%Y-%m-%dT%H:%M"


def change(obj, action="update") -> ObjectChange:
    kind = ContentType.objects.get_for_model(type(obj))
    return ObjectChange.objects.filter(object_type=kind, object_id=obj.pk, action=action).order_by("-id").first()


def _times(days, hour=8):
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=days)).replace(hour=hour, minute=0)
    return {"starts_at": start.strftime(FORMAT), "ends_at": (start + datetime.timedelta(hours=2)).strftime(FORMAT)}


def test_every_write_on_the_pages_and_the_api_is_logged_with_who_before_and_after(world):
    web = web_client(world.secretary)
    created = web.post(
        "/meetings/new/",
        {"body": world.cell.pk, "title": "Họp quý", "mode": "in_person", "place": "Thôn", "agenda": "Mục một"}
        | _times(10),
    )
    meeting = Meeting.objects.get(title="Họp quý")
    assert created.status_code == 302
    logged = change(meeting, "create")
    assert (logged.user, logged.prechange_data, logged.postchange_data["title"]) == (world.secretary, None, "Họp quý")
    assert change(meeting.agenda.get(), "create").user == world.secretary
    url = f"/meetings/{meeting.pk}"
    for action, post, model in (
        ("agenda", {"title": "Mục hai"}, AgendaItem),
        ("document", {"title": "Dự thảo", "access": "members"}, Document),
        ("tick", {"user": world.members[0].pk, "status": "excused", "reason": "Ốm"}, Attendance),
        ("record", {"kind": "minutes", "text": "Biên bản"}, Record),
    ):
        assert web.post(f"{url}/{action}/", post).status_code == 302, action
        row = model.objects.filter(**({"meeting": meeting})).order_by("-pk").first()
        assert change(row, "create").user == world.secretary, action
    assert web.post(f"{url}/notify/").status_code == 302
    notice = Notice.objects.get(meeting=meeting, user=world.members[1])
    assert change(notice, "create").user == world.secretary
    assert web_client(world.members[1]).get(f"{url}/").status_code == 200
    read = change(notice)
    assert (read.user, read.prechange_data["state"], read.postchange_data["state"]) == (
        world.members[1],
        "delivered",
        "read",
    )
    assert web_client(world.members[1]).post(f"{url}/confirm/").status_code == 302
    assert change(notice).postchange_data["state"] == "confirmed"
    assert web.post(f"{url}/publish/", {"kind": "minutes"}).status_code == 302
    published = change(Record.objects.get(meeting=meeting))
    assert (published.prechange_data["published"], published.postchange_data["published"]) == (False, True)
    old_start = meeting.starts_at
    moved = web.post(f"{url}/reschedule/", {"title": "Họp quý", "mode": "in_person", "place": "Xã"} | _times(11))
    assert moved.status_code == 302
    update = change(meeting)
    assert update.user == world.secretary and update.prechange_data["place"] == "Thôn"
    assert (update.prechange_data["sequence"], update.postchange_data["sequence"]) == (0, 1)
    assert update.prechange_data["starts_at"] != update.postchange_data["starts_at"]
    assert datetime.datetime.fromisoformat(update.prechange_data["starts_at"]) == old_start
    decision = web.post(
        f"{url}/decision/",
        {
            "title": "Cài VNeID",
            "owner": world.staff_owner.pk,
            "deadline": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
            "expected_output": "Danh sách",
            "resources": "Tổ",
            "coordination": "Thôn",
        },
    )
    assert decision.status_code == 302 and change(Decision.objects.get(), "create").user == world.secretary
    api = api_client(world.secretary)
    ticked = api.post(
        f"/api/v1/meetings/{meeting.pk}/checkin/",
        {"user": world.members[2].pk, "status": "excused", "reason": "Ốm"},
        format="json",
    )
    assert ticked.status_code == 200
    assert change(Attendance.objects.get(meeting=meeting, user=world.members[2]), "create").user == world.secretary
    assert web.post(f"{url}/cancel/", {"reason": "Bão"}).status_code == 302
    cancelled = change(meeting)
    assert (cancelled.prechange_data["status"], cancelled.postchange_data["status"]) == ("planned", "cancelled")


def test_membership_changes_are_logged_with_who_and_the_dates(world):
    newcomer = make_user(username="moi")
    web = web_client(world.officer)
    url = f"/meetings/bodies/{world.cell.pk}/members/"
    assert web.post(url, {"username": "moi", "role": "guest", "valid_from": "2025-01-01"}).status_code == 302
    row = BodyMember.objects.get(user=newcomer)
    added = change(row, "create")
    assert (added.user, added.postchange_data["role"], added.postchange_data["valid_from"]) == (
        world.officer,
        "guest",
        "2025-01-01",
    )
    assert web.post(f"{url}{row.pk}/end/", {"day": "2025-06-30"}).status_code == 302
    ended = change(row)
    assert (ended.user, ended.prechange_data["valid_to"], ended.postchange_data["valid_to"]) == (
        world.officer,
        None,
        "2025-06-30",
    )


# --- hostile input -------------------------------------------------------------------------------------


def _state():
    return tuple(database_state(model) for model in (Meeting, AgendaItem, Document, Attendance, Decision, BodyMember))


@pytest.mark.parametrize(
    "post, status",
    [
        ({"body": "abc"}, 404),
        ({"body": "9" * 30}, 404),
        ({"title": "Họp\u200b"}, 400),
        ({"place": "\u202eNhà văn hóa"}, 400),
        ({"title": "Họp\x00"}, 400),
        ({"title": "H" * 10_000}, 400),
        ({"repeat": "9" * 25}, 400),
        ({"skip": "31/2/2027"}, 400),
        ({"skip": "3/2/" + "9" * 30}, 400),
        ({"starts_at": "99999-01-01T08:00"}, 400),
        ({"mode": ["online", "in_person"], "online_link": "javascript:alert(1)"}, 400),
        ({"agenda": "Mục\u2066một"}, 400),
    ],
)
def test_hostile_input_on_the_create_page_ends_in_4xx_and_writes_nothing(world, post, status):
    valid = {"body": world.cell.pk, "title": "Họp", "mode": "in_person", "place": "Thôn"} | _times(12)
    before = _state()
    response = web_client(world.secretary).post("/meetings/new/", valid | post)
    assert response.status_code == status
    assert _state() == before


@pytest.mark.parametrize(
    "action, post",
    [
        ("tick", {"user": "9" * 30, "status": "present"}),
        ("tick", {"user": "-1", "status": "present"}),
        ("tick", {"user": "1", "status": "bay"}),
        ("number", {"member_number": "0" * 5000}),
        ("attach", {"document": "abc"}),
        ("attach", {"document": "9" * 30}),
        ("attach", {"document": "1e3"}),
        ("attach", {"document": "²"}),
        ("agenda", {"title": "Mục\u202e"}),
        ("agenda", {"title": "Mục", "presenter": "P" * 10_000}),
        ("document", {"title": "Dự thảo", "access": "bi_mat"}),
        ("document", {"title": "\u200b"}),
        ("decision", {"title": "Việc", "owner": str(2**63), "deadline": "2030-01-01"}),
        ("decision", {"title": "Việc", "owner": "1", "deadline": "99999-99-99"}),
        ("record", {"kind": "nhat_ky", "text": "x"}),
        ("record", {"kind": "minutes", "text": "Biên bản\u202e"}),
        ("reschedule", {"title": "Họp", "starts_at": "2030-01-01T10:00", "ends_at": "2030-01-01T08:00"}),
        ("cancel", {"reason": "\u200b\u200b"}),
        ("excuse", {"reason": "x"}),
    ],
)
def test_hostile_input_on_the_meeting_page_ends_in_4xx_and_writes_nothing(world, action, post):
    before = _state(), database_state(Record), database_state(Notice)
    response = web_client(world.secretary).post(f"/meetings/{world.meeting.pk}/{action}/", post)
    assert 400 <= response.status_code < 500, response.status_code
    assert (_state(), database_state(Record), database_state(Notice)) == before


@pytest.mark.parametrize(
    "post",
    [
        {"username": "bithu\u200b", "role": "member", "valid_from": "2025-01-01"},
        {"username": "moi", "role": "member", "valid_from": "99999-01-01"},
        {"username": "moi", "role": "member", "valid_from": "2025-01-01", "member_number": "\u200b"},
        {"username": "moi", "role": "member", "valid_from": "2025-01-01", "member_number": "9" * 31},
        {"username": "moi", "role": "president", "valid_from": "2025-01-01"},
        {"username": "moi", "role": "member", "valid_from": "2025-01-01", "valid_to": "2024-12-31"},
        {"username": "x" * 10_000, "role": "member", "valid_from": "2025-01-01"},
    ],
)
def test_hostile_input_on_the_members_page_ends_in_400_and_writes_nothing(world, post):
    make_user(username="moi")
    before = _state()
    response = web_client(world.secretary).post(f"/meetings/bodies/{world.cell.pk}/members/", post)
    assert response.status_code == 400
    assert _state() == before


@pytest.mark.parametrize("day", ["2026-02-30", "", "9" * 40, "2023-12-31"])
def test_hostile_days_ending_a_membership_end_in_400(world, day):
    row = BodyMember.objects.get(user=world.members[0])
    before = _state()
    response = web_client(world.secretary).post(f"/meetings/bodies/{world.cell.pk}/members/{row.pk}/end/", {"day": day})
    assert response.status_code == 400
    assert _state() == before


@pytest.mark.parametrize(
    "url",
    ["agenda", "new", "members"],
)
def test_bytes_that_are_not_utf8_on_the_forms_end_in_400(world, url):
    url = {
        "agenda": f"/meetings/{world.meeting.pk}/agenda/",
        "new": "/meetings/new/",
        "members": f"/meetings/bodies/{world.cell.pk}/members/",
    }[url]
    before = _state()
    response = web_client(world.secretary).generic(
        "POST",
        url,
        b"title=H\xff\xfe\xc3p&username=\xff&valid_from=2025-01-01&body=" + str(world.cell.pk).encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert 400 <= response.status_code < 500
    assert _state() == before


@pytest.mark.parametrize(
    "payload",
    [
        {"body": 10**30},
        {"body": -1},
        {"body": {"id": {"id": [[[[1]]]]}}},
        {"title": {"vi": "Họp"}},
        {"title": ["Họp"]},
        {"agenda": [{"title": {"x": [1, 2, {"y": None}]}}]},
        {"agenda": [[{"title": "a"}]]},
        {"agenda": "Mục một"},
        {"agenda": [{"title": "Mục", "starts_at": "25:61"}]},
        {"agenda": [{"title": "Mục\u200d"}]},
        {"starts_at": "9999-12-31T23:59:59-12:00", "ends_at": "9999-12-31T23:59:59+14:00"},
        {"starts_at": 10**30},
        {"mode": {"online": True}},
        {"online_link": "https://" + "a" * 600 + ".vn", "mode": "online"},
    ],
)
def test_hostile_api_payloads_end_in_400_and_write_nothing(world, payload):
    start = timezone.now() + datetime.timedelta(days=14)
    valid = {
        "body": world.cell.pk,
        "title": "Họp",
        "starts_at": start.isoformat(),
        "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
        "place": "Thôn",
    }
    before = _state()
    response = api_client(world.secretary).post("/api/v1/meetings/", valid | payload, format="json")
    assert response.status_code == 400, response.content
    assert _state() == before


@pytest.mark.parametrize(
    "body",
    [b'{"body": 1, "title": "H\xff\xfe"}', b"[" * 100_000 + b"]" * 100_000, b'{"body": ' * 5000, b"\x00\x01\x02"],
    ids=["not-utf8", "deeply-nested", "unclosed", "binary"],
)
def test_broken_json_ends_in_400(world, body):
    client = api_client(world.secretary)
    before = _state()
    for url in ("/api/v1/meetings/", f"/api/v1/meetings/{world.meeting.pk}/checkin/"):
        response = client.generic("POST", url, body, content_type="application/json")
        assert response.status_code == 400, (url, response.status_code)
    assert _state() == before


@pytest.mark.parametrize(
    "payload",
    [
        {"user": 10**30, "status": "present"},
        {"user": {"id": 1}},
        {"member_number": ["001"]},
        {"member_number": "00\u200b2"},
        {"code": {"nested": ["x"] * 10}},
        {"code": "x" * 301},
        {"status": "present", "user": -5},
    ],
)
def test_hostile_check_in_payloads_end_in_4xx_and_write_nothing(world, payload):
    before = _state()
    response = api_client(world.secretary).post(f"/api/v1/meetings/{world.meeting.pk}/checkin/", payload, format="json")
    assert 400 <= response.status_code < 500, response.content
    assert _state() == before
