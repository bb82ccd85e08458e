"""The operators of a speaker cluster are told when it goes offline."""

import pytest

from tinhso.core.models import Message
from tinhso.radio import services


@pytest.fixture(autouse=True)
def _daytime(settings):
    settings.NOTIFY_QUIET_HOURS = ""


def offline_notices(person):
    return list(Message.objects.filter(recipient=person, kind="radio.cluster_offline"))


def test_the_village_head_and_the_commune_officer_hear_that_a_cluster_went_offline(radio):
    device = radio.khe_dua_1.device_id
    services.record_status(device, {"online": True})
    services.record_status(device, {"online": False})
    services.mark_offline(device)  # the broker's last will after the device said goodbye: no second message
    [notice] = offline_notices(radio.village_head)
    assert "Cụm loa Khe Dứa 1" in notice.subject and notice.url == radio.khe_dua_1.get_absolute_url()
    assert len(offline_notices(radio.officer)) == 1
    assert offline_notices(radio.citizen) == offline_notices(radio.admin) == []


def test_a_cluster_that_never_came_online_sends_no_alert(radio):
    services.mark_offline(radio.khanh_hoa.device_id)
    assert not Message.objects.filter(kind="radio.cluster_offline").exists()


def test_each_outage_is_told_once(radio):
    device = radio.xuan_ai_centre.device_id
    for _outage in range(2):
        services.record_status(device, {"online": True})
        services.mark_offline(device)
    assert len(offline_notices(radio.officer)) == 2
    assert offline_notices(radio.village_head) == []  # the village head of Khe Dứa does not run the commune's
