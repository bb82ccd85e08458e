"""The operators of a speaker cluster are told when it goes offline."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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


def went_offline_together(add_clusters, number, prefix):
    """`number` clusters of Khe Dứa come online, then a power cut: their last wills arrive in one batch."""
    clusters = add_clusters(number, prefix)
    services.record_statuses([(cluster.device_id, {"online": True}) for cluster in clusters])
    with CaptureQueriesContext(connection) as queries:
        services.record_statuses([(cluster.device_id, {"online": False}) for cluster in clusters])
    return clusters, len(queries.captured_queries)


def test_a_power_cut_tells_each_operator_of_every_cluster_in_one_batch(radio, add_clusters):
    went_offline_together(add_clusters, 1, "first")  # what is looked up once and cached (content type)
    few, few_queries = went_offline_together(add_clusters, 3, "few")
    many, many_queries = went_offline_together(add_clusters, 15, "many")
    assert many_queries == few_queries  # the notices go as one batch, not a few queries per cluster
    for person in (radio.village_head, radio.officer):
        told = {notice.related_id for notice in offline_notices(person)}
        assert {str(cluster.pk) for cluster in few + many} <= told
    assert offline_notices(radio.citizen) == []
