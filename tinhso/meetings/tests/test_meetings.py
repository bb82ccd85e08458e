"""Meetings as their people notice them: creating, bad input refused in Vietnamese with nothing changed,
notices per person, check-in codes, quorum rules, resolutions that become tasks, and 404 for outsiders."""

import datetime

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tinhso.core.models import Message
from tinhso.core.testing import api_client, database_state, web_client
from tinhso.meetings import services
from tinhso.meetings.models import Attendance, Body, Decision, Meeting, Notice
from tinhso.work.models import WorkItem

from .conftest import data, member


def test_the_secretary_creates_a_meeting_with_its_agenda(world):
    assert world.meeting.agenda.get().title == "Báo cáo tháng"
    assert world.meeting.sequence == 0 and world.meeting.ical_uid.endswith("@tinhso")


@pytest.mark.parametrize(
    "values, message",
    [
        ({"days": -1}, "quá khứ"),
        ({"ends_at": timezone.now()}, "kết thúc sau khi bắt đầu"),
        ({"mode": "online"}, "đường dẫn"),
    ],
)
def test_bad_meetings_are_refused_in_vietnamese_and_nothing_is_written(world, values, message):
    days = values.pop("days", 3)
    meeting_data = data(days=days, **values)
    if "ends_at" in values:
        meeting_data.ends_at = meeting_data.starts_at - datetime.timedelta(hours=1)
    before = database_state(Meeting)
    with pytest.raises(ValidationError) as error:
        services.create_meeting(world.cell, actor=world.secretary, data=meeting_data)
    assert message in " ".join(error.value.messages)
    assert database_state(Meeting) == before


def test_a_plain_member_cannot_create_a_meeting(world):
    with pytest.raises(PermissionDenied):
        services.create_meeting(world.cell, actor=world.members[1], data=data())


def test_the_notice_goes_to_every_member_once_per_revision(world):
    notices = services.send_notices(world.meeting, actor=world.secretary)
    assert len(notices) == 5
    assert {n.state for n in notices} == {"delivered"}
    assert Message.objects.filter(kind="meetings.notice").count() == 5
    assert services.send_notices(world.meeting, actor=world.secretary) == []
    services.reschedule(world.meeting, actor=world.secretary, data=data(days=4))
    assert len(services.send_notices(world.meeting, actor=world.secretary)) == 5
    assert Notice.objects.filter(meeting=world.meeting).count() == 10


def test_notice_states_read_confirmed_excused(world):
    services.send_notices(world.meeting, actor=world.secretary)
    reader, comer, absentee = world.members[:3]
    services.mark_notice_read(world.meeting, reader)
    services.answer_notice(world.meeting, actor=comer, attend=True)
    with pytest.raises(ValidationError):
        services.answer_notice(world.meeting, actor=absentee, attend=False, reason="  ")
    services.answer_notice(world.meeting, actor=absentee, attend=False, reason="Đi công tác")
    states = {member.user_id: notice.state for member, notice in services.notice_states(world.meeting)}
    assert states[reader.pk] == "read" and states[comer.pk] == "confirmed" and states[absentee.pk] == "excused"
    assert Message.objects.get(recipient=reader, kind="meetings.notice").read_at is not None


def test_a_notice_to_a_body_with_no_members_is_refused(world):
    empty = Body.objects.create(unit=world.tree.new_xuan_ai, name="Tổ trống", kind="dx_team")
    meeting = services.create_meeting(empty, actor=world.officer, data=data())
    response = api_client(world.officer).post(f"/api/v1/meetings/{meeting.pk}/notify/")
    assert response.status_code == 400
    assert "không có thành viên" in response.content.decode()
    assert not Notice.objects.filter(meeting=meeting).exists()


def test_check_in_by_qr_code_member_number_and_secretary(world):
    start = world.meeting.starts_at
    code = services.checkin_code(world.meeting)
    services.check_in(world.meeting, actor=world.members[0], code=code, now=start)
    services.check_in(
        world.meeting, actor=world.secretary, member_number="003", now=start + datetime.timedelta(minutes=30)
    )
    services.check_in(world.meeting, actor=world.secretary, user=world.members[2], status="excused", reason="Ốm")
    statuses = dict(Attendance.objects.values_list("user__username", "status"))
    assert statuses == {"dangvien0": "present", "dangvien1": "late", "dangvien2": "excused"}
    assert Attendance.objects.get(user=world.members[0]).method == "qr"


def test_an_expired_or_foreign_code_is_refused_with_a_vietnamese_400(world, settings):
    other = services.create_meeting(world.cell, actor=world.secretary, data=data(days=5))
    foreign = services.checkin_code(other)
    client = api_client(world.members[0])
    response = client.post(f"/api/v1/meetings/{world.meeting.pk}/checkin/", {"code": foreign}, format="json")
    assert response.status_code == 400 and "cuộc họp khác" in response.content.decode()
    expired = _code_signed_long_ago(world.meeting)
    response = client.post(f"/api/v1/meetings/{world.meeting.pk}/checkin/", {"code": expired}, format="json")
    assert response.status_code == 400 and "hết hạn" in response.content.decode()
    response = client.post(f"/api/v1/meetings/{world.meeting.pk}/checkin/", {"code": "rác"}, format="json")
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def _code_signed_long_ago(meeting) -> str:
    class LongAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(timezone.now().timestamp()) - services.CHECKIN_SECONDS - 60)

    return LongAgo(salt=services.CHECKIN_SALT).sign(str(meeting.pk))


def test_an_outsider_cannot_check_in_with_the_right_code(world):
    code = services.checkin_code(world.meeting)
    with pytest.raises(ValidationError):
        services.check_in(world.meeting, actor=world.outsider, code=code, now=world.meeting.starts_at)


def _attend(meeting, secretary, people, status="present"):
    for person in people:
        services.check_in(meeting, actor=secretary, user=person, status=status, reason="Ốm", now=meeting.starts_at)


def test_more_than_half_is_needed_by_default(world):
    everyone = [world.secretary, *world.members]  # 5 members
    _attend(world.meeting, world.secretary, everyone[:2])
    assert services.attendance_summary(world.meeting)["quorum"] is False
    _attend(world.meeting, world.secretary, everyone[2:3])
    summary = services.attendance_summary(world.meeting)
    assert summary["quorum"] is True and summary["present"] == 3 and summary["absent"] == 2


def test_at_least_two_thirds_for_a_peoples_committee(world):
    committee = Body.objects.create(
        unit=world.tree.new_xuan_ai,
        name="UBND xã Xuân Ái",
        kind="peoples_committee",
        quorum_numerator=2,
        quorum_denominator=3,
        quorum_comparison="at_least",
    )
    people = [member(committee, f"uv{i}") for i in range(6)]
    meeting = services.create_meeting(committee, actor=world.officer, data=data())
    _attend(meeting, world.officer, people[:3])
    assert services.attendance_summary(meeting)["quorum"] is False
    _attend(meeting, world.officer, people[3:4])  # 4 of 6 is exactly two thirds: "at least" holds
    assert services.attendance_summary(meeting)["quorum"] is True
    committee.quorum_comparison = "more_than"
    committee.save()
    meeting.refresh_from_db()
    assert services.attendance_summary(meeting)["quorum"] is False


def test_guests_do_not_count_for_the_quorum(world):
    guest = member(world.cell, "khach", "guest")
    _attend(world.meeting, world.secretary, [guest, world.secretary])
    summary = services.attendance_summary(world.meeting)
    assert summary["invited"] == 5 and summary["present"] == 1


def test_the_attendance_api_answers_the_quorum(world):
    _attend(world.meeting, world.secretary, [world.secretary, *world.members[:2]])
    body = api_client(world.members[3]).get(f"/api/v1/meetings/{world.meeting.pk}/attendance/").json()
    assert body["quorum"] is True
    assert (body["present"], body["excused"], body["absent"], body["invited"]) == (3, 0, 2, 5)


def test_a_decision_with_the_five_clarities_becomes_a_work_item(world):
    decision = services.add_decision(
        world.meeting,
        actor=world.secretary,
        title="Vận động 100% hộ cài VNeID",
        owner=world.staff_owner,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        expected_output="Danh sách hộ đã cài",
        resources="Tổ công nghệ số cộng đồng",
        coordination="Chi hội phụ nữ thôn",
    )
    item = WorkItem.objects.get(pk=decision.work_item_id)
    assert item.assignee == world.staff_owner and item.source_kind == "meeting_decision"
    assert item.source == decision
    # the secretary who runs the cell is the giver the item shows, though they are not the owner's manager
    assert item.assigned_by == world.secretary
    page = web_client(world.staff_owner).get(item.get_absolute_url()).content.decode()
    assert world.secretary.get_full_name() in page


def test_a_unit_officer_who_is_not_the_chair_records_the_decision_in_the_systems_name(world):
    decision = services.add_decision(
        world.meeting,
        actor=world.officer,
        title="Rà soát hộ nghèo",
        owner=world.staff_owner,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        expected_output="Danh sách",
        resources="Ngân sách xã",
        coordination="Trưởng thôn",
    )
    assert decision.work_item.assigned_by is None


def test_the_source_rule_does_not_let_a_chair_give_other_work(world):
    from tinhso.work import services as work

    with pytest.raises(PermissionDenied):
        work.create_item(
            actor=world.secretary,
            assignee=world.staff_owner,
            title="Việc riêng",
            due_date=timezone.localdate() + datetime.timedelta(days=3),
        )


def test_a_decision_without_the_five_clarities_is_refused_naming_what_is_missing(world):
    before = database_state(Decision), database_state(WorkItem)
    with pytest.raises(ValidationError) as error:
        services.add_decision(
            world.meeting, actor=world.secretary, title="Việc", owner=world.staff_owner, deadline=None
        )
    text = " ".join(error.value.messages)
    assert "5 rõ" in text and "thời hạn" in text and "phối hợp" in text
    assert (database_state(Decision), database_state(WorkItem)) == before


def test_cancel_needs_a_reason_and_raises_the_sequence(world):
    with pytest.raises(ValidationError):
        services.cancel(world.meeting, actor=world.secretary, reason=" ")
    meeting = services.cancel(world.meeting, actor=world.secretary, reason="Trùng lịch họp xã")
    assert meeting.status == "cancelled" and meeting.sequence == 1


def test_outsiders_get_404_for_the_meeting_and_its_documents(world):
    document = services.add_document(world.meeting, actor=world.secretary, title="Dự thảo nghị quyết")
    client = api_client(world.outsider)
    for url in (
        f"/api/v1/meetings/{world.meeting.pk}/",
        f"/api/v1/meetings/{world.meeting.pk}/documents/",
        f"/api/v1/meetings/{world.meeting.pk}/attendance/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/api/v1/meetings/{world.meeting.pk}/notify/").status_code == 404
    from tinhso.core.testing import web_client

    web = web_client(world.outsider)
    for url in (
        f"/meetings/{world.meeting.pk}/",
        f"/meetings/documents/{document.pk}/",
        f"/meetings/{world.meeting.pk}/invite.ics",
    ):
        assert web.get(url).status_code == 404, url


def test_a_monthly_series_on_the_same_day_leaves_out_the_exceptions(world):
    first = data(days=40)
    skip = services._same_day_months_later(first.starts_at, 2)
    meetings = services.create_series(
        world.cell, actor=world.secretary, data=first, months=4, skip=[timezone.localtime(skip).date()]
    )
    days = [timezone.localtime(m.starts_at).day for m in meetings]
    assert len(meetings) == 3 and len(set(days)) == 1
    assert len({m.ical_uid for m in meetings}) == 3


def test_a_series_in_the_past_writes_nothing(world):
    before = database_state(Meeting)
    with pytest.raises(ValidationError):
        services.create_series(world.cell, actor=world.secretary, data=data(days=-40), months=3)
    assert database_state(Meeting) == before


def test_rescheduling_on_the_page_notifies_again(world):
    from tinhso.core.testing import web_client

    services.send_notices(world.meeting, actor=world.secretary)
    start, end = data(days=9).starts_at, data(days=9).ends_at
    fmt = "%Y-%m-%dT%H:%M"
    web_client(world.secretary).post(
        f"/meetings/{world.meeting.pk}/reschedule/",
        {
            "title": world.meeting.title,
            "starts_at": timezone.localtime(start).strftime(fmt),
            "ends_at": timezone.localtime(end).strftime(fmt),
            "mode": "in_person",
            "place": "Hội trường xã",
        },
    )
    world.meeting.refresh_from_db()
    assert world.meeting.sequence == 1 and world.meeting.place == "Hội trường xã"
    assert Notice.objects.filter(meeting=world.meeting, revision=1).count() == 5


def _checkin_queries(meeting, person) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client(person)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            f"/api/v1/meetings/{meeting.pk}/checkin/", {"code": services.checkin_code(meeting)}, format="json"
        )
    assert response.status_code == 200, response.content
    return len(queries)


def test_a_check_in_costs_the_same_few_queries_in_a_body_of_5_or_of_45(world):
    """A storm of arrivals stays cheap: nothing in a check-in (nor the live count it answers) reads the body's
    members or attendance row by row."""
    start = timezone.now() + datetime.timedelta(minutes=30)
    meeting = services.create_meeting(
        world.cell,
        actor=world.secretary,
        data=services.MeetingData(
            title="Hội nghị", starts_at=start, ends_at=start + datetime.timedelta(hours=2), place="Hội trường"
        ),
    )
    _checkin_queries(meeting, world.members[0])  # the process's caches (content types) warm up
    small = _checkin_queries(meeting, world.members[1])
    more = [member(world.cell, f"them{i}") for i in range(40)]
    for person in more[:20]:
        services.check_in(meeting, actor=person, code=services.checkin_code(meeting))
    large = _checkin_queries(meeting, world.members[2])
    assert large == small <= 11
    summary = api_client(world.secretary).get(f"/api/v1/meetings/{meeting.pk}/attendance/").json()
    assert (summary["invited"], summary["present"], summary["quorum"]) == (45, 23, True)  # 23 of 45: more than half


def test_a_second_scan_keeps_the_first_arrival(world):
    code = services.checkin_code(world.meeting)
    start = world.meeting.starts_at
    first = services.check_in(world.meeting, actor=world.members[0], code=code, now=start)
    again = services.check_in(world.meeting, actor=world.members[0], code=code, now=start + datetime.timedelta(hours=1))
    assert again.pk == first.pk
    stored = Attendance.objects.get(meeting=world.meeting, user=world.members[0])
    assert (stored.status, stored.at) == ("present", start)
    # the secretary can still correct it
    services.check_in(world.meeting, actor=world.secretary, user=world.members[0], status="excused", reason="Về sớm")
    assert Attendance.objects.get(meeting=world.meeting, user=world.members[0]).status == "excused"
