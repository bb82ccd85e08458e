"""Clusters, validation of bulletins and device reports: what needs no speech synthesis."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tinhso.radio import services
from tinhso.radio.models import Bulletin, Delivery, PlayEvent, PlaylistOutbox, SpeakerCluster

NOW = timezone.now()


def relay(world, user, **extra):
    """A relay needs no speech: the quickest bulletin to broadcast in tests."""
    fields = {
        "title": "Tiếp sóng Đài tiếng nói Việt Nam",
        "kind": "relay",
        "stream_url": "http://radio.example.vn/vov1",
        "expires_at": NOW + datetime.timedelta(hours=1),
        "targets": [world.tree.new_xuan_ai],
    }
    return services.create_bulletin(actor=user, **{**fields, **extra})


def nothing_written():
    return Bulletin.objects.count() == 0 and Delivery.objects.count() == 0 and PlaylistOutbox.objects.count() == 0


def test_a_new_cluster_gets_a_one_time_password_kept_only_as_hashes(radio):
    cluster, password = services.create_cluster(actor=radio.officer, unit=radio.tree.new_khe_dua, name="Cụm loa 3")
    stored = SpeakerCluster.objects.get(pk=cluster.pk)
    assert password not in (stored.password_hash, stored.mosquitto_hash)
    assert stored.mosquitto_hash.startswith("$7$101$")
    assert services.authenticate_device(cluster.device_id, password) == cluster
    assert services.authenticate_device(cluster.device_id, password + "x") is None


def test_resetting_the_password_invalidates_the_old_one(radio):
    new = services.reset_password(radio.khe_dua_1, actor=radio.officer)
    assert services.authenticate_device(radio.khe_dua_1.device_id, radio.khe_dua_1.password) is None
    assert services.authenticate_device(radio.khe_dua_1.device_id, new) is not None


def test_a_cluster_belongs_to_a_commune_or_village_that_exists_today(radio):
    with pytest.raises(ValidationError, match="một xã hoặc một thôn"):
        services.create_cluster(actor=None, unit=radio.tree.lao_cai, name="Tỉnh")
    with pytest.raises(ValidationError):
        services.create_cluster(actor=None, unit=radio.tree.khe_dua, name="Khe Dứa cũ")


def test_a_commune_officer_cannot_add_a_cluster_in_another_commune(radio):
    with pytest.raises(PermissionDenied):
        services.create_cluster(actor=radio.officer, unit=radio.tree.new_khanh_hoa, name="Ngoài xã")
    assert SpeakerCluster.objects.count() == 4


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"kind": "text", "text": "   "}, "text"),
        ({"kind": "text", "text": "a" * 5001}, "text"),
        ({"send_at": NOW - datetime.timedelta(hours=2)}, "send_at"),
        ({"send_at": NOW + datetime.timedelta(hours=2), "expires_at": NOW + datetime.timedelta(hours=1)}, "expires_at"),
        ({"targets": []}, "targets"),
        ({"title": " "}, "title"),
        ({"stream_url": ""}, "stream_url"),
        ({"recurrence": {"weekdays": [0], "times": ["25:00"]}}, "recurrence"),
    ],
)
def test_bad_bulletins_are_refused_with_the_field_and_nothing_is_written(radio, fields, field):
    with pytest.raises(ValidationError) as refused:
        relay(radio, radio.officer, **fields)
    assert field in refused.value.message_dict
    assert nothing_written()


def test_too_long_text_says_how_long_in_vietnamese_numbers(radio):
    with pytest.raises(ValidationError) as refused:
        relay(radio, radio.officer, kind="text", text="a" * 5001)
    assert "5.001" in str(refused.value) and "5.000" in str(refused.value)


def test_targets_outside_the_senders_scope_are_refused(radio):
    with pytest.raises(ValidationError) as refused:
        relay(radio, radio.officer, targets=[radio.tree.new_khanh_hoa])
    assert "Khánh Hòa" in str(refused.value.message_dict["targets"])
    assert nothing_written()


def test_a_village_head_may_target_only_the_village_clusters(radio):
    with pytest.raises(ValidationError):
        relay(radio, radio.village_head, targets=[radio.tree.new_xuan_ai])
    with pytest.raises(ValidationError):
        relay(radio, radio.village_head, targets=[], clusters=[radio.xuan_ai_centre])
    assert nothing_written()
    bulletin = relay(radio, radio.village_head, targets=[radio.tree.new_khe_dua])
    assert bulletin.unit == radio.tree.new_khe_dua


def test_a_citizen_cannot_send_anything(radio):
    with pytest.raises(PermissionDenied):
        relay(radio, radio.citizen)
    assert nothing_written()


def test_broadcast_reaches_every_cluster_of_the_units_and_their_villages(radio):
    bulletin = relay(radio, radio.officer)
    assert services.broadcast(bulletin, actor=radio.officer) == 3
    clusters = set(Delivery.objects.values_list("cluster__name", flat=True))
    assert clusters == {"Cụm loa Khe Dứa 1", "Cụm loa Khe Dứa 2", "Cụm loa trung tâm xã Xuân Ái"}
    assert PlaylistOutbox.objects.filter(published_at__isnull=True).count() == 3
    bulletin.refresh_from_db()
    assert bulletin.status == "on_air"


def test_a_bulletin_cannot_be_broadcast_twice(radio):
    bulletin = relay(radio, radio.officer)
    services.broadcast(bulletin, actor=radio.officer)
    with pytest.raises(ValidationError):
        services.broadcast(bulletin, actor=radio.officer)
    assert Delivery.objects.count() == 3


def test_the_playlist_carries_the_relay_window_and_a_rising_version(radio):
    bulletin = relay(radio, radio.officer)
    services.broadcast(bulletin, actor=radio.officer)
    _cluster, first = services.next_playlist(radio.khe_dua_1.pk)
    _cluster, second = services.next_playlist(radio.khe_dua_1.pk)
    assert second["version"] == first["version"] + 1
    [item] = first["items"]
    assert item["kind"] == "relay" and item["level"] == "relay"
    assert item["stream_url"] == "http://radio.example.vn/vov1"
    assert item["starts_at"].endswith("+07:00") and item["ends_at"] == item["expires_at"]
    assert Delivery.objects.get(cluster=radio.khe_dua_1).state == "sent"


def test_cancel_removes_the_item_from_the_next_playlist(radio):
    bulletin = relay(radio, radio.officer)
    services.broadcast(bulletin, actor=radio.officer)
    PlaylistOutbox.objects.update(published_at=NOW)
    assert services.cancel(bulletin, actor=radio.officer) == 3
    assert PlaylistOutbox.objects.filter(published_at__isnull=True).count() == 3
    assert services.next_playlist(radio.khe_dua_1.pk)[1]["items"] == []
    assert set(Delivery.objects.values_list("state", flat=True)) == {"cancelled"}


def test_a_village_head_cannot_cancel_the_communes_bulletin(radio):
    bulletin = relay(radio, radio.officer)
    services.broadcast(bulletin, actor=radio.officer)
    with pytest.raises(PermissionDenied):
        services.cancel(bulletin, actor=radio.village_head)
    assert set(Delivery.objects.values_list("state", flat=True)) == {"pending"}


def test_status_and_last_will_update_the_cluster(radio):
    device = radio.khe_dua_1.device_id
    status = {"online": True, "agent_version": "1.0.2", "volume": 70, "playing": None, "keepalive": 20}
    cluster = services.record_status(device, status)
    assert cluster.status == "online" and cluster.agent_version == "1.0.2" and cluster.reported_volume == 70
    assert services.record_status(device, {"online": False}).status == "offline"


def test_a_cluster_without_status_for_one_and_a_half_keepalives_is_silent(radio):
    services.record_status(radio.khe_dua_1.device_id, {"online": True, "keepalive": 30}, now=NOW)
    assert services.silent_clusters(NOW + datetime.timedelta(seconds=44)) == []
    assert services.silent_clusters(NOW + datetime.timedelta(seconds=46)) == [radio.khe_dua_1]


def test_events_are_logged_and_move_the_delivery_along(radio):
    bulletin = relay(radio, radio.officer, repeat=2)
    services.broadcast(bulletin, actor=radio.officer)
    device, item = radio.khe_dua_1.device_id, f"b{bulletin.pk}-r1"
    services.record_event(device, {"event": "play", "item": item, "bulletin": bulletin.pk, "repetition": 1})
    delivery = Delivery.objects.get(cluster=radio.khe_dua_1)
    assert delivery.state == "playing" and delivery.plays == 1
    services.record_event(device, {"event": "stop", "item": item, "reason": "finished", "repetition": 1})
    assert Delivery.objects.get(pk=delivery.pk).state == "sent"
    services.record_event(device, {"event": "play", "item": item, "repetition": 2})
    services.record_event(device, {"event": "stop", "item": item, "reason": "finished", "repetition": 2})
    assert Delivery.objects.get(pk=delivery.pk).state == "played"
    assert PlayEvent.objects.filter(cluster=radio.khe_dua_1, bulletin=bulletin).count() == 4


def test_a_report_read_before_a_cancel_cannot_put_the_bulletin_back_on_air(radio):
    bulletin = relay(radio, radio.officer)
    services.broadcast(bulletin, actor=radio.officer)
    read_by_the_bridge = Delivery.objects.get(cluster=radio.khe_dua_1)  # the bridge read it, then...
    services.cancel(bulletin, actor=radio.officer)  # ...the officer's cancel committed
    play = {"event": "play", "item": read_by_the_bridge.item, "repetition": 1}
    services._delivery_after_event(read_by_the_bridge, play, NOW)
    delivery = Delivery.objects.get(pk=read_by_the_bridge.pk)
    assert delivery.state == "cancelled" and delivery.plays == 1  # the device did play; it stays cancelled
    assert services.next_playlist(radio.khe_dua_1.pk)[1]["items"] == []


def test_the_play_log_cannot_be_changed(radio):
    event = services.record_event(radio.khe_dua_1.device_id, {"event": "failed", "detail": "no sound card"})
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        PlayEvent.objects.all().delete()
    with pytest.raises(TypeError):
        PlayEvent.objects.update(detail="")


def test_a_cluster_back_online_gets_what_fell_due_and_the_log_says_so(radio):
    bulletin = relay(radio, radio.officer)
    services.broadcast(bulletin, actor=radio.officer)
    services.record_status(radio.khe_dua_1.device_id, {"online": True})
    logged = PlayEvent.objects.get(cluster=radio.khe_dua_1)
    assert logged.event == "delivered_on_reconnection" and logged.bulletin == bulletin


def test_the_commune_may_play_its_own_priority_bulletins_before_the_provinces(radio):
    province = relay(radio, radio.admin, level="priority", unit=radio.tree.lao_cai)
    commune = relay(radio, radio.officer, level="priority")
    services.broadcast(province, actor=radio.admin)
    services.broadcast(commune, actor=radio.officer)

    def ranks():
        cluster = radio.khe_dua_1
        return {d.bulletin_id: d.rank for d in Delivery.objects.filter(cluster=cluster)}

    assert ranks()[province.pk] < ranks()[commune.pk]
    services.set_commune_policy(actor=radio.officer, unit=radio.tree.new_xuan_ai, commune_first=True)
    assert ranks()[commune.pk] < ranks()[province.pk]


def test_an_expired_bulletin_leaves_the_playlists(radio):
    bulletin = relay(radio, radio.officer)
    services.broadcast(bulletin, actor=radio.officer)
    services.advance(NOW + datetime.timedelta(hours=2))
    bulletin.refresh_from_db()
    assert bulletin.status == "expired"
    assert set(Delivery.objects.values_list("state", flat=True)) == {"expired"}


def test_publishing_many_playlists_costs_a_few_queries_whatever_their_number(radio, django_assert_max_num_queries):
    for number in range(20):
        services.create_cluster(actor=None, unit=radio.tree.new_khe_dua, name=f"Cụm loa thêm {number}")
    services.broadcast(relay(radio, radio.officer), actor=radio.officer)
    ids = list(SpeakerCluster.objects.values_list("pk", flat=True))
    with django_assert_max_num_queries(8):
        published = services.next_playlists(ids)
    with_the_relay = [cluster for cluster, payload in published if len(payload["items"]) == 1]
    assert len(published) == 24 and len(with_the_relay) == 23  # all but Khánh Hòa's


def test_a_scheduled_bulletin_goes_on_air_at_its_time(radio):
    now = timezone.now()  # not the module's NOW: a long suite may pass its send time before this runs
    bulletin = relay(
        radio,
        radio.officer,
        send_at=now + datetime.timedelta(minutes=30),
        expires_at=now + datetime.timedelta(hours=2),
    )
    services.broadcast(bulletin, actor=radio.officer, now=now)
    bulletin.refresh_from_db()
    assert bulletin.status == "scheduled"
    services.advance(now + datetime.timedelta(minutes=31))
    bulletin.refresh_from_db()
    assert bulletin.status == "on_air"


def test_a_recurring_bulletin_gets_its_next_days_as_time_passes(radio):
    now = timezone.now()  # not the module's NOW: a long suite may pass its send time before this runs
    bulletin = relay(
        radio,
        radio.officer,
        send_at=now + datetime.timedelta(minutes=5),
        recurrence={"weekdays": [0, 1, 2, 3, 4, 5, 6], "times": ["06:00", "17:00"]},
        expires_at=now + datetime.timedelta(days=10),
    )
    services.broadcast(bulletin, actor=radio.officer, now=now)
    first = Delivery.objects.filter(cluster=radio.khe_dua_1).count()
    assert 3 <= first <= 5  # two days ahead, twice a day
    services.advance(now + datetime.timedelta(days=3))
    items = list(Delivery.objects.filter(cluster=radio.khe_dua_1).values_list("item", flat=True))
    assert len(items) > first and len(set(items)) == len(items)
