"""Every route as its readers meet it: the permission matrices, the confidential rule on every route, the
calendar invitation parsed back with icalendar, the pages and hostile input."""

import datetime

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tinhso.accounts.testing import make_user
from tinhso.core.testing import (
    READ,
    ApiMatrix,
    PageMatrix,
    api_client,
    database_state,
    fallback_file_name,
    saved_file_name,
    web_client,
)
from tinhso.meetings import ics, services
from tinhso.meetings.models import Document, Meeting

from .conftest import data


def _users(world):
    return {
        "secretary": world.secretary,
        "member": world.members[1],
        "officer": world.officer,
        "admin": world.admin,
        "outsider": world.outsider,
        "far_officer": world.far_officer,
        "citizen": world.citizen,
    }


def test_api_permission_matrix(world):
    days = iter(range(10, 100))  # a body meets once at a time: each allowed create on a day of its own

    def payload():
        start = (timezone.now() + datetime.timedelta(days=next(days))).replace(microsecond=0)
        return {
            "body": world.cell.pk,
            "title": "Họp chi bộ",
            "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
            "place": "Nhà văn hóa",
        }

    matrix = ApiMatrix("/api/v1/meetings/", Meeting, make=lambda: world.meeting, create=payload)
    full = READ | {"create"}
    matrix.check(
        _users(world),
        {"secretary": full, "member": READ, "officer": full, "admin": full},
        actions=("list", "detail", "create"),
    )


def test_page_permission_matrix(world):
    matrix = PageMatrix(
        "/meetings/", lambda m: f"/meetings/{m.pk}/", make=lambda: world.meeting, shows=lambda m: m.title
    )
    matrix.check(_users(world), {role: {"list", "detail"} for role in ("secretary", "member", "officer", "admin")})


def test_a_confidential_document_never_has_a_file_on_any_route(world):
    upload = SimpleUploadedFile("mat.pdf", b"%PDF-1.4 mat", content_type="application/pdf")
    before = database_state(Document)
    with pytest.raises(ValidationError) as error:
        services.add_document(
            world.meeting, actor=world.secretary, title="Báo cáo mật", number="12-BC/ĐU", confidential=True, file=upload
        )
    assert "không bao giờ tải tệp" in " ".join(error.value.messages)
    assert database_state(Document) == before
    secret = services.add_document(
        world.meeting, actor=world.secretary, title="Báo cáo mật", number="12-BC/ĐU", confidential=True
    )
    upload.seek(0)
    with pytest.raises(ValidationError):
        services.attach_file(secret, actor=world.secretary, file=upload)
    web = web_client(world.secretary)
    upload.seek(0)
    response = web.post(f"/meetings/{world.meeting.pk}/attach/", {"document": secret.pk, "file": upload}, follow=True)
    assert "không bao giờ tải tệp" in response.content.decode()
    secret.refresh_from_db()
    assert not secret.file
    rows = api_client(world.members[0]).get(f"/api/v1/meetings/{world.meeting.pk}/documents/").json()
    row = next(r for r in rows if r["id"] == secret.pk)
    assert row["confidential"] is True and "file_url" not in row and row["number"] == "12-BC/ĐU"
    for user in (world.secretary, world.members[0]):
        client = web_client(user)
        page = client.get(f"/meetings/documents/{secret.pk}/?download=1")
        assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
        assert "bản giấy" in page.content.decode()
        assert "application/pdf" not in page.get("Content-Type", "")
        detail = client.get(f"/meetings/{world.meeting.pk}/").content.decode()
        assert "12-BC/ĐU" in detail and f"/meetings/documents/{secret.pk}/" not in detail
    assert "12-BC/ĐU" not in ics.invitation(world.meeting).decode()


def test_an_ordinary_document_is_served_to_members_only(world):
    upload = SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4 du thao", content_type="application/pdf")
    document = services.add_document(world.meeting, actor=world.secretary, title="Dự thảo", file=upload)
    response = web_client(world.members[0]).get(f"/meetings/documents/{document.pk}/?download=1")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert saved_file_name(response) == "Dự thảo.pdf" and fallback_file_name(response) == "Du thao.pdf"
    assert web_client(world.outsider).get(f"/meetings/documents/{document.pk}/?download=1").status_code == 404
    row = api_client(world.members[0]).get(f"/api/v1/meetings/{world.meeting.pk}/documents/").json()[0]
    assert row["confidential"] is False and row["file_url"].endswith("?download=1")


def _parse(content: bytes):
    calendar = icalendar.Calendar.from_ical(content)
    event = next(iter(calendar.walk("VEVENT")))
    return calendar, event


def test_the_invitation_round_trips_through_icalendar(world):
    client = web_client(world.members[0])
    first = client.get(f"/meetings/{world.meeting.pk}/invite.ics")
    assert first.status_code == 200 and first["Content-Type"].startswith("text/calendar")
    calendar, event = _parse(first.content)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    assert event["DTSTART"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert event.decoded("DTSTART") == world.meeting.starts_at
    uid, sequence = str(event["UID"]), int(event["SEQUENCE"])
    services.reschedule(world.meeting, actor=world.secretary, data=data(days=6))
    _calendar, moved = _parse(client.get(f"/meetings/{world.meeting.pk}/invite.ics").content)
    assert str(moved["UID"]) == uid and int(moved["SEQUENCE"]) == sequence + 1
    services.cancel(world.meeting, actor=world.secretary, reason="Trùng lịch")
    cancelled, gone = _parse(client.get(f"/meetings/{world.meeting.pk}/invite.ics").content)
    assert str(cancelled["METHOD"]) == "CANCEL" and str(gone["STATUS"]) == "CANCELLED"
    assert str(gone["UID"]) == uid and int(gone["SEQUENCE"]) == sequence + 2


def test_the_token_link_works_without_a_session_for_the_invited_member_only(world):
    token = ics.invite_token(world.meeting, world.members[0])
    anonymous = web_client()
    assert anonymous.get(f"/meetings/{world.meeting.pk}/invite.ics?token={token}").status_code == 200
    assert anonymous.get(f"/meetings/{world.meeting.pk}/invite.ics").status_code == 404
    other = services.create_meeting(world.cell, actor=world.secretary, data=data(days=8))
    assert anonymous.get(f"/meetings/{other.pk}/invite.ics?token={token}").status_code == 404
    assert anonymous.get(f"/meetings/{world.meeting.pk}/invite.ics?token={token}x").status_code == 404
    outsider = ics.invite_token(world.meeting, world.outsider)
    assert anonymous.get(f"/meetings/{world.meeting.pk}/invite.ics?token={outsider}").status_code == 404


def test_the_secretary_pages_work(world):
    client = web_client(world.secretary)
    assert "Họp, sinh hoạt" in client.get("/meetings/").content.decode()
    form = client.get(f"/meetings/new/?body={world.cell.pk}")
    assert form.status_code == 200
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=20)).replace(second=0, microsecond=0)
    response = client.post(
        "/meetings/new/",
        {
            "body": world.cell.pk,
            "title": "Sinh hoạt chi bộ tháng sau",
            "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            "mode": "in_person",
            "place": "Nhà văn hóa thôn",
            "agenda": "Báo cáo tháng\nPhương hướng tháng tới",
        },
    )
    meeting = Meeting.objects.get(title="Sinh hoạt chi bộ tháng sau")
    assert response.status_code == 302 and meeting.agenda.count() == 2
    client.post(f"/meetings/{meeting.pk}/notify/")
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "Đã nhận" in page and "Chưa đủ tỷ lệ tối thiểu" in page
    checkin = client.get(f"/meetings/{meeting.pk}/checkin/").content.decode()
    assert "<svg" in checkin
    assert client.get(f"/meetings/{meeting.pk}/attendance/").status_code == 200
    home = client.get("/").content.decode()
    assert world.meeting.title in home and "Cuộc họp tới" in home


def test_the_past_is_refused_on_the_form_too(world):
    client = web_client(world.secretary)
    past = timezone.localtime(timezone.now() - datetime.timedelta(days=2))
    before = database_state(Meeting)
    response = client.post(
        "/meetings/new/",
        {
            "body": world.cell.pk,
            "title": "Họp bù",
            "starts_at": past.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (past + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "mode": "in_person",
            "place": "Thôn",
        },
    )
    assert response.status_code == 400 and "quá khứ" in response.content.decode()
    assert database_state(Meeting) == before


@pytest.mark.parametrize(
    "payload",
    [
        {"body": "x"},
        {"body": 1, "starts_at": "hôm qua", "ends_at": "mai"},
        {"body": 10**12, "starts_at": "2030-01-01T08:00:00+07:00", "ends_at": "2030-01-01T10:00:00+07:00"},
        {
            "title": "\u202eabc",
            "body": 1,
            "starts_at": "2030-01-01T08:00:00+07:00",
            "ends_at": "2030-01-01T10:00:00+07:00",
        },
    ],
)
def test_hostile_api_input_ends_in_4xx(world, payload):
    if payload.get("body") == 1:
        payload["body"] = world.cell.pk
    before = database_state(Meeting)
    response = api_client(world.secretary).post("/api/v1/meetings/", payload, format="json")
    assert 400 <= response.status_code < 500
    assert database_state(Meeting) == before


def test_hostile_check_in_input_ends_in_4xx(world):
    client = api_client(world.secretary)
    for payload in (
        {"user": "x"},
        {"user": 10**12, "status": "present"},
        {"status": "bay"},
        {"member_number": "0" * 40},
    ):
        response = client.post(f"/api/v1/meetings/{world.meeting.pk}/checkin/", payload, format="json")
        assert 400 <= response.status_code < 500, payload


def test_the_admin_lists_documents_without_any_file_field(world):
    secret = services.add_document(world.meeting, actor=world.secretary, title="Mật", number="1-BC", confidential=True)
    staff = make_user("province_admin", world.tree.lao_cai, is_staff=True)
    client = web_client(staff)
    page = client.get(f"/admin/meetings/document/{secret.pk}/change/")
    assert page.status_code == 200
    assert 'type="file"' not in page.content.decode() and "1-BC" in page.content.decode()
    assert client.get("/admin/meetings/body/").status_code == 200
    assert web_client(world.outsider).get(f"/admin/meetings/document/{secret.pk}/change/").status_code in (
        302,
        403,
        404,
    )
