"""The issue's bad input on the routes a person uses (API and pages): a clear Vietnamese error, nothing changed,
and 404 (not 403) for a member of another body."""

import datetime

import pytest
from django.utils import timezone

from tinhso.core.testing import api_client, database_state, web_client
from tinhso.meetings import services
from tinhso.meetings.models import Attendance, Body, Document, Meeting, Notice

from .conftest import data

pytestmark = pytest.mark.django_db


def _payload(world, starts_at, ends_at):
    return {
        "body": world.cell.pk,
        "title": "Họp chi bộ",
        "starts_at": starts_at.isoformat(),
        "ends_at": ends_at.isoformat(),
        "place": "Nhà văn hóa",
    }


@pytest.mark.parametrize(
    "shift, length, message",
    [
        (-datetime.timedelta(days=1), datetime.timedelta(hours=2), "quá khứ"),
        (datetime.timedelta(days=2), -datetime.timedelta(hours=1), "kết thúc sau khi bắt đầu"),
        (datetime.timedelta(days=2), datetime.timedelta(0), "kết thúc sau khi bắt đầu"),
    ],
)
def test_a_meeting_in_the_past_or_ending_before_it_starts_is_a_vietnamese_400(world, shift, length, message):
    start = (timezone.now() + shift).replace(microsecond=0)
    before = database_state(Meeting)
    response = api_client(world.secretary).post(
        "/api/v1/meetings/", _payload(world, start, start + length), format="json"
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert database_state(Meeting) == before


def test_the_page_refuses_a_notice_to_a_body_with_no_members(world):
    empty = Body.objects.create(unit=world.tree.new_xuan_ai, name="Tổ trống", kind="dx_team")
    meeting = services.create_meeting(empty, actor=world.officer, data=data())
    page = web_client(world.officer).post(f"/meetings/{meeting.pk}/notify/", follow=True).content.decode()
    assert "không có thành viên" in page
    assert not Notice.objects.filter(meeting=meeting).exists()


def test_a_foreign_code_on_the_check_in_page_is_refused(world):
    other = services.create_meeting(world.cell, actor=world.secretary, data=data(days=5))
    page = web_client(world.members[0]).post(
        f"/meetings/{world.meeting.pk}/checkin/", {"code": services.checkin_code(other)}, follow=True
    )
    assert page.status_code in (200, 400) and "cuộc họp khác" in page.content.decode()
    assert not Attendance.objects.exists()


def test_a_file_on_a_confidential_document_through_the_page_is_refused(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("mat.pdf", b"%PDF-1.4 mat", content_type="application/pdf")
    before = database_state(Document)
    page = web_client(world.secretary).post(
        f"/meetings/{world.meeting.pk}/document/",
        {"title": "Báo cáo mật", "number": "3-BC/ĐU", "confidential": "on", "file": upload},
        follow=True,
    )
    assert "không bao giờ tải tệp" in page.content.decode()
    assert database_state(Document) == before


def test_the_page_names_the_missing_clarities_and_writes_no_task(world):
    from tinhso.meetings.models import Decision

    page = web_client(world.secretary).post(
        f"/meetings/{world.meeting.pk}/decision/", {"title": "Việc", "owner": world.staff_owner.pk}, follow=True
    )
    assert page.status_code in (200, 400) and "5 rõ" in page.content.decode()
    assert not Decision.objects.exists()


def test_a_member_of_another_body_gets_404_on_every_route_of_the_meeting(world):
    document = services.add_document(world.meeting, actor=world.secretary, title="Dự thảo")
    pk = world.meeting.pk
    web, api = web_client(world.outsider), api_client(world.outsider)
    for url in (
        f"/meetings/{pk}/",
        f"/meetings/{pk}/attendance/",
        f"/meetings/{pk}/checkin/",
        f"/meetings/{pk}/invite.ics",
        f"/meetings/{pk}/invitation.pdf",
        f"/meetings/documents/{document.pk}/",
        f"/meetings/documents/{document.pk}/?download=1",
        f"/meetings/bodies/{world.cell.pk}/members/",
    ):
        assert web.get(url).status_code == 404, url
    before = database_state(Notice), database_state(Meeting)
    for action in ("notify", "cancel", "close", "agenda"):
        assert web.post(f"/meetings/{pk}/{action}/", {"reason": "x", "title": "x"}).status_code == 404, action
    for url in (f"/api/v1/meetings/{pk}/notify/", f"/api/v1/meetings/{pk}/checkin/"):
        assert api.post(url, {"code": services.checkin_code(world.meeting)}, format="json").status_code == 404, url
    assert (database_state(Notice), database_state(Meeting)) == before


def test_a_plain_member_may_see_but_not_notify(world):
    before = database_state(Notice)
    assert api_client(world.members[1]).post(f"/api/v1/meetings/{world.meeting.pk}/notify/").status_code == 403
    assert database_state(Notice) == before


@pytest.mark.parametrize("field", ["member_number", "reason"])
def test_a_nul_byte_typed_at_the_secretarys_desk_is_refused_in_words(world, field):
    """The member number went straight into a PostgreSQL query, which refuses NUL bytes (a 500 there)."""
    action, body = ("number", {}) if field == "member_number" else ("tick", {"status": "excused"})
    body |= {field: "00\x003", "user": world.members[1].pk}
    page = web_client(world.secretary).post(f"/meetings/{world.meeting.pk}/{action}/", body)
    assert page.status_code == 400 and "ký tự vô hình" in page.content.decode()  # the page again, with the reason
    assert not Attendance.objects.exists()
