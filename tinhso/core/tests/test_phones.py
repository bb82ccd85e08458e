"""One reader of Vietnamese phone numbers: what accounts store is what the SMS and Zalo senders dial."""

import pytest

from tinhso.accounts.models import phone_to_e164
from tinhso.core.notifications.senders import BaseSender, OutboxSender
from tinhso.core.phones import e164, parse_phone


@pytest.mark.parametrize(
    ("typed", "dialled"),
    [
        ("0912 345 678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("84-912-345-678", "+84912345678"),
        ("0243 825 6789", "+842438256789"),  # a fixed line in Hà Nội
    ],
)
def test_numbers_in_service_are_dialled_in_e164(typed, dialled):
    assert e164(typed) == dialled == phone_to_e164(typed)


@pytest.mark.parametrize("typed", ["", None, "0000000000", "01912345678", "+1 202 555 0143", "abc", "0912", "9" * 200])
def test_what_accounts_refuse_the_senders_do_not_dial(typed):
    assert parse_phone(typed) is None and e164(typed) == ""


def test_a_sender_must_say_how_it_sends():
    class Incomplete(BaseSender):
        pass

    with pytest.raises(TypeError):
        Incomplete("sms")  # type: ignore[abstract]
    person = type("Person", (), {"phone": "0912.345.678", "pk": 1})()
    assert OutboxSender("sms").address_for(person) == "+84912345678"
    person.phone = "0000000000"
    assert OutboxSender("zalo").address_for(person) == ""
