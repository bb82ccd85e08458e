"""Recording field activities: one activity per submission however often it is sent, in the
team's own place, with evidence that is what it claims to be."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.teams import services
from tinhso.teams.demo.activities import _illustration
from tinhso.teams.models import Activity, Evidence

from .conftest import record

DAY = datetime.date(2026, 3, 12)
PNG = _illustration(8, 6)


def photo(name="anh.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


def test_sending_the_same_submission_twice_records_one_activity(world):
    first, created = record(world.khe_dua, DAY, key="4b1c-draft")
    again, created_again = record(world.khe_dua, DAY, key="4b1c-draft")
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Activity.objects.filter(team=world.khe_dua).count() == 1


def test_the_same_key_with_other_details_is_a_conflict_not_a_second_activity(world):
    record(world.khe_dua, DAY, key="k-1", people_reached=10)
    with pytest.raises(services.DuplicateSubmission) as conflict:
        record(world.khe_dua, DAY, key="k-1", people_reached=12)
    assert conflict.value.activity.people_reached == 10
    assert Activity.objects.count() == 1


def test_keys_of_two_people_never_meet(world):
    from tinhso.accounts.testing import make_user

    one, two = (
        make_user("village_team_leader", world.tree.khe_dua),
        make_user("village_team_leader", world.tree.khe_dua),
    )
    record(world.khe_dua, DAY, actor=one, key="same")
    record(world.khe_dua, DAY, actor=two, key="same")
    assert Activity.objects.count() == 2


def test_a_village_team_records_in_its_own_village_mapped_to_the_day(world):
    before, _ = record(world.khe_dua, datetime.date(2024, 5, 1))
    after, _ = record(world.khe_dua, DAY)
    assert before.village == world.tree.khe_dua
    assert after.village == world.tree.new_khe_dua


def test_a_village_team_cannot_record_in_another_village(world):
    with pytest.raises(ValidationError) as refused:
        record(world.khe_dua, datetime.date(2024, 5, 1), village=world.tree.na_hau)
    assert "village" in refused.value.message_dict
    assert not Activity.objects.exists()


def test_a_commune_team_records_in_any_village_of_its_commune_or_commune_wide(world):
    inside, _ = record(world.new_xuan_ai, DAY, village=world.tree.new_khe_dua)
    wide, _ = record(world.new_xuan_ai, DAY, key="other")
    assert inside.village == world.tree.new_khe_dua
    assert wide.village is None
    outside = services.find_village("04300-01", DAY)
    with pytest.raises(ValidationError):
        record(world.new_xuan_ai, DAY, key="third", village=outside)


def test_dates_in_the_future_or_outside_the_team_s_life_are_refused(world):
    with pytest.raises(ValidationError):
        record(world.khe_dua, datetime.date.today() + datetime.timedelta(days=2))
    with pytest.raises(ValidationError):
        record(world.xuan_ai, datetime.date(2025, 8, 1))  # dissolved on 30/6/2025
    with pytest.raises(ValidationError):
        record(world.new_xuan_ai, datetime.date(2025, 7, 15))  # founded on 1/8/2025
    assert not Activity.objects.exists()


def test_photos_are_kept_as_evidence(world):
    activity, _ = record(world.khe_dua, DAY, files=[photo(), photo("hai.png")])
    assert [e.content_type for e in activity.evidence.all()] == ["image/png", "image/png"]
    assert activity.evidence.first().file.read() == PNG


def test_a_file_is_judged_by_its_content_not_its_name(world):
    fake = SimpleUploadedFile("anh.jpg", b"<script>alert(1)</script>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        record(world.khe_dua, DAY, files=[photo(), fake])
    assert "anh.jpg" in str(refused.value)
    assert not Activity.objects.exists() and not Evidence.objects.exists()


def test_at_most_six_files(world):
    with pytest.raises(ValidationError):
        record(world.khe_dua, DAY, files=[photo(f"{n}.png") for n in range(7)])
    assert not Activity.objects.exists()


def test_an_activity_type_taken_out_of_use_cannot_be_recorded(world):
    world.door.is_active = False
    world.door.save()
    with pytest.raises(ValidationError):
        record(world.khe_dua, DAY, activity_type=world.door)


def test_deleting_an_activity_removes_its_evidence_file(world):
    activity, _ = record(world.khe_dua, DAY, files=[photo()])
    stored = activity.evidence.first().file
    services.delete_activity(activity, actor=None)
    assert not stored.storage.exists(stored.name)
