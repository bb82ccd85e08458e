"""Every role of the cast (tinhso.core.testing.CAST) and the people of a body × every page and API action of
meetings. Who may do what comes from docs/meetings.md: a body's meetings are seen by its members (guests
included; a former member only the meetings of their time, so not the coming one here: test_former_members.py)
and by officers holding meetings.view_meeting on its unit; they are run by its chair
and secretary and by officers holding meetings.change_meeting. Everyone else gets 404; a refusal changes
nothing (rows, values and the change log)."""

import datetime
import itertools

import pytest
from django.utils import timezone

from tinhso.accounts.testing import make_user, users_by_role
from tinhso.core.jobs import Job
from tinhso.core.testing import (
    ROLES,
    ApiMatrix,
    RoleMatrix,
    api_client,
    assert_statuses,
    cast_on,
    database_state,
    expected_statuses,
    web_client,
)
from tinhso.meetings import services
from tinhso.meetings.models import AgendaItem, Attendance, BodyMember, Decision, Document, Meeting, Notice, Record

from .conftest import START, member

pytestmark = pytest.mark.django_db

PEOPLE = ("secretary", "member", "guest", "former", "outsider")
RUNNERS = {"secretary", "commune_officer", "district_officer", "province_admin"}
VIEWERS = RUNNERS | {"member", "guest"}
INVITED = {"secretary", "member", "guest"}  # members of the body on the meeting's day
ROLLOUT = {"province_admin", "dx_centre_staff", "district_officer", "commune_officer"}
_days = itertools.count(20)

MATRIX = RoleMatrix(
    {
        "meeting_page": VIEWERS,
        "attendance_fragment": VIEWERS,
        "checkin_page": VIEWERS,
        "calendar": VIEWERS,
        "invitation_pdf": VIEWERS,
        "document_page": VIEWERS,
        "api_attendance": VIEWERS,
        "api_documents": VIEWERS,
        "create_page": RUNNERS,
        "members_page": RUNNERS,
        "rollout_page": ROLLOUT,
        "create_meeting": RUNNERS,
        "notify": RUNNERS,
        "api_notify": RUNNERS,
        "agenda": RUNNERS,
        "document": RUNNERS,
        "reschedule": RUNNERS,
        "cancel": RUNNERS,
        "close": RUNNERS,
        "tick": RUNNERS,
        "api_tick": RUNNERS,
        "number": RUNNERS,
        "record": RUNNERS,
        "publish": RUNNERS,
        "decision": RUNNERS,
        "add_member": RUNNERS,
        "end_member": RUNNERS,
        "confirm": INVITED,
        "api_qr_checkin": INVITED,
    },
    roles=(*ROLES, *PEOPLE),
)


@pytest.fixture
def users(world):
    cast = users_by_role(cast_on(world.tree, commune_officer="new_xuan_ai", citizen="new_xuan_ai"))
    former = member(world.cell, "cuu", "member")
    BodyMember.objects.filter(user=former).update(valid_to=timezone.localdate() - datetime.timedelta(days=1))
    return cast | {
        "secretary": world.secretary,
        "member": world.members[1],
        "guest": member(world.cell, "khach", "guest"),
        "former": former,
        "outsider": world.outsider,
    }


def fresh(world, *, started=False) -> Meeting:
    """A meeting of its own for each attempt (one that started an hour ago for closing)."""
    if started:
        start = timezone.now() - datetime.timedelta(days=next(_days))
        now = start - datetime.timedelta(days=1)
    else:
        day = timezone.localdate() + datetime.timedelta(days=next(_days))
        start, now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8))), None
    data = services.MeetingData(
        title="Họp ma trận", starts_at=start, ends_at=start + datetime.timedelta(hours=2), place="Nhà văn hóa"
    )
    return services.create_meeting(world.cell, actor=None, data=data, now=now)


def _form_times(world) -> dict:
    day = timezone.localdate() + datetime.timedelta(days=next(_days))
    return {
        "title": "Họp mới",
        "starts_at": f"{day.isoformat()}T08:00",
        "ends_at": f"{day.isoformat()}T10:00",
        "mode": "in_person",
        "place": "Thôn",
    }


def _write(model, call):
    """(done, unchanged) of a write: done when it answered a success and changed the model's rows."""
    before = database_state(model)
    status = call().status_code
    changed = database_state(model) != before
    return status in (200, 201, 202, 302) and changed, not changed


def perform(action, user, world, users):
    web, api = web_client(user), api_client(user)
    meeting = world.meeting
    get_ok = {
        "meeting_page": lambda: web.get(f"/meetings/{meeting.pk}/"),
        "attendance_fragment": lambda: web.get(f"/meetings/{meeting.pk}/attendance/"),
        "checkin_page": lambda: web.get(f"/meetings/{meeting.pk}/checkin/"),
        "calendar": lambda: web.get(f"/meetings/{meeting.pk}/invite.ics"),
        "invitation_pdf": lambda: web.get(f"/meetings/{meeting.pk}/invitation.pdf"),
        "document_page": lambda: web.get(f"/meetings/documents/{world.document.pk}/"),
        "api_attendance": lambda: api.get(f"/api/v1/meetings/{meeting.pk}/attendance/"),
        "api_documents": lambda: api.get(f"/api/v1/meetings/{meeting.pk}/documents/"),
        "create_page": lambda: web.get(f"/meetings/new/?body={world.cell.pk}"),
        "members_page": lambda: web.get(f"/meetings/bodies/{world.cell.pk}/members/"),
        "rollout_page": lambda: web.get("/meetings/rollout/"),
    }
    if action in get_ok:
        return get_ok[action]().status_code == 200, True
    if action == "create_meeting":
        return _write(Meeting, lambda: web.post("/meetings/new/", {"body": world.cell.pk, **_form_times(world)}))
    if action in ("confirm", "notify", "api_notify", "api_qr_checkin"):
        return _member_action(action, web, api, world)
    if action in ("add_member", "end_member"):
        return _membership(action, web, world, users)
    one = fresh(world, started=action in ("close", "tick", "api_tick", "number"))
    if action == "api_tick":
        payload = {"user": world.members[0].pk, "status": "present"}
        return _write(Attendance, lambda: api.post(f"/api/v1/meetings/{one.pk}/checkin/", payload, format="json"))
    if action == "publish":
        services.save_record(one, actor=None, kind="minutes", text="Biên bản")
        return _write(Record, lambda: web.post(f"/meetings/{one.pk}/publish/", {"kind": "minutes"}))
    model, post = {
        "agenda": (AgendaItem, {"title": "Mục mới"}),
        "document": (Document, {"title": "Dự thảo", "access": "members"}),
        "reschedule": (Meeting, _form_times(world)),
        "cancel": (Meeting, {"reason": "Trùng lịch"}),
        "close": (Meeting, {}),
        "tick": (Attendance, {"user": world.members[0].pk, "status": "present"}),
        "number": (Attendance, {"member_number": "002"}),
        "record": (Record, {"kind": "minutes", "text": "Biên bản họp"}),
        "decision": (Decision, _decision(world)),
    }[action]
    return _write(model, lambda: web.post(f"/meetings/{one.pk}/{action}/", post))


def _decision(world) -> dict:
    return {
        "title": "Cài VNeID cho hộ",
        "owner": world.staff_owner.pk,
        "deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
        "expected_output": "Danh sách",
        "resources": "Tổ công nghệ số",
        "coordination": "Chi hội phụ nữ",
    }


def _member_action(action, web, api, world):
    if action == "api_qr_checkin":
        soon = world.soon  # one meeting about to start: each person checks themselves in
        code = {"code": services.checkin_code(soon)}
        return _write(Attendance, lambda: api.post(f"/api/v1/meetings/{soon.pk}/checkin/", code, format="json"))
    one = fresh(world)
    if action == "confirm":
        services.send_notices(one, actor=None)
        return _write(Notice, lambda: web.post(f"/meetings/{one.pk}/confirm/"))
    if action == "notify":
        return _write(Notice, lambda: web.post(f"/meetings/{one.pk}/notify/"))
    return _write(Notice, lambda: api.post(f"/api/v1/meetings/{one.pk}/notify/"))


def _membership(action, web, world, users):
    url = f"/meetings/bodies/{world.cell.pk}/members/"
    if action == "add_member":
        person = make_user(username=f"moi{next(_days)}")
        post = {"username": person.username, "role": "member", "valid_from": START.isoformat()}
        return _write(BodyMember, lambda: web.post(url, post))
    row = BodyMember.objects.get(body=world.cell, user=world.members[2])
    BodyMember.objects.filter(pk=row.pk).update(valid_to=None)
    day = {"day": timezone.localdate().isoformat()}
    return _write(BodyMember, lambda: web.post(f"{url}{row.pk}/end/", day))


@pytest.mark.parametrize("action", list(MATRIX.allowed))
def test_permission_matrix(world, users, action):
    world.document = services.add_document(world.meeting, actor=None, title="Dự thảo nghị quyết", access="guests")
    start = timezone.now() + datetime.timedelta(minutes=30)
    world.soon = services.create_meeting(
        world.cell,
        actor=None,
        data=services.MeetingData(
            title="Sắp họp", starts_at=start, ends_at=start + datetime.timedelta(hours=1), place="Thôn"
        ),
    )
    wrong = []
    for role in MATRIX.roles:
        done, unchanged = perform(action, users[role], world, users)
        try:
            MATRIX.check(role, action, done, unchanged)
        except AssertionError as error:
            wrong.append(str(error).splitlines()[0])
    assert not wrong, f"{action}:\n  " + "\n  ".join(wrong)


def test_refusals_tell_members_no_and_everyone_else_nothing(world, users):
    """Someone who sees the meeting and may not run it is told why (403); anyone else learns nothing (404)."""
    got = {}
    for role, user in users.items():
        one = fresh(world)
        got[role] = web_client(user).post(f"/meetings/{one.pk}/cancel/", {"reason": "x"}).status_code
    assert_statuses(
        got, expected_statuses(users, RUNNERS, ok=302, refused=404, **dict.fromkeys(VIEWERS - RUNNERS, 403))
    )
    assert web_client().post(f"/meetings/{fresh(world).pk}/cancel/", {"reason": "x"}).status_code == 404


def test_the_meetings_api_matrix(world, users):
    def payload():
        day = timezone.localdate() + datetime.timedelta(days=next(_days))
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))
        return {
            "body": world.cell.pk,
            "title": "Họp qua API",
            "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
            "place": "Nhà văn hóa",
        }

    matrix = ApiMatrix("/api/v1/meetings/", Meeting, make=lambda: world.meeting, create=payload)
    expected = {role: {"list", "detail"} for role in VIEWERS}
    for role in RUNNERS:
        expected[role].add("create")
    matrix.check(users | {"anonymous": None}, expected, actions=("list", "detail", "create"))


def test_only_province_or_district_officers_call_every_body_and_the_page_agrees_with_the_api(world, users):
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=60)).replace(minute=0, second=0)
    wrong = []
    for role, user in users.items():
        before = database_state(Meeting), Job.objects.count()
        page = web_client(user).get("/meetings/notify-bodies/").status_code
        api = (
            api_client(user)
            .post(
                "/api/v1/meetings/notify-bodies/",
                {
                    "unit": world.tree.lao_cai.pk,
                    "kind": "party_cell",
                    "title": "Hội nghị toàn tỉnh",
                    "starts_at": start.isoformat(),
                    "ends_at": (start + datetime.timedelta(hours=3)).isoformat(),
                    "place": "Hội trường tỉnh",
                },
                format="json",
            )
            .status_code
        )
        allowed = role == "province_admin"  # the only one of the cast holding change_meeting on the province
        if (api == 202) != allowed:
            wrong.append(f"{role}: API {api}")
        if not allowed and (database_state(Meeting), Job.objects.count()) != before:
            wrong.append(f"{role}: refused but wrote")
        # a unit at depth ≤ 1 valid today: the province; Văn Yên's district ended with the 2025 reform
        may_open = role == "province_admin"
        if (page == 200) != may_open or page not in (200, 404):
            wrong.append(f"{role}: page {page}")
    assert not wrong, "\n  ".join(wrong)
