import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.mail.backends import locmem

from tinhso.accounts.testing import make_user
from tinhso.core.models import Delivery, Message, NotificationPreference
from tinhso.core.notifications import (
    Notice,
    mark_all_read,
    mark_read,
    notify,
    notify_many,
    register_kind,
    senders,
    unread_count,
)
from tinhso.core.notifications.dispatch import end_of_quiet_hours, send_due_deliveries

HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
register_kind("tests.reminder", "Nhắc việc (thử)")
register_kind("tests.alert", "Cảnh báo (thử)", channels=("in_app", "email", "sms"))


@pytest.fixture(autouse=True)
def _daytime_and_console(settings):
    settings.NOTIFY_QUIET_HOURS = ""
    settings.NOTIFICATION_SENDERS = {
        "email": {"BACKEND": "tinhso.core.notifications.senders.EmailSender"},
        "sms": {"BACKEND": "tinhso.core.notifications.senders.OutboxSender"},
        "zalo": {"BACKEND": "tinhso.core.notifications.senders.OutboxSender"},
    }
    senders.outbox.clear()


def officer(tree, **fields):
    fields.setdefault("email", "can.bo@xuanai.gov.vn")
    return make_user("commune_officer", tree.xuan_ai, **fields)


def tell(recipients, capture, **overrides):
    fields = {"kind": "tests.reminder", "subject": "Nhiệm vụ sắp đến hạn", "body": "Còn 7 ngày.", "url": "/plans/"}
    with capture(execute=True):
        return notify(recipients, **(fields | overrides))


def states(message):
    return {delivery.channel: delivery.state for delivery in message.deliveries.all()}


def test_a_person_finds_the_message_in_the_inbox_and_by_email(tree, django_capture_on_commit_callbacks):
    person = officer(tree)
    [message] = tell(person, django_capture_on_commit_callbacks)
    assert message.recipient == person and unread_count(person) == 1
    assert states(message) == {"in_app": "delivered", "email": "sent"}
    assert mail.outbox[0].to == ["can.bo@xuanai.gov.vn"] and "Còn 7 ngày." in mail.outbox[0].body
    assert "http://" in mail.outbox[0].body and "/plans/" in mail.outbox[0].body


def test_nothing_leaves_before_the_transaction_commits(tree, django_capture_on_commit_callbacks):
    person = officer(tree)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        [message] = notify(person, kind="tests.reminder", subject="Họp", body="")
    assert states(message)["email"] == "queued" and not mail.outbox and len(callbacks) == 1


def test_each_recipient_gets_one_message_even_when_listed_twice(tree, django_capture_on_commit_callbacks):
    first, second = officer(tree), officer(tree, email="")
    messages = tell([first, second, first], django_capture_on_commit_callbacks)
    assert [message.recipient for message in messages] == [first, second]
    assert states(messages[1]) == {"in_app": "delivered"}  # no e-mail address, no e-mail delivery


def test_a_resend_with_the_same_dedupe_key_sends_nothing_twice(tree, django_capture_on_commit_callbacks):
    person = officer(tree)
    assert len(tell(person, django_capture_on_commit_callbacks, dedupe_key="task-7-due")) == 1
    assert tell(person, django_capture_on_commit_callbacks, dedupe_key="task-7-due") == []
    assert len(tell(person, django_capture_on_commit_callbacks, dedupe_key="task-8-due")) == 1
    assert Message.objects.filter(recipient=person).count() == 2 and len(mail.outbox) == 2


def test_many_notices_go_in_one_batch_each_to_its_people_without_repeats(
    tree, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    first, second = officer(tree), officer(tree, email="thu.hai@xuanai.gov.vn")
    tell(first, django_capture_on_commit_callbacks, dedupe_key="cluster-1-offline")  # told before
    notices = [
        Notice(
            [first, second],
            kind="tests.reminder",
            subject=f"Cụm loa {number} mất kết nối",
            body="Kiểm tra.",
            dedupe_key=f"cluster-{number}-offline",
        )
        for number in range(1, 11)
    ]
    notices.append(notices[-1])  # the same notice twice in one batch: told once
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(8):
        written = notify_many(notices)
    assert len(written) == 19  # 10 notices to 2 people, less the one the first was already told
    assert Message.objects.filter(recipient=second, subject="Cụm loa 10 mất kết nối").count() == 1
    assert len(mail.outbox) == 19 and Message.objects.filter(recipient=first).count() == 10


def test_the_message_remembers_what_it_is_about_and_who_caused_it(tree, django_capture_on_commit_callbacks):
    person, chief = officer(tree), make_user("district_officer", tree.van_yen)
    [message] = tell(person, django_capture_on_commit_callbacks, related=tree.xuan_ai, actor=chief)
    message = Message.objects.get(pk=message.pk)
    assert message.related == tree.xuan_ai and message.actor == chief


def test_an_unknown_kind_or_an_absolute_link_is_a_programming_error(tree):
    person = officer(tree)
    with pytest.raises(ValueError):
        notify(person, kind="tests.nothing", subject="x", body="")
    with pytest.raises(ValueError):
        notify(person, kind="tests.reminder", subject="x", body="", url="https://evil.example/")
    assert not Message.objects.exists()


def test_sms_and_zalo_go_to_the_phone_in_international_form(tree, django_capture_on_commit_callbacks):
    person = officer(tree, phone="0912345678")
    NotificationPreference.objects.create(user=person, kind="", channel="zalo", enabled=True)
    [message] = tell(person, django_capture_on_commit_callbacks, kind="tests.alert")
    assert states(message) == {"in_app": "delivered", "email": "sent", "sms": "sent", "zalo": "sent"}
    assert {(entry.channel, entry.address) for entry in senders.outbox} == {
        ("sms", "+84912345678"),
        ("zalo", "+84912345678"),
    }


def test_a_person_can_turn_a_channel_off_for_one_kind_or_for_all(tree, django_capture_on_commit_callbacks):
    person = officer(tree, phone="0912345678")
    NotificationPreference.objects.create(user=person, kind="", channel="email", enabled=False)
    NotificationPreference.objects.create(user=person, kind="tests.alert", channel="email", enabled=True)
    NotificationPreference.objects.create(user=person, kind="tests.alert", channel="sms", enabled=False)
    [reminder] = tell(person, django_capture_on_commit_callbacks)
    [alert] = tell(person, django_capture_on_commit_callbacks, kind="tests.alert")
    assert set(states(reminder)) == {"in_app"}
    assert set(states(alert)) == {"in_app", "email"}


def test_a_channel_that_is_not_configured_is_not_used(tree, settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_SENDERS = {"email": None, "sms": None}
    [message] = tell(officer(tree, phone="0912345678"), django_capture_on_commit_callbacks, kind="tests.alert")
    assert set(states(message)) == {"in_app"}


def test_reading_the_message_marks_the_in_app_delivery_read(tree, django_capture_on_commit_callbacks):
    person = officer(tree)
    first, second = tell([person], django_capture_on_commit_callbacks) + tell(
        [person], django_capture_on_commit_callbacks
    )
    mark_read(first, actor=person)
    assert unread_count(person) == 1 and Delivery.objects.get(message=first, channel="in_app").state == "read"
    assert mark_all_read(actor=person) == 1 and unread_count(person) == 0


def test_nobody_else_can_mark_a_message_read(tree, django_capture_on_commit_callbacks):
    from django.core.exceptions import PermissionDenied

    [message] = tell(officer(tree), django_capture_on_commit_callbacks)
    with pytest.raises(PermissionDenied):
        mark_read(message, actor=officer(tree))
    assert Message.objects.get(pk=message.pk).read_at is None


@pytest.mark.parametrize(
    ("local", "held_until"),
    [
        (datetime.datetime(2026, 3, 27, 22, 15), datetime.datetime(2026, 3, 28, 6, 30)),
        (datetime.datetime(2026, 3, 28, 5, 0), datetime.datetime(2026, 3, 28, 6, 30)),
        (datetime.datetime(2026, 3, 28, 6, 30), None),
        (datetime.datetime(2026, 3, 27, 20, 59), None),
    ],
)
def test_quiet_hours_hold_sends_until_half_past_six(settings, local, held_until):
    settings.NOTIFY_QUIET_HOURS = "21:00-06:30"
    expected = held_until and held_until.replace(tzinfo=HANOI)
    assert end_of_quiet_hours(local.replace(tzinfo=HANOI)) == expected


def test_a_message_at_night_waits_for_morning_unless_urgent(tree, settings, django_capture_on_commit_callbacks):
    settings.NOTIFY_QUIET_HOURS = "00:00-23:59"  # it is always night in this test
    person = officer(tree, phone="0912345678")
    [quiet] = tell(person, django_capture_on_commit_callbacks, kind="tests.alert")
    [urgent] = tell(person, django_capture_on_commit_callbacks, kind="tests.alert", urgent=True)
    assert states(quiet) == {"in_app": "delivered", "email": "queued", "sms": "queued"}
    assert states(urgent) == {"in_app": "delivered", "email": "sent", "sms": "sent"}
    morning = Delivery.objects.filter(message=quiet, channel="sms").get().not_before
    assert send_due_deliveries(now=morning) == 2
    assert states(quiet) == {"in_app": "delivered", "email": "sent", "sms": "sent"}


class FlakySender(senders.BaseSender):
    """Fails while `failures` is above zero; permanent failures when asked."""

    failures = 0
    permanent = False

    def send(self, delivery):
        if FlakySender.failures:
            FlakySender.failures -= 1
            raise senders.DeliveryError("gateway busy", permanent=FlakySender.permanent)
        return "ok-1"


@pytest.fixture
def flaky_sms(settings):
    settings.NOTIFICATION_SENDERS = {"sms": {"BACKEND": f"{__name__}.FlakySender"}}
    FlakySender.failures, FlakySender.permanent = 0, False
    return FlakySender


def test_a_failed_send_is_tried_again_later_with_growing_delays(tree, flaky_sms, django_capture_on_commit_callbacks):
    flaky_sms.failures = 2
    [message] = tell(officer(tree, phone="0912345678"), django_capture_on_commit_callbacks, kind="tests.alert")
    sms = Delivery.objects.get(message=message, channel="sms")
    assert (sms.state, sms.attempts, sms.last_error) == ("queued", 1, "gateway busy")
    first_wait = sms.not_before - sms.updated_at
    assert send_due_deliveries(now=sms.not_before) == 0  # fails again, waits longer
    sms.refresh_from_db()
    assert sms.attempts == 2 and sms.not_before - sms.updated_at > first_wait
    assert send_due_deliveries(now=sms.not_before) == 1
    sms.refresh_from_db()
    assert (sms.state, sms.attempts, sms.provider_reference, sms.last_error) == ("sent", 3, "ok-1", "")


def test_nothing_is_sent_again_before_its_time(tree, flaky_sms, django_capture_on_commit_callbacks):
    flaky_sms.failures = 1
    [message] = tell(officer(tree, phone="0912345678"), django_capture_on_commit_callbacks, kind="tests.alert")
    sms = Delivery.objects.get(message=message, channel="sms")
    assert send_due_deliveries(now=sms.not_before - datetime.timedelta(seconds=1)) == 0
    sms.refresh_from_db()
    assert (sms.state, sms.attempts) == ("queued", 1)


def test_after_the_last_attempt_the_delivery_is_failed(tree, settings, flaky_sms, django_capture_on_commit_callbacks):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    flaky_sms.failures = 5
    [message] = tell(officer(tree, phone="0912345678"), django_capture_on_commit_callbacks, kind="tests.alert")
    sms = Delivery.objects.get(message=message, channel="sms")
    send_due_deliveries(now=sms.not_before)
    sms.refresh_from_db()
    assert (sms.state, sms.attempts, sms.not_before) == ("failed", 2, None)


def test_a_refusal_by_the_provider_is_not_retried(tree, flaky_sms, django_capture_on_commit_callbacks):
    flaky_sms.failures, flaky_sms.permanent = 1, True
    [message] = tell(officer(tree, phone="0912345678"), django_capture_on_commit_callbacks, kind="tests.alert")
    assert Delivery.objects.get(message=message, channel="sms").state == "failed"


class PickyMailBackend(locmem.EmailBackend):
    """The locmem backend, counting its connections and refusing one address (a mailbox that bounces at once)."""

    opened = 0

    def open(self):
        PickyMailBackend.opened += 1
        return super().open()

    def send_messages(self, messages):
        if any("khong-ton-tai" in address for message in messages for address in message.to):
            raise OSError("550 mailbox unavailable")
        return super().send_messages(messages)


def test_a_list_of_e_mails_goes_through_one_connection_and_each_keeps_its_outcome(
    tree, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.PickyMailBackend"
    PickyMailBackend.opened = 0
    people = [officer(tree, email=f"can.bo{n}@xuanai.gov.vn") for n in range(4)]
    bounced = officer(tree, email="khong-ton-tai@xuanai.gov.vn")
    messages = tell([*people, bounced], django_capture_on_commit_callbacks)
    assert PickyMailBackend.opened == 1 and len(mail.outbox) == 4
    assert {states(message)["email"] for message in messages if message.recipient != bounced} == {"sent"}
    failed = Delivery.objects.get(message__recipient=bounced, channel="email")
    assert failed.state == "queued" and failed.not_before and "550" in failed.last_error  # tried again later
