"""The radio pages as people use them: compose and send, follow delivery, cancel, manage clusters."""

import datetime

from django.utils import timezone

from tinhso.core.testing import web_client
from tinhso.radio import services
from tinhso.radio.models import Bulletin, CommuneRadioPolicy, Delivery, PronunciationEntry, SpeakerCluster


def later(hours=1) -> str:
    return timezone.localtime(timezone.now() + datetime.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def relay_form(radio, **extra):
    form = {
        "title": "Tiếp sóng VOV1",
        "kind": "relay",
        "stream_url": "http://radio.example.vn/vov1",
        "level": "normal",
        "voice": "north",
        "targets": [radio.tree.new_khe_dua.pk],
        "when": "now",
        "expires_at": later(),
        "action": "send",
    }
    return {**form, **extra}


def test_the_composer_offers_only_the_units_within_the_senders_scope(radio):
    page = web_client(radio.village_head).get("/radio/bulletins/new/")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Khe Dứa" in content and "Khánh Hòa" not in content


def test_sending_from_the_composer_reaches_the_villages_clusters(radio):
    response = web_client(radio.village_head).post("/radio/bulletins/new/", relay_form(radio))
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"] == bulletin.get_absolute_url()
    assert bulletin.status == "on_air"
    assert set(Delivery.objects.values_list("cluster__name", flat=True)) == {"Cụm loa Khe Dứa 1", "Cụm loa Khe Dứa 2"}
    detail = web_client(radio.village_head).get(bulletin.get_absolute_url()).content.decode()
    assert "Cụm loa Khe Dứa 2" in detail


def test_a_draft_is_saved_without_sending(radio):
    web_client(radio.officer).post("/radio/bulletins/new/", relay_form(radio, action="draft"))
    assert Bulletin.objects.get().status == "draft" and Delivery.objects.count() == 0


def test_a_recurring_bulletin_from_the_composer(radio):
    form = relay_form(
        radio,
        when="recurring",
        send_at=later(1),
        weekdays=["0", "1", "2", "3", "4", "5", "6"],
        times="06:00, 17:00",
        expires_at=later(24 * 7),
    )
    response = web_client(radio.officer).post("/radio/bulletins/new/", form)
    assert response.status_code == 302
    bulletin = Bulletin.objects.get()
    assert bulletin.recurrence == {"weekdays": [0, 1, 2, 3, 4, 5, 6], "times": ["06:00", "17:00"]}
    assert Delivery.objects.filter(cluster=radio.khe_dua_1).count() >= 3


def test_a_bad_bulletin_shows_the_errors_on_the_form_and_sends_nothing(radio):
    response = web_client(radio.officer).post("/radio/bulletins/new/", relay_form(radio, stream_url="", targets=[]))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Bulletin.objects.count() == 0


def test_broadcast_and_cancel_from_the_bulletin_page(radio):
    bulletin = services.create_bulletin(
        actor=radio.officer,
        title="Tiếp sóng",
        kind="relay",
        stream_url="http://radio.example.vn/vov1",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
        targets=[radio.tree.new_xuan_ai],
    )
    client = web_client(radio.officer)
    assert f"/radio/bulletins/{bulletin.pk}/broadcast/" in client.get(bulletin.get_absolute_url()).content.decode()
    client.post(f"/radio/bulletins/{bulletin.pk}/broadcast/")
    assert Delivery.objects.filter(bulletin=bulletin).count() == 3
    assert f"/radio/bulletins/{bulletin.pk}/cancel/" in client.get(bulletin.get_absolute_url()).content.decode()
    client.post(f"/radio/bulletins/{bulletin.pk}/cancel/")
    assert set(Delivery.objects.values_list("state", flat=True)) == {"cancelled"}


def test_the_cluster_list_shows_status_and_exports(radio, django_assert_max_num_queries):
    services.record_status(radio.khe_dua_1.device_id, {"online": True, "agent_version": "1.2.3", "volume": 70})
    client = web_client(radio.officer)
    with django_assert_max_num_queries(15):
        page = client.get("/radio/clusters/")
    content = page.content.decode()
    assert "Cụm loa Khe Dứa 1" in content and "1.2.3" in content and "Khánh Hòa" not in content
    assert 'hx-trigger="every 10s"' in content  # statuses refresh by themselves
    assert ">Trạng thái</th>" in content and ">Âm lượng</th>" in content  # headings start with a capital
    assert '<label for="id_status">Trạng thái:</label>' in content
    export = client.get("/radio/clusters/?export=csv")
    assert export.status_code == 200 and "Cụm loa Khe Dứa 1" in export.content.decode()


def test_adding_a_cluster_shows_its_password_once(radio):
    response = web_client(radio.officer).post(
        "/radio/clusters/add/",
        {"name": "Cụm loa mới", "unit": radio.tree.new_khe_dua.pk, "keepalive": 30, "volume": 80},
    )
    cluster = SpeakerCluster.objects.get(name="Cụm loa mới")
    password = response.context["password"]
    assert services.authenticate_device(cluster.device_id, password) == cluster
    assert password not in web_client(radio.officer).get(cluster.get_absolute_url()).content.decode()


def test_the_dictionary_and_the_broadcasting_order(radio):
    client = web_client(radio.officer)
    client.post(
        "/radio/dictionary/", {"unit": radio.tree.new_xuan_ai.pk, "written": "Ngòi Thia", "spoken": "ngòi thia"}
    )
    assert PronunciationEntry.objects.get().written == "Ngòi Thia"
    client.post("/radio/order/", {"unit": radio.tree.new_xuan_ai.pk, "commune_first": "on"})
    assert CommuneRadioPolicy.objects.get(unit=radio.tree.new_xuan_ai).commune_first is True


def test_every_radio_page_answers(radio):
    client = web_client(radio.officer)
    for url in (
        "/radio/",
        "/radio/clusters/",
        f"/radio/clusters/{radio.khe_dua_1.pk}/",
        "/radio/dictionary/",
        "/radio/order/",
        "/radio/bulletins/new/",
        "/radio/log/",
        "/radio/boards/",
    ):
        assert client.get(url).status_code == 200, url
    assert web_client(radio.citizen).get("/radio/bulletins/new/").status_code == 403


def test_a_cap_file_that_fails_the_schema_shows_why_and_sends_nothing(radio):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = SimpleUploadedFile("alert.xml", b"<alert><identifier>x</identifier></alert>", "application/xml")
    response = web_client(radio.admin).post("/radio/bulletins/cap/", {"document": document})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Bulletin.objects.count() == 0
    assert web_client(radio.village_head).get("/radio/bulletins/cap/").status_code == 403


def test_the_delivery_table_refreshes_while_the_bulletin_is_on_air(radio):
    bulletin = services.create_bulletin(
        actor=radio.officer,
        title="Tiếp sóng",
        kind="relay",
        stream_url="http://radio.example.vn/vov1",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
        targets=[radio.tree.new_xuan_ai],
    )
    services.broadcast(bulletin, actor=radio.officer)
    assert 'hx-trigger="every 5s"' in web_client(radio.officer).get(bulletin.get_absolute_url()).content.decode()
