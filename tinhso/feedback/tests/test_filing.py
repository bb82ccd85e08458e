"""Filing a report: location, routing, deadline, photos, duplicates, idempotency; nothing half-written."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tinhso.core.models import Message
from tinhso.feedback import services
from tinhso.feedback.models import Photo, Report, ReportEvent, RoutingRule

from .conftest import KHE_DUA, file_report, photo_file

pytestmark = pytest.mark.django_db


def test_a_local_matter_goes_to_the_commune_of_the_village_with_a_deadline_in_working_days(world):
    report = file_report(world)
    assert report.routed_to == world.xuan_ai_committee
    assert report.unit == world.tree.new_xuan_ai
    assert report.status == "open"
    assert report.deadline > report.submitted_at.date() + datetime.timedelta(days=10)  # 10 working days ≥ 14 days
    assert [event.kind for event in report.events.all()] == ["created", "routed"]


def test_a_field_matter_goes_to_the_province_department(world):
    report = file_report(world, service=world.bridge)
    assert report.routed_to == world.transport


def test_a_routing_rule_of_a_smaller_area_wins(world):
    RoutingRule.objects.create(unit=world.tree.new_khe_dua, category=world.road, organisation=world.transport)
    assert file_report(world).routed_to == world.transport


def test_a_pin_without_a_village_is_placed_in_the_nearest_village(world):
    report = file_report(world, place=None, latitude="21.7201", longitude="104.4801")
    assert report.place == world.tree.new_khe_dua
    assert report.routed_to == world.xuan_ai_committee


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"place": None}, "place"),
        ({"place": None, "latitude": "91", "longitude": "104"}, "latitude"),
        ({"place": None, "latitude": "abc", "longitude": "104"}, "latitude"),
        ({"place": None, "latitude": "1.0", "longitude": "1.0"}, "latitude"),
        ({"description": "x" * 4001}, "description"),
        ({"description": "   "}, "description"),
        ({"description": "Đường\u202ehỏng"}, "description"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(world, fields, field):
    with pytest.raises(ValidationError) as error:
        file_report(world, **fields)
    assert field in error.value.message_dict
    assert not Report.objects.exists() and not ReportEvent.objects.exists() and not Message.objects.exists()


def test_a_category_that_is_not_public_is_filed_and_kept_off_the_public_pages(world):
    from tinhso.feedback.publication import public_reports

    report = file_report(world, service=world.internal)
    assert report.routed_to == world.xuan_ai_committee and not public_reports().filter(pk=report.pk).exists()


def test_no_category_is_refused(world):
    with pytest.raises(ValidationError) as error:
        services.submit_report(actor=world.citizen, service=None, place=world.tree.new_khe_dua, description="x")
    assert "service" in error.value.message_dict and not Report.objects.exists()


def test_the_reporter_is_told_the_report_arrived(world):
    report = file_report(world)
    message = Message.objects.get(recipient=world.citizen)
    assert message.kind == "feedback.status" and str(report.pk) in message.subject


def test_a_resend_with_the_same_key_returns_the_first_report(world):
    first, created = services.submit_report(
        actor=world.citizen,
        service=world.road,
        place=world.tree.new_khe_dua,
        description="Mất điện",
        idempotency_key="k1",
    )
    again, created_again = services.submit_report(
        actor=world.citizen,
        service=world.road,
        place=world.tree.new_khe_dua,
        description="Mất điện",
        idempotency_key="k1",
    )
    assert created and not created_again and again.pk == first.pk
    assert Report.objects.count() == 1


def test_the_same_key_with_other_details_is_a_conflict(world):
    services.submit_report(
        actor=world.citizen,
        service=world.road,
        place=world.tree.new_khe_dua,
        description="Mất điện",
        idempotency_key="k",
    )
    with pytest.raises(services.DuplicateSubmission):
        services.submit_report(
            actor=world.citizen,
            service=world.road,
            place=world.tree.new_khe_dua,
            description="Khác",
            idempotency_key="k",
        )


def test_two_people_may_use_the_same_key(world):
    for person in (world.citizen, world.neighbour):
        services.submit_report(
            actor=person, service=world.road, place=world.tree.new_khe_dua, description="Mất điện", idempotency_key="1"
        )
    assert Report.objects.count() == 2


def test_a_report_within_100_m_and_7_days_is_marked_as_a_possible_duplicate(world):
    first = file_report(world, latitude=KHE_DUA[0], longitude=KHE_DUA[1])
    near = file_report(world, actor=world.neighbour, latitude=KHE_DUA[0] + Decimal("0.0005"), longitude=KHE_DUA[1])
    far = file_report(world, actor=world.neighbour, latitude=KHE_DUA[0] + Decimal("0.002"), longitude=KHE_DUA[1])
    other = file_report(world, service=world.bridge, latitude=KHE_DUA[0], longitude=KHE_DUA[1])
    assert near.duplicate_of == first
    assert far.duplicate_of is None and other.duplicate_of is None


def test_photos_are_resized_and_lose_their_gps_point(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = file_report(world, photos=[photo_file()])
    photo = Photo.objects.get(report=report)
    for copy, size in ((photo.image, 1280), (photo.thumbnail, 320)):
        with Image.open(copy.open("rb")) as picture:
            assert max(picture.size) == size
            assert 0x8825 not in picture.getexif()


@pytest.mark.parametrize(
    "photos",
    [
        [SimpleUploadedFile("virus.jpg", b"MZ not a picture", content_type="image/jpeg")],
        [photo_file() for _ in range(6)],
    ],
)
def test_bad_photos_are_refused_and_nothing_is_written(world, photos):
    with pytest.raises(ValidationError):
        file_report(world, photos=photos)
    assert not Report.objects.exists() and not Photo.objects.exists()


def test_a_photo_over_the_size_limit_is_refused(world, settings):
    big = photo_file()
    big.size = 11 * 1024 * 1024
    with pytest.raises(ValidationError):
        file_report(world, photos=[big])
    assert not Report.objects.exists()


def test_a_village_team_leader_files_for_a_neighbour_without_a_phone(world):
    report = file_report(world, actor=world.village_head, assisted=True, contact_name="Bà Lò Thị Xuân")
    assert report.assisted_by == world.village_head and report.reporter is None
    assert report.contact_name == "Bà Lò Thị Xuân"


def test_a_citizen_cannot_file_on_behalf_of_others(world):
    with pytest.raises(PermissionDenied):
        file_report(world, assisted=True, contact_name="Ai đó")
    assert not Report.objects.exists()


def test_phone_numbers_ids_and_emails_are_removed_from_the_public_text(world):
    report = file_report(
        world, description="Gọi 0912 345 678 hoặc +84 912.345.679, CCCD 001234567890, thư mai@example.com. Km 12."
    )
    assert "0912" not in report.public_text and "001234567890" not in report.public_text
    assert "mai@example.com" not in report.public_text and "+84" not in report.public_text
    assert "Km 12" in report.public_text
