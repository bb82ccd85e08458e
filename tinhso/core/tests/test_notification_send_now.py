"""send_now: one text that cannot wait (a one-time code) goes at once, past preferences and quiet hours, and its
text is not kept in the inbox nor the delivery log."""

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.models import Delivery, Message, NotificationPreference
from tinhso.core.models.notifications import DeliveryState
from tinhso.core.notifications import DeliveryError, register_kind, send_now, senders
from tinhso.core.testing import web_client

pytestmark = pytest.mark.django_db
register_kind("tests.code", "Mã một lần (thử)", channels=("sms",), choosable=False)


@pytest.fixture(autouse=True)
def _night_and_console(settings):
    settings.NOTIFY_QUIET_HOURS = "00:00-23:59"
    settings.NOTIFICATION_SENDERS = {
        "email": None,
        "sms": {"BACKEND": "tinhso.core.notifications.senders.OutboxSender"},
    }
    senders.outbox.clear()


def send(person, address="+84912345678"):
    return send_now(
        person,
        kind="tests.code",
        channel="sms",
        address=address,
        subject="Tỉnh Số",
        body="Mã 123456",
        record="Đã gửi mã",
    )


def test_the_text_goes_at_once_to_the_address_whatever_the_person_chose(tree):
    person = make_user("citizen", tree.khe_dua)
    NotificationPreference.objects.create(user=person, kind="", channel="sms", enabled=False)
    delivery = send(person)
    assert [(entry.address, entry.text) for entry in senders.outbox] == [("+84912345678", "Tỉnh Số — Mã 123456")]
    delivery = Delivery.objects.get(pk=delivery.pk)
    assert delivery.state == DeliveryState.SENT and delivery.sent_at is not None
    assert Message.objects.get().body == "Đã gửi mã"  # the inbox keeps the record, not the code


def test_a_channel_that_is_off_raises_and_the_log_says_so(tree, settings):
    settings.NOTIFICATION_SENDERS = {"email": None, "sms": None}
    with pytest.raises(DeliveryError):
        send(make_user("citizen", tree.khe_dua))
    assert Delivery.objects.get().state == DeliveryState.FAILED


def test_a_kind_only_send_now_sends_is_not_offered_on_the_preferences_page(tree):
    page = web_client(make_user("citizen", tree.khe_dua)).get("/notifications/preferences/").content.decode()
    assert "Mã một lần (thử)" not in page
