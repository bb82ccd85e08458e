"""A landslide report becomes a radio emergency for the villages around it with one action, through the
core registry of place actions (radio registers it; feedback never imports radio): the officer lands on
radio's bulletin page with a draft to check and broadcast there (radio's own two-step rules)."""

import pytest
from django.apps import apps

from tinhso.core import place_actions
from tinhso.core.context import acting_as
from tinhso.core.testing import web_client
from tinhso.feedback.choices import Level
from tinhso.feedback.models import ServiceCategory
from tinhso.radio.tests.conftest import make_cluster

from .conftest import KHE_DUA, file_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def landslide(world):
    with acting_as(None, source="test"):
        world.landslide = ServiceCategory.objects.create(
            unit=world.tree.lao_cai, code="sat-lo", name="Sạt lở đất, đá", level=Level.COMMUNE, deadline_days=3
        )
    world.khe_dua_speakers = [make_cluster(world.tree.new_khe_dua, f"Cụm loa Khe Dứa {n}") for n in (1, 2)]
    world.far_speakers = make_cluster(world.tree.new_khanh_hoa, "Cụm loa Khánh Hòa")
    return file_report(
        world,
        service=world.landslide,
        latitude=KHE_DUA[0],
        longitude=KHE_DUA[1],
        description="Taluy dương sạt xuống lấp nửa mặt đường, gọi 0912345678.",
    )


def test_the_officer_turns_a_landslide_into_a_draft_radio_emergency_for_the_villages_around(world, landslide):
    officer = web_client(world.officer)
    page = officer.get(f"/feedback/{landslide.pk}/").content.decode()
    assert "Phát khẩn cấp trên loa cho các thôn xung quanh" in page
    response = officer.post(f"/feedback/{landslide.pk}/act/radio.emergency_around/")
    bulletin = apps.get_model("radio", "Bulletin").objects.get()
    assert response.status_code == 302 and response["Location"] == bulletin.get_absolute_url()
    assert bulletin.level == "emergency" and bulletin.status == "draft"  # not on air until confirmed
    assert set(bulletin.target_clusters.all()) == set(world.khe_dua_speakers)  # not Khánh Hòa, far away
    assert "Sạt lở" in bulletin.title and "0912345678" not in bulletin.text  # the public, redacted text
    assert not bulletin.deliveries.exists()
    history = officer.get(f"/feedback/{landslide.pk}/").content.decode()
    assert bulletin.get_absolute_url() in history


def test_the_action_is_offered_only_to_who_holds_radio_s_permission_and_only_while_registered(world, landslide):
    assert "place-action" not in web_client(world.citizen).get(f"/feedback/{landslide.pk}/").content.decode()
    denied = web_client(world.citizen).post(f"/feedback/{landslide.pk}/act/radio.emergency_around/")
    assert denied.status_code in (403, 404)
    action = place_actions.get("radio.emergency_around")
    place_actions.unregister("radio.emergency_around")
    try:
        page = web_client(world.officer).get(f"/feedback/{landslide.pk}/").content.decode()
        assert "place-action" not in page
        gone = web_client(world.officer).post(f"/feedback/{landslide.pk}/act/radio.emergency_around/")
        assert gone.status_code == 403
    finally:
        place_actions.register(action)
    assert not apps.get_model("radio", "Bulletin").objects.exists()


def test_a_road_report_offers_no_radio_emergency(world, report):
    assert "place-action" not in web_client(world.officer).get(f"/feedback/{report.pk}/").content.decode()
