"""A former member keeps the meetings of their time and loses the body's later ones; and a membership's dates
cannot move off a meeting that has already taken place (its invitation list and quorum were of that day)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tinhso.core.testing import api_client, web_client
from tinhso.meetings import services
from tinhso.meetings.models import BodyMember, Meeting

from .conftest import data

pytestmark = pytest.mark.django_db


def held(world, days_ago: int) -> Meeting:
    """A meeting of the cell that took place `days_ago` days ago (created the day before it)."""
    start = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() - datetime.timedelta(days=days_ago), datetime.time(8))
    )
    values = data(title=f"Họp {days_ago} ngày trước", starts_at=start, ends_at=start + datetime.timedelta(hours=2))
    return services.create_meeting(world.cell, actor=None, data=values, now=start - datetime.timedelta(days=1))


def leave(world, user, days_ago: int) -> BodyMember:
    row = BodyMember.objects.get(body=world.cell, user=user)
    return services.end_membership(
        row, actor=world.secretary, day=timezone.localdate() - datetime.timedelta(days=days_ago)
    )


def listed(user) -> set[int]:
    answer = api_client(user).get("/api/v1/meetings/", {"page_size": 100}).json()
    return {row["id"] for row in answer["results"]}


def test_a_former_member_sees_the_meetings_of_their_time_and_not_the_later_ones(world):
    before, former = held(world, 30), world.members[2]
    leave(world, former, 10)
    after = held(world, 5)
    client = web_client(former)
    assert client.get(f"/meetings/{before.pk}/").status_code == 200
    assert client.get(f"/meetings/{after.pk}/").status_code == 404
    assert client.get(f"/meetings/{world.meeting.pk}/").status_code == 404
    assert listed(former) == {before.pk}


def test_a_member_who_leaves_today_still_sees_todays_meeting_and_the_rest_see_everything(world):
    today = held(world, 0)
    leaving, staying = world.members[2], world.members[3]
    leave(world, leaving, 0)
    assert web_client(leaving).get(f"/meetings/{today.pk}/").status_code == 200
    assert listed(leaving) == {today.pk}
    assert listed(staying) == {today.pk, world.meeting.pk}


def test_an_end_before_a_held_meeting_is_refused_and_changes_nothing(world):
    past = held(world, 5)
    row = BodyMember.objects.get(body=world.cell, user=world.members[1])
    with pytest.raises(ValidationError) as refused:
        leave(world, world.members[1], 10)
    day = timezone.localtime(past.starts_at).date()
    assert f"{day.day}/{day.month}/{day.year}" in refused.value.message_dict["valid_to"][0]
    row.refresh_from_db()
    assert row.valid_to is None
    assert services.attendance_summary(past)["invited"] == 5


def test_an_end_after_the_last_held_meeting_or_before_a_cancelled_one_is_accepted(world):
    held(world, 20)
    cancelled = held(world, 5)
    services.cancel(cancelled, actor=world.secretary, reason="Mưa lũ")
    row = leave(world, world.members[1], 10)
    assert row.valid_to == timezone.localdate() - datetime.timedelta(days=10)


def test_a_later_start_that_drops_a_held_meeting_is_refused_from_the_admin_path(world):
    held(world, 5)
    row = BodyMember.objects.get(body=world.cell, user=world.members[1])
    row.valid_from = timezone.localdate() - datetime.timedelta(days=2)
    with pytest.raises(ValidationError):
        services.save_member(row, actor=world.secretary)
    assert BodyMember.objects.get(pk=row.pk).valid_from == datetime.date(2024, 1, 1)


def test_an_end_on_the_last_day_a_calendar_holds_is_an_end_not_a_server_error(world):
    row = BodyMember.objects.get(body=world.cell, user=world.members[1])
    assert services.end_membership(row, actor=world.secretary, day=datetime.date.max).valid_to == datetime.date.max
