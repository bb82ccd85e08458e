"""The office takes a report up, answers, transfers, notes, closes; the reporter rates or reopens."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tinhso.core.context import acting_as
from tinhso.core.models import Message
from tinhso.core.testing import database_state
from tinhso.feedback import services
from tinhso.feedback.models import Report
from tinhso.work.models import StaffMember, WorkItem

pytestmark = pytest.mark.django_db


def told(world) -> list[str]:
    return list(Message.objects.filter(recipient=world.citizen).order_by("pk").values_list("subject", flat=True))


def test_every_status_change_tells_the_reporter(world, report):
    services.start_handling(report, actor=world.officer)
    services.answer_report(report, actor=world.officer, answer="Xã đã cho san gạt, đường đi lại được.")
    services.close_report(report, actor=world.citizen)
    subjects = told(world)
    assert len(subjects) == 4  # received, being handled, answered, closed
    report.refresh_from_db()
    assert report.status == "closed" and report.answered_at is not None
    assert [event.kind for event in report.events.all()] == ["created", "routed", "status", "answered", "closed"]


def test_an_office_the_report_is_not_routed_to_cannot_answer(world, report):
    before = database_state(Report)
    for outsider in (world.other_officer, world.department, world.village_head, world.neighbour):
        with pytest.raises(PermissionDenied):
            services.answer_report(report, actor=outsider, answer="Không phải việc của tôi.")
    assert database_state(Report) == before


def test_the_district_above_cannot_answer_in_the_commune_s_place(world, report):
    from tinhso.accounts.testing import make_user

    district = make_user("commune_officer", world.tree.lao_cai)  # a role above the commune's office
    with pytest.raises(PermissionDenied):
        services.answer_report(report, actor=district, answer="Trả lời thay.")


def test_a_department_officer_answers_only_for_their_own_department(world):
    from tinhso.accounts.testing import make_user
    from tinhso.units.models import Organisation

    from .conftest import file_report

    report = file_report(world, service=world.bridge)
    energy = Organisation.objects.create(name="Sở Công Thương", kind="department", unit=world.tree.lao_cai)
    engineer, trader = make_user("department_staff", world.tree.lao_cai), world.department
    with acting_as(None, source="test"):
        StaffMember.objects.create(user=engineer, organisation=world.transport)
        StaffMember.objects.create(user=trader, organisation=energy)
    with pytest.raises(PermissionDenied):
        services.answer_report(report, actor=trader, answer="Không thuộc lĩnh vực.")
    services.answer_report(report, actor=engineer, answer="Sở đã kiểm tra cầu.")


def test_a_transfer_needs_a_reason_and_moves_the_report_to_the_other_office(world, report):
    with pytest.raises(ValidationError):
        services.transfer_report(report, actor=world.officer, organisation=world.transport, reason=" ")
    services.transfer_report(report, actor=world.officer, organisation=world.transport, reason="Cầu do Sở quản lý")
    report.refresh_from_db()
    assert report.routed_to == world.transport and report.unit == world.tree.lao_cai
    with pytest.raises(PermissionDenied):  # the commune no longer handles it
        services.answer_report(report, actor=world.officer, answer="...")


def test_only_the_reporter_rates_and_only_once_answered(world, report):
    with pytest.raises(ValidationError):
        services.rate_report(report, actor=world.citizen, rating=5)
    services.answer_report(report, actor=world.officer, answer="Đã sửa.")
    for other in (world.neighbour, world.officer, world.admin):
        with pytest.raises(PermissionDenied):
            services.rate_report(report, actor=other, rating=1)
    for bad in (0, 6, "năm", None):
        with pytest.raises(ValidationError):
            services.rate_report(report, actor=world.citizen, rating=bad)
    services.rate_report(report, actor=world.citizen, rating="4")
    report.refresh_from_db()
    assert report.rating == 4


def test_the_reporter_reopens_within_the_window_and_not_after(world, report, settings):
    services.answer_report(report, actor=world.officer, answer="Đã sửa.")
    services.reopen_report(report, actor=world.citizen, reason="Vẫn còn sạt.")
    report.refresh_from_db()
    assert report.status == "in_progress"
    services.answer_report(report, actor=world.officer, answer="Đã sửa lần hai.")
    Report.objects.filter(pk=report.pk).update(answered_at=timezone.now() - datetime.timedelta(days=31))
    with pytest.raises(ValidationError):
        services.reopen_report(report, actor=world.citizen, reason="Lại sạt.")
    with pytest.raises(PermissionDenied):
        services.reopen_report(report, actor=world.neighbour, reason="Lại sạt.")


def test_the_office_closes_an_unanswered_report_only_with_a_reason(world, report):
    with pytest.raises(ValidationError):
        services.close_report(report, actor=world.officer)
    services.close_report(report, actor=world.officer, reason="Trùng với phản ánh trước.")
    report.refresh_from_db()
    assert report.status == "closed"


def test_a_question_to_the_reporter_is_sent_and_a_note_stays_inside(world, report):
    services.add_note(report, actor=world.officer, text="Đã gọi đội giao thông.")
    services.add_note(report, actor=world.officer, text="Ông bà gửi thêm ảnh được không?", ask_reporter=True)
    kinds = list(Message.objects.filter(recipient=world.citizen).values_list("kind", flat=True))
    assert kinds.count("feedback.question") == 1


def test_a_report_becomes_a_work_item_of_the_head_of_the_office(world):
    from tinhso.accounts.testing import make_user

    from .conftest import file_report

    chair = make_user("commune_officer", world.tree.new_xuan_ai)
    with acting_as(None, source="test"):
        StaffMember.objects.create(user=chair, organisation=world.xuan_ai_committee, is_head=True)
    report = file_report(world)
    item = WorkItem.objects.get(source_kind="citizen_report", source_id=report.pk)
    assert item.assignee == chair and item.due_date == report.deadline
    services.answer_report(report, actor=chair, answer="Đã xử lý.")
    item.refresh_from_db()
    assert item.status == "submitted"


def test_a_transfer_hands_the_work_item_to_the_new_office_or_withdraws_it(world):
    """The first office's head no longer carries (nor is scored on) a report that went elsewhere: the item
    moves to the head of the office it went to, with the reason; to an office without a staff list it is
    withdrawn. Work learns of it through its registry of sources (feedback registered citizen_report)."""
    from tinhso.accounts.testing import make_user
    from tinhso.work.models import WorkComment

    from .conftest import file_report

    chair = make_user("commune_officer", world.tree.new_xuan_ai)
    neighbour_chair = make_user("commune_officer", world.tree.new_khanh_hoa)
    with acting_as(None, source="test"):
        StaffMember.objects.create(user=chair, organisation=world.xuan_ai_committee, is_head=True)
        StaffMember.objects.create(user=neighbour_chair, organisation=world.khanh_hoa_committee, is_head=True)
    report = file_report(world)
    services.transfer_report(
        report, actor=world.admin, organisation=world.khanh_hoa_committee, reason="Đoạn đường thuộc Khánh Hòa."
    )
    item = WorkItem.objects.get(source_kind="citizen_report", source_id=report.pk)
    assert item.assignee == neighbour_chair and item.organisation == world.khanh_hoa_committee
    assert "Đoạn đường thuộc Khánh Hòa." in WorkComment.objects.get(item=item).text
    assert not WorkItem.objects.filter(assignee=chair).exists()

    services.transfer_report(report, actor=world.admin, organisation=world.transport, reason="Cầu của tỉnh.")
    assert not WorkItem.objects.filter(source_kind="citizen_report", source_id=report.pk).exists()


def test_the_public_text_can_be_moderated_and_is_redacted_again(world, report):
    services.moderate_report(report, actor=world.officer, public_text="Sạt đường, gọi 0912345678", is_public=True)
    report.refresh_from_db()
    assert "0912345678" not in report.public_text
