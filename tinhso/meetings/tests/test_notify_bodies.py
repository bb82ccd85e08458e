"""A province officer notifies every party cell within a unit in one call, run as a background job."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tinhso.accounts.testing import make_user
from tinhso.core.jobs import run_job
from tinhso.core.models import ObjectChange
from tinhso.core.models.jobs import Job
from tinhso.meetings import services
from tinhso.meetings.models import Body, Meeting, Notice

from .conftest import data

pytestmark = pytest.mark.django_db


def test_every_cell_of_the_province_gets_its_meeting_and_every_member_a_notice(
    world, django_capture_on_commit_callbacks
):
    officer = make_user("district_officer", world.tree.lao_cai, username="tinhuy")
    Body.objects.create(unit=world.tree.new_xuan_ai, name="Chi bộ trống", kind="party_cell")  # no members
    Body.objects.create(unit=world.tree.new_xuan_ai, name="UBND xã", kind="peoples_committee")
    with django_capture_on_commit_callbacks(execute=False):
        job = services.start_notice_to_bodies(
            actor=officer, unit=world.tree.lao_cai, kind="party_cell", data=data(title="Học tập nghị quyết")
        )
    assert job.created_by == officer and job.kind == "meetings.notify_bodies"
    job = run_job(str(job.pk))
    assert job.status == "succeeded", job.message
    meetings = Meeting.objects.filter(title="Học tập nghị quyết")
    assert sorted(m.body.name for m in meetings) == ["Chi bộ Khuổi Vai", "Chi bộ thôn Khe Dứa", "Chi bộ trống"]
    told = Notice.objects.filter(meeting__in=meetings)
    assert {n.user for n in told} == {world.secretary, *world.members, world.outsider}
    assert job.result == {"meetings": 3, "notices": 6} and job.progress_done == job.progress_total == 3
    assert world.members[1].messages.filter(kind="meetings.notice", subject__contains="Học tập nghị quyết").exists()
    changes = ObjectChange.objects.filter(
        object_id__in=[n.pk for n in told], object_type__model="notice", action="create"
    )
    assert changes.count() == 6 and {(c.user_id, c.source) for c in changes} == {(officer.pk, "job")}


def test_a_commune_officer_cannot_notify_the_whole_province(world):
    with pytest.raises(PermissionDenied):
        services.start_notice_to_bodies(actor=world.officer, unit=world.tree.lao_cai, kind="party_cell", data=data())
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    "kind, extra, field",
    [
        ("party_cell", {"days": -1}, "starts_at"),
        ("party_cell", {"title": " "}, "title"),
        ("peoples_council", {}, None),
    ],
)
def test_bad_requests_queue_nothing(world, kind, extra, field):
    officer = make_user("district_officer", world.tree.lao_cai, username="tinhuy")
    days = extra.pop("days", 3)
    with pytest.raises(ValidationError) as error:
        services.start_notice_to_bodies(actor=officer, unit=world.tree.lao_cai, kind=kind, data=data(days, **extra))
    assert field is None or field in error.value.message_dict
    assert not Job.objects.exists() and not Meeting.objects.exclude(pk=world.meeting.pk).exists()


def test_the_page_starts_the_job_and_refuses_bad_input_in_vietnamese(world, django_capture_on_commit_callbacks):
    from tinhso.core.testing import web_client

    officer = make_user("district_officer", world.tree.lao_cai, username="tinhuy")
    client = web_client(officer)
    assert client.get("/meetings/notify-bodies/").status_code == 200
    start = data().starts_at
    form = {
        "unit": world.tree.lao_cai.pk,
        "kind": "party_cell",
        "title": "Học tập nghị quyết",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": start.strftime("%Y-%m-%dT%H:%M"),
        "place": "Hội trường",
    }
    response = client.post("/meetings/notify-bodies/", form)
    assert response.status_code == 400 and "kết thúc sau khi bắt đầu" in response.content.decode()
    assert not Job.objects.exists()
    form["ends_at"] = (start + __import__("datetime").timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/meetings/notify-bodies/", form)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert web_client(world.members[0]).get("/meetings/notify-bodies/").status_code == 404
    other = {**form, "unit": world.tree.lao_cai.pk}
    assert web_client(world.officer).post("/meetings/notify-bodies/", other).status_code in (400, 404)  # not theirs
    assert Job.objects.count() == 1


# --- the same job through the API: POST /api/v1/meetings/notify-bodies/ --------------------------------------

URL = "/api/v1/meetings/notify-bodies/"


def _payload(where, **extra):
    values = data()
    payload = {
        "unit": where.pk,
        "kind": "party_cell",
        "title": "Học tập nghị quyết",
        "starts_at": values.starts_at.isoformat(),
        "ends_at": values.ends_at.isoformat(),
        "place": "Hội trường",
    }
    payload.update(extra)
    return payload


def test_the_api_starts_the_job_and_returns_it_to_follow(world, django_capture_on_commit_callbacks):
    from tinhso.core.testing import api_client

    officer = make_user("district_officer", world.tree.lao_cai, username="tinhuy")
    client = api_client(officer)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(URL, _payload(world.tree.lao_cai), format="json")
    assert response.status_code == 202, response.content
    job = Job.objects.get()
    body = response.json()
    assert body["id"] == str(job.pk) and body["kind"] == "meetings.notify_bodies" and body["status"] == "queued"
    assert response["Location"] == body["url"] and body["url"].endswith(f"/api/v1/jobs/{job.pk}/")
    assert job.created_by == officer and job.parameters["unit"] == world.tree.lao_cai.pk
    run_job(str(job.pk))
    followed = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert followed["status"] == "succeeded" and followed["progress"]["done"] == followed["progress"]["total"] == 2
    assert Notice.objects.filter(meeting__title="Học tập nghị quyết").count() == 6


@pytest.mark.parametrize(
    "who, unit, status",
    [
        ("province", "lao_cai", 202),  # a province officer, the province
        ("province", "new_xuan_ai", 400),  # one commune is not a province-wide notice (as on the page)
        ("commune", "lao_cai", 400),  # a commune officer: not the whole province
        ("commune", "new_xuan_ai", 400),  # nor their commune (they run its bodies one by one)
        ("member", "new_xuan_ai", 403),  # a cell member runs no meeting of the unit
        ("secretary", "new_xuan_ai", 403),  # a cell secretary runs their cell, not the commune's cells
        ("citizen", "new_xuan_ai", 403),
        ("anonymous", "new_xuan_ai", 401),
    ],
)
def test_who_may_notify_every_body_of_a_unit_through_the_api(
    world, django_capture_on_commit_callbacks, who, unit, status
):
    from rest_framework.test import APIClient

    from tinhso.core.testing import api_client

    people = {
        "province": lambda: make_user("district_officer", world.tree.lao_cai, username="tinhuy"),
        "commune": lambda: world.officer,
        "member": lambda: world.members[0],
        "secretary": lambda: world.secretary,
        "citizen": lambda: world.citizen,
    }
    client = api_client(people[who]()) if who in people else APIClient()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(URL, _payload(getattr(world.tree, unit)), format="json")
    assert response.status_code in ((401, 403) if status == 401 else (status,)), response.content
    assert Job.objects.count() == (1 if status == 202 else 0)
    if status == 400:
        assert "đơn vị" in response.json()["unit"][0]


@pytest.mark.parametrize(
    "extra, field, text",
    [
        ({"starts_at": "2020-01-01T08:00:00+07:00", "ends_at": "2020-01-01T10:00:00+07:00"}, "starts_at", "quá khứ"),
        ({"ends_at": "2020-01-01T10:00:00+07:00"}, "ends_at", "kết thúc sau khi bắt đầu"),
        ({"kind": "peoples_council"}, None, "không có"),
        ({"kind": "club"}, "kind", ""),
        ({"unit": "mọi nơi"}, "unit", ""),
        ({"title": "x" * 400}, "title", ""),
        ({"mode": "online"}, "online_link", "đường dẫn"),
    ],
)
def test_bad_api_requests_are_refused_in_vietnamese_and_queue_nothing(world, extra, field, text):
    from tinhso.core.testing import api_client

    officer = make_user("district_officer", world.tree.lao_cai, username="tinhuy")
    response = api_client(officer).post(URL, _payload(world.tree.lao_cai, **extra), format="json")
    assert response.status_code == 400, response.content
    assert field is None or field in response.json()
    assert text in response.content.decode()
    assert not Job.objects.exists() and not Meeting.objects.exclude(pk=world.meeting.pk).exists()
