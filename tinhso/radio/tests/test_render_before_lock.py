"""Speech takes seconds: it is rendered before the service opens a transaction or locks the bulletin's row,
so a long text never holds a lock that the bridge or a cancel waits for."""

import pytest
from django.db import connection

from tinhso.radio import audio, services
from tinhso.radio.models import Bulletin, Delivery
from tinhso.radio.tests.test_broadcast import cap_document


@pytest.fixture
def transactions_while_speaking(monkeypatch):
    """How many transactions (savepoints) the service had opened each time speech was rendered."""
    depth_before = len(connection.savepoint_ids)
    depths: list[int] = []
    real_speak = audio.speak

    def speak(bulletin):
        depths.append(len(connection.savepoint_ids) - depth_before)
        return real_speak(bulletin)

    monkeypatch.setattr(audio, "speak", speak)
    return depths


def text(world, **extra):
    return {
        "title": "Lịch tiêm chủng",
        "text": "Sáng mai tiêm chủng tại nhà văn hóa thôn.",
        "targets": [world.tree.new_xuan_ai],
        **extra,
    }


def test_a_new_bulletin_is_spoken_before_anything_is_written(radio, transactions_while_speaking):
    bulletin = services.create_bulletin(actor=radio.officer, **text(radio))
    assert transactions_while_speaking == [0]
    assert bulletin.pk and bulletin.audio_sha256


def test_send_now_speaks_first_then_saves_and_broadcasts_in_one_transaction(radio, transactions_while_speaking):
    bulletin = services.send_now(actor=radio.officer, **text(radio))
    assert transactions_while_speaking == [0]
    assert bulletin.status == "on_air" and Delivery.objects.filter(bulletin=bulletin).count() == 3


def test_a_draft_saved_without_audio_is_spoken_before_its_row_is_locked(radio, transactions_while_speaking):
    draft = services.create_bulletin(actor=radio.officer, **text(radio))
    Bulletin.objects.filter(pk=draft.pk).update(audio_sha256="", reading="")
    draft.refresh_from_db()
    transactions_while_speaking.clear()
    assert services.broadcast(draft, actor=radio.officer) == 3
    assert transactions_while_speaking == [0]
    draft.refresh_from_db()
    assert draft.status == "on_air" and draft.audio_sha256


def test_an_edit_is_spoken_again_before_it_is_stored(radio, transactions_while_speaking):
    draft = services.create_bulletin(actor=radio.officer, **text(radio))
    services.update_bulletin(draft, actor=radio.officer, text="Chiều mai tiêm chủng tại trạm y tế xã.")
    assert transactions_while_speaking == [0, 0]
    draft.refresh_from_db()
    assert draft.reading and "trạm y tế" in draft.text


def test_a_cap_alert_is_spoken_before_the_cancel_and_broadcast_transaction(radio, transactions_while_speaking):
    bulletin, _cancelled, _again = services.import_cap(cap_document("flood-van-yen.xml"), actor=radio.admin)
    assert transactions_while_speaking == [0]
    assert bulletin is not None and bulletin.status == "on_air"
