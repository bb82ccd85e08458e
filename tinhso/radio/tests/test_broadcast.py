"""Spoken bulletins end to end on the server: speech, emergencies, device downloads, CAP in and out.

These need the speech package (tinhso.radio.speech, built alongside); they run once it is merged.
"""

import base64
import datetime
import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from tinhso.core.testing import web_client
from tinhso.radio import services
from tinhso.radio.models import Bulletin, Delivery

CAP_FOLDER = Path(__file__).parent / "cap"
TEXT = "UBND xã Xuân Ái thông báo: ngày 27/3/2024 tiêm phòng cho gia súc tại nhà văn hóa thôn."


def send(radio, user=None, **fields):
    values = {"title": "Tiêm phòng gia súc", "text": TEXT, "targets": [radio.tree.new_xuan_ai]}
    return services.send_now(actor=user or radio.officer, **{**values, **fields})


def basic(cluster, password=None) -> dict:
    token = base64.b64encode(f"{cluster.device_id}:{password or cluster.password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def test_a_text_bulletin_is_spoken_and_its_audio_checksum_travels_in_the_playlist(radio):
    bulletin = send(radio)
    assert bulletin.audio_sha256 and bulletin.duration > 0 and bulletin.audio_url
    [item] = services.next_playlist(radio.khe_dua_1.pk)[1]["items"]
    assert item["sha256"] == bulletin.audio_sha256
    assert item["audio_url"].endswith(f"/radio/device/audio/{bulletin.audio_sha256}.ogg")


def test_an_emergency_plays_at_once_at_full_volume_three_times_before_everything(radio):
    normal = send(radio)
    emergency = send(radio, title="Lũ quét", level="emergency")
    playlist = services.next_playlist(radio.khe_dua_1.pk)[1]
    first = playlist["items"][0]
    assert first["bulletin"] == emergency.pk and first["level"] == "emergency"
    assert first["volume"] == 100 and first["repeat"] == 3 and first["rank"] < playlist["items"][1]["rank"]
    assert playlist["items"][1]["bulletin"] == normal.pk
    assert emergency.status == "on_air"


def test_a_device_downloads_the_audio_of_its_bulletins_with_its_own_credentials(radio):
    bulletin = send(radio)
    url = f"/radio/device/audio/{bulletin.audio_sha256}.ogg"
    response = Client().get(url, **basic(radio.khe_dua_1))
    assert response.status_code == 200 and response["Content-Type"] == "audio/ogg"
    assert hashlib.sha256(b"".join(response.streaming_content)).hexdigest() == bulletin.audio_sha256
    assert Client().get(url, **basic(radio.khe_dua_1, "wrong")).status_code == 401
    assert Client().get(url).status_code == 401
    assert Client().get(url, **basic(radio.khanh_hoa)).status_code == 404  # not delivered to that cluster


def test_people_hear_the_audio_only_within_their_scope(radio, tree):
    from tinhso.accounts.testing import make_user

    bulletin = send(radio)
    assert web_client(radio.officer).get(bulletin.audio_url).status_code == 200
    stranger = make_user("commune_officer", tree.new_khanh_hoa)
    assert web_client(stranger).get(bulletin.audio_url).status_code == 404


def test_an_uploaded_file_that_is_not_audio_is_refused_and_nothing_is_written(radio):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("thong-bao.mp3", b"this is not an mp3 at all", content_type="audio/mpeg")
    with pytest.raises(ValidationError) as refused:
        services.create_bulletin(
            actor=radio.officer, title="Tệp hỏng", kind="audio", upload=upload, targets=[radio.tree.new_xuan_ai]
        )
    assert "audio" in refused.value.message_dict
    assert Bulletin.objects.count() == 0


def cap_document(name: str, **times) -> bytes:
    """A sample alert moved to today, so that it has not expired."""
    text = (CAP_FOLDER / name).read_text(encoding="utf-8")
    today = timezone.localdate().isoformat()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    text = text.replace("2026-09-10T18:00", f"{tomorrow}T18:00").replace("2026-09-10", today)
    return text.encode()


def test_a_cap_alert_becomes_an_emergency_and_a_cap_cancel_stops_it(radio):
    bulletin, cancelled, _again = services.import_cap(cap_document("flood-van-yen.xml"), actor=radio.admin)
    assert cancelled == [] and bulletin.level == "emergency" and bulletin.status == "on_air"
    reached = set(Delivery.objects.filter(bulletin=bulletin).values_list("cluster__name", flat=True))
    assert reached == {"Cụm loa Khe Dứa 1", "Cụm loa Khe Dứa 2", "Cụm loa trung tâm xã Xuân Ái", "Cụm loa Khánh Hòa"}
    _none, cancelled, _again = services.import_cap(cap_document("flood-van-yen-cancel.xml"), actor=radio.admin)
    assert [b.pk for b in cancelled] == [bulletin.pk]
    assert set(Delivery.objects.filter(bulletin=bulletin).values_list("state", flat=True)) == {"cancelled"}


def test_every_emergency_exports_as_cap_with_vietnam_time(radio):
    from tinhso.radio import cap

    emergency = send(radio, title="Lũ quét", level="emergency")
    document = services.export_cap(emergency)
    alert = cap.parse_cap(document)  # validates against the OASIS schema
    assert alert.headline == "Lũ quét" and b"+07:00" in document


def test_a_dictionary_reading_must_be_vietnamese(radio):
    from tinhso.radio.models import PronunciationEntry

    with pytest.raises(ValidationError) as refused:
        services.save_pronunciation(
            actor=radio.officer, unit=radio.tree.new_xuan_ai, written="HTX", spoken="cooperative"
        )
    assert "cooperative" in str(refused.value.message_dict["spoken"])
    services.save_pronunciation(actor=radio.officer, unit=radio.tree.new_xuan_ai, written="HTX", spoken="hợp tác xã")
    assert PronunciationEntry.objects.get().spoken == "hợp tác xã"


def test_a_cap_file_uploaded_on_the_page_becomes_an_emergency(radio):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = SimpleUploadedFile("lu-quet.xml", cap_document("flood-van-yen.xml"), "application/cap+xml")
    response = web_client(radio.admin).post("/radio/bulletins/cap/", {"document": document})
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"] == bulletin.get_absolute_url()
    assert bulletin.level == "emergency" and bulletin.status == "on_air"


def test_a_recording_from_the_browser_is_converted_and_sent(radio, tmp_path):
    import subprocess

    from django.core.files.uploadedfile import SimpleUploadedFile

    webm = tmp_path / "recording.webm"  # what MediaRecorder gives in Chromium: Opus in WebM
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "libopus", str(webm)],
        check=True,
    )
    form = {
        "title": "Thông báo của trưởng thôn",
        "kind": "recording",
        "recording": SimpleUploadedFile("recording.webm", webm.read_bytes(), "audio/webm"),
        "level": "normal",
        "voice": "north",
        "targets": [radio.tree.new_khe_dua.pk],
        "when": "now",
        "action": "send",
    }
    response = web_client(radio.village_head).post("/radio/bulletins/new/", form)
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and bulletin.kind == "recording" and bulletin.audio_sha256
    assert bulletin.duration and 1.5 < bulletin.duration < 2.5
    assert Delivery.objects.filter(bulletin=bulletin).count() == 2


def test_an_alert_received_again_is_recognised_and_neither_stored_nor_broadcast_twice(radio):
    """CAP feeds resend: the same sender, identifier and sent time is the same alert."""
    first = services.import_cap(cap_document("flood-van-yen.xml"), actor=radio.admin)
    deliveries = Delivery.objects.count()
    again = services.import_cap(cap_document("flood-van-yen.xml"), actor=radio.admin)
    assert again.already_received and not first.already_received
    assert again.bulletin.pk == first.bulletin.pk
    assert Bulletin.objects.filter(level="emergency").count() == 1
    assert Delivery.objects.count() == deliveries


def test_the_same_identifier_sent_at_another_time_is_another_alert(radio):
    services.import_cap(cap_document("flood-van-yen.xml"), actor=radio.admin)
    resent = cap_document("flood-van-yen.xml").replace(b"T05:30:00", b"T05:45:00")
    assert resent != cap_document("flood-van-yen.xml")
    later = services.import_cap(resent, actor=radio.admin)
    assert not later.already_received and Bulletin.objects.filter(level="emergency").count() == 2


def test_a_cancel_received_again_is_recognised_not_refused(radio):
    first = services.import_cap(cap_document("flood-van-yen.xml"), actor=radio.admin)
    services.import_cap(cap_document("flood-van-yen-cancel.xml"), actor=radio.admin)
    again = services.import_cap(cap_document("flood-van-yen-cancel.xml"), actor=radio.admin)
    assert again.already_received and [b.pk for b in again.cancelled] == [first.bulletin.pk]
