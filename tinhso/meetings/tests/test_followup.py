"""After the notice: reminders, minutes and resolution published, decisions turned into tasks on the page,
documents read and their QR target."""

import datetime

from django.utils import timezone

from tinhso.core.models import Message
from tinhso.core.testing import database_state, web_client
from tinhso.meetings import services
from tinhso.meetings.models import Decision, Record
from tinhso.meetings.reminders import UNCLOSED_DAYS, meeting_reminders
from tinhso.work.models import WorkItem


def test_members_who_have_not_answered_are_reminded_the_day_before_once(world):
    services.send_notices(world.meeting, actor=world.secretary)
    services.answer_notice(world.meeting, actor=world.members[0], attend=True)
    day_before = world.meeting.starts_at - datetime.timedelta(hours=20)
    assert meeting_reminders(day_before) == 4
    assert meeting_reminders(day_before) == 4  # the same dedupe key: nobody is told twice
    reminded = Message.objects.filter(kind="meetings.notice", subject__startswith="Nhắc")
    assert reminded.count() == 4 and not reminded.filter(recipient=world.members[0]).exists()


def test_the_secretary_is_reminded_of_a_meeting_left_unclosed(world):
    later = world.meeting.ends_at + datetime.timedelta(days=UNCLOSED_DAYS + 1)
    meeting_reminders(later)
    assert Message.objects.filter(kind="meetings.unclosed", recipient=world.secretary).count() == 1
    assert not Message.objects.filter(kind="meetings.unclosed", recipient=world.members[0]).exists()


def test_minutes_and_resolution_are_written_then_published_and_frozen(world):
    client = web_client(world.secretary)
    url = f"/meetings/{world.meeting.pk}/"
    client.post(url + "record/", {"kind": "resolution", "number": "05-NQ/CB", "text": "Nghị quyết tháng"})
    assert "Nghị quyết tháng" not in web_client(world.members[0]).get(url).content.decode()
    client.post(url + "publish/", {"kind": "resolution"})
    record = Record.objects.get(meeting=world.meeting, kind="resolution")
    assert record.published and "Nghị quyết tháng" in web_client(world.members[0]).get(url).content.decode()
    response = client.post(url + "record/", {"kind": "resolution", "text": "Sửa"}, follow=True)
    assert "đã ban hành" in response.content.decode().lower()
    record.refresh_from_db()
    assert record.text == "Nghị quyết tháng"


def test_the_page_turns_a_decision_into_a_task_or_names_the_missing_clarities(world):
    client = web_client(world.secretary)
    url = f"/meetings/{world.meeting.pk}/decision/"
    before = database_state(WorkItem)
    response = client.post(url, {"title": "Vận động cài VNeID", "owner": world.staff_owner.pk}, follow=True)
    assert "5 rõ" in response.content.decode() and database_state(WorkItem) == before
    deadline = (timezone.localdate() + datetime.timedelta(days=20)).isoformat()
    client.post(
        url,
        {
            "title": "Vận động cài VNeID",
            "owner": world.staff_owner.pk,
            "deadline": deadline,
            "expected_output": "Danh sách hộ",
            "resources": "Tổ công nghệ số",
            "coordination": "Chi hội phụ nữ",
        },
    )
    decision = Decision.objects.get()
    assert decision.work_item.assignee == world.staff_owner
    page = client.get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert "Vận động cài VNeID" in page and "0%" in page


def test_an_outsider_scanning_a_document_qr_gets_a_polite_404(world):
    document = services.add_document(world.meeting, actor=world.secretary, title="Dự thảo")
    response = web_client(world.outsider).get(f"/meetings/documents/{document.pk}/")
    assert response.status_code == 404 and "thư ký" in response.content.decode()
    web_client(world.members[0]).get(f"/meetings/documents/{document.pk}/")
    page = web_client(world.secretary).get(f"/meetings/documents/{document.pk}/").content.decode()
    assert "<svg" in page and world.members[0].full_name in page


def test_a_guest_does_not_see_documents_for_members_only(world):
    from .conftest import member

    guest = member(world.cell, "khach", "guest")
    services.add_document(world.meeting, actor=world.secretary, title="Chỉ đảng viên", access="members")
    services.add_document(world.meeting, actor=world.secretary, title="Cho khách mời", access="guests")
    page = web_client(guest).get(f"/meetings/{world.meeting.pk}/").content.decode()
    assert "Cho khách mời" in page and "Chỉ đảng viên" not in page


def test_the_printable_invitation_and_the_published_resolution_are_decree_30_pdfs(world):
    services.add_document(world.meeting, actor=world.secretary, title="Mật", number="09-BC/ĐU", confidential=True)
    member_client = web_client(world.members[0])
    invitation = member_client.get(f"/meetings/{world.meeting.pk}/invitation.pdf")
    assert invitation.status_code == 200 and invitation.content.startswith(b"%PDF")
    assert web_client(world.outsider).get(f"/meetings/{world.meeting.pk}/invitation.pdf").status_code == 404
    record = services.save_record(world.meeting, actor=world.secretary, kind="resolution", text="Nghị quyết")
    assert member_client.get(f"/meetings/{world.meeting.pk}/resolution.pdf").status_code == 404
    services.publish_record(record, actor=world.secretary)
    assert member_client.get(f"/meetings/{world.meeting.pk}/resolution.pdf").content.startswith(b"%PDF")
    assert member_client.get(f"/meetings/{world.meeting.pk}/bogus.pdf").status_code == 404
