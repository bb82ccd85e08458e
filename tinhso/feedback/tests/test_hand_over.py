"""Handing a report over to another office (transfer): who may, what the change log keeps, who is told, what
the citizen sees, and what hostile input gets."""

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.core.models import Message, ObjectChange
from tinhso.core.testing import api_client, database_state, web_client
from tinhso.feedback.models import Report
from tinhso.units.models import Organisation
from tinhso.work.models import StaffMember

from .conftest import file_report

pytestmark = pytest.mark.django_db

REASON = "Đoạn đường thuộc xã Khánh Hòa."


def transfer(user, report, organisation, reason=REASON):
    client = api_client(user) if user is not None else api_client(None)
    body = {"organisation": getattr(organisation, "pk", organisation), "reason": reason}
    return client.post(f"/api/v1/feedback/{report.pk}/transfer/", body, format="json")


def told(person, kind="feedback.transferred") -> list[str]:
    return list(Message.objects.filter(recipient=person, kind=kind).values_list("subject", flat=True))


@pytest.fixture
def people(world):
    return {
        "province_admin": world.admin,
        "dx_centre_staff": make_user("dx_centre_staff", world.tree.lao_cai),
        "department_staff": world.department,
        "commune_officer": world.officer,
        "other_commune_officer": world.other_officer,
        "village_team_leader": world.village_head,
        "reporter": world.citizen,
        "neighbour": world.neighbour,
    }


# Who may hand a report of Xuân Ái over to Khánh Hòa: the office it is routed to and the units above it
# ("the units above may move a report"); not another commune, not the village, not the citizens.
ALLOWED = {"province_admin", "dx_centre_staff", "department_staff", "commune_officer"}


@pytest.mark.parametrize(
    "role",
    [
        "province_admin",
        "dx_centre_staff",
        "department_staff",
        "commune_officer",
        "other_commune_officer",
        "village_team_leader",
        "reporter",
        "neighbour",
    ],
)
def test_permission_matrix(world, people, role):
    report = file_report(world)
    before = database_state(Report)
    response = transfer(people[role], report, world.khanh_hoa_committee)
    if role in ALLOWED:
        assert response.status_code == 200, response.content
        assert Report.objects.get(pk=report.pk).routed_to == world.khanh_hoa_committee
    else:
        assert response.status_code in (403, 404), response.content
        assert database_state(Report) == before and told(world.other_officer) == []


def test_nobody_signed_in_cannot_hand_a_report_over(world):
    report = file_report(world)
    before = database_state(Report)
    assert transfer(None, report, world.khanh_hoa_committee).status_code in (401, 403)
    assert database_state(Report) == before


def test_the_change_is_attributed_to_the_officer_with_the_reason(world):
    report = file_report(world)
    assert transfer(world.officer, report, world.khanh_hoa_committee).status_code == 200
    change = ObjectChange.objects.filter(object_id=report.pk, action="update").latest("time")
    assert change.user == world.officer and change.source == "api"
    assert change.prechange_data["routed_to_id"] == world.xuan_ai_committee.pk
    assert change.postchange_data["routed_to_id"] == world.khanh_hoa_committee.pk
    event = report.events.get(kind="transferred")
    assert (event.actor, event.organisation, event.text) == (world.officer, world.khanh_hoa_committee, REASON)


def test_the_receiving_office_is_told_and_the_office_that_let_it_go_is_not(world):
    head = make_user("commune_officer", world.tree.new_khanh_hoa)
    with acting_as(None, source="test"):
        StaffMember.objects.create(user=head, organisation=world.khanh_hoa_committee, is_head=True)
    report = file_report(world)
    transfer(world.officer, report, world.khanh_hoa_committee)
    subject = f"Phản ánh số {report.pk} đã được chuyển đến UBND xã Khánh Hòa"
    assert told(world.other_officer) == [subject] and told(head) == [subject]
    assert told(world.officer) == [] and told(world.citizen) == []  # the citizen is told in their own words
    message = Message.objects.get(recipient=world.other_officer, kind="feedback.transferred")
    assert message.body == REASON and message.url == f"/feedback/{report.pk}/"


def test_the_receiving_office_sees_it_in_its_inbox_and_the_first_office_no_longer_does(world):
    report = file_report(world)
    transfer(world.officer, report, world.khanh_hoa_committee)
    assert f"#{report.pk}" in web_client(world.other_officer).get("/feedback/inbox/").content.decode()
    assert web_client(world.officer).get(f"/feedback/{report.pk}/").status_code == 404


def test_the_citizen_sees_the_new_office_on_their_report_and_is_told(world):
    report = file_report(world)
    transfer(world.officer, report, world.khanh_hoa_committee)
    page = web_client(world.citizen).get(f"/feedback/{report.pk}/").content.decode()
    assert "UBND xã Khánh Hòa" in page and "UBND xã Xuân Ái" not in page
    mine = api_client(world.citizen).get("/api/v1/feedback/", {"mine": "true"}).json()["results"]
    assert [row["routed_to_name"] for row in mine] == ["UBND xã Khánh Hòa"]
    assert f"Phản ánh số {report.pk} của bạn đã được chuyển đến UBND xã Khánh Hòa" in told(
        world.citizen, kind="feedback.status"
    )
    assert "UBND xã Khánh Hòa" in web_client().get(f"/phan-anh/{report.pk}/").content.decode()


@pytest.mark.parametrize(
    "organisation, reason",
    [
        ("OTHER", ""),  # no reason
        ("OTHER", "   "),
        ("OTHER", "x" * 4001),
        ("SAME", REASON),  # to the office it is already at
        ("INACTIVE", REASON),
        (999999, REASON),
        ("abc", REASON),
        (10**30, REASON),
        (-1, REASON),
        (None, REASON),
        ({"id": 1}, REASON),
        ("OTHER", ["a list"]),
    ],
)
def test_hostile_input_is_a_400_in_vietnamese_and_nothing_changes(world, organisation, reason):
    inactive = Organisation.objects.create(name="UBND xã cũ", kind="peoples_committee", unit=world.tree.new_khanh_hoa)
    Organisation.objects.filter(pk=inactive.pk).update(is_active=False)
    target = {"OTHER": world.khanh_hoa_committee, "SAME": world.xuan_ai_committee, "INACTIVE": inactive}
    report = file_report(world)
    before = database_state(Report), Message.objects.count()
    response = transfer(
        world.officer,
        report,
        target.get(organisation, organisation) if isinstance(organisation, str) else organisation,
        reason,
    )
    assert response.status_code == 400, response.content
    assert (database_state(Report), Message.objects.count()) == before


def test_an_answered_report_is_not_handed_over(world):
    from tinhso.feedback import services

    report = file_report(world)
    services.answer_report(report, actor=world.officer, answer="Đã xử lý xong.")
    before = database_state(Report)
    response = transfer(world.officer, report, world.khanh_hoa_committee)
    assert response.status_code == 400 and "đã được trả lời" in response.content.decode()
    assert database_state(Report) == before


def test_a_report_out_of_reach_or_unknown_is_a_404(world):
    report = file_report(world)
    assert transfer(world.other_officer, report, world.transport).status_code == 404
    body = {"organisation": world.khanh_hoa_committee.pk, "reason": REASON}
    assert api_client(world.officer).post("/api/v1/feedback/999999/transfer/", body, format="json").status_code == 404


def test_the_page_form_refuses_hostile_input_without_an_error_page(world):
    report = file_report(world)
    before = database_state(Report)
    client = web_client(world.officer)
    for data in ({"organisation": "abc", "reason": REASON}, {"organisation": world.khanh_hoa_committee.pk}, {}):
        response = client.post(f"/feedback/{report.pk}/transfer/", data)
        page = response.content.decode()
        assert response.status_code == 400  # the report page again, the error next to the field
        assert "<details open><summary>Chuyển cơ quan khác" in page
        assert "errorlist" in page.split(f'action="/feedback/{report.pk}/transfer/"')[1].split("</form>")[0], data
    same = client.post(
        f"/feedback/{report.pk}/transfer/", {"organisation": world.xuan_ai_committee.pk, "reason": REASON}
    )
    assert same.status_code == 400 and REASON in same.content.decode()  # the reason typed is kept
    assert database_state(Report) == before
