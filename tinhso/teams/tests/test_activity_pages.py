"""Correcting and deleting an activity from its page: logged with who and what changed, refused with a
message (never a server error) once a verified evaluation rests on it, and only by the team's own people."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from tinhso.accounts.testing import make_user
from tinhso.core.models import ObjectChange
from tinhso.core.testing import web_client
from tinhso.scoring import services as scoring
from tinhso.teams import services
from tinhso.teams.models import Activity

from .conftest import criterion, make_index, record

DAY = datetime.date(2024, 5, 6)


def changes_of(activity_id):
    return ObjectChange.objects.filter(
        object_type=ContentType.objects.get_for_model(Activity), object_id=str(activity_id)
    ).order_by("pk")


@pytest.fixture
def leader(world):
    return web_client(make_user("village_team_leader", world.tree.khe_dua, username="totruong.khedua"))


@pytest.fixture
def activity(world):
    return record(world.khe_dua, DAY, key="k", people_reached=12, households_reached=6)[0]


def correction(**changes):
    return {
        "activity_type": "vneid",
        "date": "2024-05-06",
        "people_reached": "15",
        "households_reached": "6",
        "description": "",
        **changes,
    }


def verify_2024(world):
    criteria_set = make_index("village", world.tree.yen_bai)
    criterion(criteria_set, "1", "activities", steps=[(1, 10)])
    evaluation = next(
        e for e in services.evaluate_teams("village", "2024", actor=None) if e.subject_id == world.khe_dua.pk
    )
    scoring.verify(evaluation, actor=None)


def test_a_correction_is_logged_with_who_made_it_and_both_numbers(world, leader, activity):
    assert leader.post(f"/teams/activities/{activity.pk}/edit/", correction()).status_code == 302
    change = changes_of(activity.pk).last()
    assert (change.action, change.user_name) == ("update", "totruong.khedua")
    assert (change.prechange_data["people_reached"], change.postchange_data["people_reached"]) == (12, 15)


def test_a_deletion_is_logged_with_what_was_deleted(world, leader, activity):
    response = leader.post(f"/teams/activities/{activity.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == world.khe_dua.get_absolute_url()
    deleted = changes_of(activity.pk).last()
    assert deleted.action == "delete" and deleted.prechange_data["people_reached"] == 12
    assert not Activity.objects.filter(pk=activity.pk).exists()


def test_deleting_an_activity_of_a_verified_evaluation_is_refused_with_a_message(world, leader, activity):
    verify_2024(world)
    response = leader.post(f"/teams/activities/{activity.pk}/delete/", follow=True)
    assert response.redirect_chain == [(activity.get_absolute_url(), 302)]
    assert (
        "Kết quả đánh giá Năm 2024 đã được thẩm định: không thể thay đổi hoạt động trong kỳ này."
        in response.content.decode()
    )
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_correcting_an_activity_of_a_verified_evaluation_is_refused_on_the_form(world, leader, activity):
    verify_2024(world)
    response = leader.post(f"/teams/activities/{activity.pk}/edit/", correction())
    assert response.status_code in (200, 400)
    assert (
        "Kết quả đánh giá Năm 2024 đã được thẩm định: không thể thay đổi hoạt động trong kỳ này."
        in response.content.decode()
    )
    assert Activity.objects.get(pk=activity.pk).people_reached == 12


def test_moving_an_activity_into_the_future_is_refused(world, leader, activity):
    response = leader.post(f"/teams/activities/{activity.pk}/edit/", correction(date="2099-01-01"))
    assert "Ngày hoạt động không thể ở tương lai." in response.content.decode()
    assert Activity.objects.get(pk=activity.pk).date == DAY


def test_another_villages_leader_can_neither_correct_nor_delete(world, activity):
    other = web_client(make_user("village_team_leader", world.tree.na_hau))
    assert other.post(f"/teams/activities/{activity.pk}/edit/", correction()).status_code == 404
    assert other.post(f"/teams/activities/{activity.pk}/delete/").status_code == 404
    assert Activity.objects.get(pk=activity.pk).people_reached == 12


def test_the_activity_list_filters_by_dates_and_says_when_nothing_matches(world, leader, activity):
    record(world.khe_dua, datetime.date(2024, 8, 1), key="later", people_reached=3)
    page = leader.get("/teams/activities/", {"since": "2024-07-01", "until": "2024-08-31", "as_of": "2024-09-01"})
    assert page.context["table"].page.paginator.count == 1
    empty = leader.get("/teams/activities/", {"since": "2023-01-01", "until": "2023-01-31", "as_of": "2024-09-01"})
    assert empty.context["table"].page.paginator.count == 0
    assert "0 kết quả" in empty.content.decode()


def test_a_leader_recording_for_one_team_goes_straight_to_its_form(world, leader):
    response = leader.get("/teams/activities/new/", {"as_of": "2024-05-06"})
    assert response.status_code == 302 and response["Location"] == f"/teams/{world.khe_dua.pk}/activities/new/"
