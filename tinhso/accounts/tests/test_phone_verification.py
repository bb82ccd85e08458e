"""A person proves their phone number with a 6-digit code sent by SMS (the console sender's outbox is the
phone); the owner of a number takes it back from an account that never verified it, never the other way round."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from tinhso.accounts import services
from tinhso.accounts.models import PhoneCode, User
from tinhso.accounts.testing import make_user
from tinhso.core.models import Message
from tinhso.core.models.changelog import ObjectChange
from tinhso.core.notifications import senders
from tinhso.core.testing import cast_on, web_client
from tinhso.learning.models import Attempt
from tinhso.learning.tests.factories import make_contest, make_question

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-cua-toi-2026"
NUMBER = "+84912345678"


@pytest.fixture(autouse=True)
def sms_on_the_console(settings):
    settings.NOTIFY_QUIET_HOURS = "00:00-23:59"  # a code does not wait for morning
    settings.NOTIFICATION_SENDERS = {
        "email": None,
        "sms": {"BACKEND": "tinhso.core.notifications.senders.OutboxSender"},
    }
    settings.PHONE_VERIFICATION_REQUIRED = False
    senders.outbox.clear()


def register(client, tree, phone="0912 345 678", address="198.51.100.7", **changes):
    data = {
        "full_name": "Hà Thị Mai",
        "phone": phone,
        "commune": tree.new_xuan_ai.pk,
        "village": "",
        "password": PASSWORD,
    }
    return client.post("/accounts/register/", {**data, "next": "/learning/", **changes}, REMOTE_ADDR=address)


def last_code(to=NUMBER) -> str:
    texts = [entry.text for entry in senders.outbox if entry.channel == "sms" and entry.address == to]
    assert texts, f"no SMS to {to}"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


def type_code(client, code, address="198.51.100.7"):
    return client.post("/accounts/phone/verify/", {"code": code, "next": "/learning/"}, REMOTE_ADDR=address)


def ask_again(client, address="198.51.100.7"):
    return client.post("/accounts/phone/verify/", {"send": "1"}, REMOTE_ADDR=address)


def forget_the_last_minute():
    """A minute passes: the "one code a minute" marks of the local-memory cache go."""
    from django.core.cache import cache

    for key in list(cache._cache):
        if "phone-code" in key and key.endswith(":recent"):
            cache.delete(key.split(":", 2)[2])


def test_a_citizen_registers_gets_a_code_by_sms_and_verifies_the_number(tree):
    client = Client()
    response = register(client, tree)
    assert response.status_code == 302 and response.url == "/accounts/phone/verify/?next=/learning/"
    page = client.get(response.url).content.decode()
    assert "Đã gửi mã qua SMS tới 0912 *** 678" in page and "Xác minh số điện thoại" in page
    code = last_code()
    row = PhoneCode.objects.get()
    assert code not in row.code_hash and len(row.code_hash) == 64  # only an HMAC is kept
    inbox = Message.objects.get(kind="accounts.phone_code")
    assert code not in inbox.body and "0912 *** 678" in inbox.body  # the inbox says a code went, not which
    done = type_code(client, code)
    assert done.status_code == 302 and done.url == "/learning/"
    user = User.objects.get()
    assert user.phone_is_verified and user.phone == NUMBER
    assert ObjectChange.objects.filter(object_id=str(user.pk), postchange_data__has_key="phone_verified_at").exists()
    assert "đã xác minh ngày" in client.get("/accounts/profile/").content.decode()
    assert type_code(client, code).status_code == 400  # a used code does not work twice


def test_a_wrong_code_is_refused_in_vietnamese_and_five_lock_the_code(tree):
    client = Client()
    register(client, tree)
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        response = type_code(client, wrong)
        assert response.status_code == 400 and "Mã này không đúng" in response.content.decode()
    fifth = type_code(client, wrong)
    assert fifth.status_code == 429 and "Nhập sai quá nhiều lần" in fifth.content.decode()
    assert type_code(client, code).status_code == 429  # even the right code: the code is dead
    assert not User.objects.get().phone_is_verified
    forget_the_last_minute()
    assert ask_again(client).status_code == 302
    assert type_code(client, last_code()).status_code == 302 and User.objects.get().phone_is_verified


def test_an_expired_code_is_refused(tree):
    client = Client()
    register(client, tree)
    PhoneCode.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = type_code(client, last_code())
    assert response.status_code == 400 and "Mã đã hết hạn" in response.content.decode()
    assert not User.objects.get().phone_is_verified


def test_the_sms_and_the_page_tell_how_long_the_code_lives(tree, monkeypatch):
    from tinhso.accounts import phone_verification

    assert datetime.timedelta(minutes=10) == phone_verification.CODE_LIFETIME
    monkeypatch.setattr(phone_verification, "CODE_LIFETIME", datetime.timedelta(minutes=15))
    client = Client()
    before = timezone.now()
    register(client, tree)
    sms = [entry.text for entry in senders.outbox if entry.address == NUMBER][-1]
    assert "có hiệu lực 15 phút" in sms
    assert "Mã có hiệu lực 15 phút" in client.get("/accounts/phone/verify/").content.decode()
    lives = PhoneCode.objects.get().expires_at - before
    assert datetime.timedelta(minutes=15) <= lives < datetime.timedelta(minutes=16)


def test_asking_again_within_a_minute_is_refused_and_a_new_code_replaces_the_old(tree):
    client = Client()
    register(client, tree)
    first = last_code()
    too_soon = ask_again(client)
    assert too_soon.status_code == 429 and "đợi một phút" in too_soon.content.decode()
    assert len(senders.outbox) == 1
    forget_the_last_minute()
    assert ask_again(client).status_code == 302
    second = last_code()
    if first != second:
        assert type_code(client, first).status_code == 400
    assert type_code(client, second).status_code == 302


def test_five_codes_an_hour_per_number_then_429(tree, settings):
    settings.PHONE_CODE_RESEND_SECONDS = 0  # the minute apart is another test
    client = Client()
    register(client, tree)
    for _ in range(4):
        assert ask_again(client, address=f"203.0.113.{_ + 1}").status_code == 302
    refused = ask_again(client, address="203.0.113.99")
    assert refused.status_code == 429 and "thử lại sau một giờ" in refused.content.decode()
    assert len(senders.outbox) == 5


def test_an_address_gets_its_hourly_share_of_codes_whatever_the_number(tree, settings):
    settings.PHONE_CODE_ADDRESS_HOURLY_LIMIT = 5
    people = [make_user("citizen", tree.khe_dua, phone=f"09123456{n:02d}") for n in range(6)]
    for person in people[:5]:
        services.send_phone_code(person, address="203.0.113.5")
    with pytest.raises(services.PhoneCodeRefused):
        services.send_phone_code(people[5], address="203.0.113.5")
    assert len(senders.outbox) == 5


def test_people_registering_one_after_another_in_one_commune_hall_each_get_their_code(tree):
    """The minute between two codes is the number's: a hall's one connection is not 'too soon' for the next
    person (the default address limit, 40 an hour, is the hall's)."""
    for n in range(3):
        person = make_user("citizen", tree.khe_dua, phone=f"09876543{n:02d}")
        services.send_phone_code(person, address="203.0.113.8")
    assert len(senders.outbox) == 3


def test_the_owner_takes_the_number_back_from_an_account_that_never_verified_it(tree):
    squatter = Client()
    register(squatter, tree, full_name="Kẻ Chiếm Số", password="mat-khau-ke-chiem-2026", address="198.51.100.66")
    taken = User.objects.get()
    forget_the_last_minute()
    owner = Client()
    response = register(owner, tree, address="198.51.100.7")
    assert response.status_code == 302 and response.url.startswith("/accounts/phone/verify/")
    assert "chưa từng xác minh" in owner.get(response.url).content.decode()
    mine = User.objects.exclude(pk=taken.pk).get()
    assert mine.phone is None  # nothing is taken until the code proves the number
    assert type_code(owner, last_code()).status_code == 302
    mine.refresh_from_db()
    taken.refresh_from_db()
    assert (mine.phone, mine.username, mine.phone_is_verified) == (NUMBER, NUMBER, True)
    assert taken.phone is None and taken.username == f"{NUMBER}-{taken.pk}"
    assert ObjectChange.objects.filter(object_id=str(taken.pk), prechange_data__phone=NUMBER).exists()
    assert Client().post("/accounts/login/", {"username": "0912 345 678", "password": PASSWORD}).status_code == 302
    squatters_try = Client().post("/accounts/login/", {"username": "0912345678", "password": "mat-khau-ke-chiem-2026"})
    assert squatters_try.status_code == 200  # the number no longer opens the squatter's account


def test_a_verified_number_cannot_be_taken_by_anyone(tree):
    owner = Client()
    register(owner, tree)
    type_code(owner, last_code())
    response = register(Client(), tree, full_name="Kẻ Chiếm Số", address="198.51.100.66")
    assert response.status_code == 400 and "đã được đăng ký" in response.content.decode()
    assert User.objects.count() == 1 and User.objects.get().phone_is_verified


def test_the_owner_who_verifies_first_keeps_the_number_against_a_later_claim(tree):
    owner = Client()
    register(owner, tree)
    owners_code = last_code()
    forget_the_last_minute()
    squatter = Client()
    register(squatter, tree, full_name="Kẻ Chiếm Số", address="198.51.100.66")  # the code goes to the owner's phone
    claim_code = last_code()
    assert type_code(owner, owners_code).status_code == 302
    refused = type_code(squatter, claim_code, address="198.51.100.66")  # even had the squatter read the owner's SMS
    assert refused.status_code == 400 and "tài khoản khác đã xác minh" in refused.content.decode()
    owner_account = User.objects.get(phone=NUMBER)
    assert owner_account.full_name == "Hà Thị Mai" and owner_account.phone_is_verified
    assert User.objects.get(full_name="Kẻ Chiếm Số").phone is None
    forget_the_last_minute()
    assert ask_again(squatter, address="198.51.100.66").status_code == 400  # no more SMS to a verified number


def test_without_any_sms_sender_registration_goes_on_and_numbers_cannot_be_claimed(tree, settings):
    settings.NOTIFICATION_SENDERS = {"email": None, "sms": None}
    response = register(Client(), tree)
    assert response.status_code == 302 and response.url == "/learning/"
    again = register(Client(), tree, address="198.51.100.66")
    assert again.status_code == 400 and "đã được đăng ký" in again.content.decode()
    client = Client()
    client.force_login(User.objects.get())
    page = client.get("/accounts/phone/verify/")
    assert page.status_code == 200 and "chưa gửi được mã qua SMS" in page.content.decode()
    assert ask_again(client).status_code == 400


@pytest.mark.parametrize(
    "code",
    [
        "12345",
        "1234567",
        "abcdef",
        "１２３４５６",
        "12\x0034",
        "1" * 100_000,
        "123\u200b456",
        "<script>1</script>",
        "-1e99",
    ],
)
def test_hostile_codes_are_refused_without_spending_a_try(tree, code):
    client = Client()
    register(client, tree)
    response = type_code(client, code)
    assert response.status_code == 400 and "errorlist" in response.content.decode()
    assert PhoneCode.objects.get().failed_attempts == 0


def test_invalid_utf8_and_spaces_between_digits(tree):
    client = Client()
    register(client, tree)
    response = client.post("/accounts/phone/verify/", b"code=%FF%FE", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    spaced = " ".join(last_code()[i : i + 3] for i in (0, 3))
    assert type_code(client, spaced).status_code == 302


def test_every_role_verifies_only_their_own_number_and_strangers_go_to_log_in(tree):
    for role, unit in cast_on(tree).items():
        client = web_client(make_user(role, unit))
        assert client.get("/accounts/phone/verify/").status_code == 200
    anonymous = Client()
    assert anonymous.get("/accounts/phone/verify/").url.startswith("/accounts/login/")
    assert anonymous.post("/accounts/phone/verify/", {"send": "1"}).url.startswith("/accounts/login/")
    assert senders.outbox == []


def test_a_person_verifies_from_the_profile_and_a_changed_number_must_be_verified_again(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    person = make_user("citizen", tree.khe_dua, phone="0987 654 321")
    client = Client()
    client.force_login(person)
    profile = client.get("/accounts/profile/").content.decode()
    assert "chưa xác minh" in profile and "/accounts/phone/verify/" in profile
    assert ask_again(client).status_code == 302
    assert type_code(client, last_code("+84987654321")).status_code == 302
    person.refresh_from_db()
    assert person.phone_is_verified
    services.update_user(person, actor=officer, changes={"phone": "0987 654 322"})
    person.refresh_from_db()
    assert not person.phone_is_verified


def test_an_officer_lists_the_unverified_accounts_of_the_commune(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    make_user("citizen", tree.khe_dua, full_name="Chưa Xác Minh", phone="0987 000 001")
    make_user("citizen", tree.khe_dua, full_name="Đã Xác Minh", phone="0987 000 002", phone_verified_at=timezone.now())
    client = web_client(officer)
    page = client.get("/accounts/users/?phone_verified=false").content.decode()
    assert "Chưa Xác Minh" in page and "Đã Xác Minh" not in page
    page = client.get("/accounts/users/?phone_verified=true").content.decode()
    assert "Đã Xác Minh" in page and "Chưa Xác Minh" not in page


def test_when_required_a_contest_waits_for_a_verified_phone(tree, settings):
    settings.PHONE_VERIFICATION_REQUIRED = True
    make_question(tree.lao_cai, "truefalse", text="OTP là bí mật?")
    contest = make_contest(tree.lao_cai, questions=1)
    client = Client()
    register(client, tree)
    refused = client.post(f"/learning/contests/{contest.pk}/start/", follow=True)
    assert "chỉ nhận số điện thoại đã xác minh" in refused.content.decode()
    assert not Attempt.objects.exists()
    type_code(client, last_code())
    started = client.post(f"/learning/contests/{contest.pk}/start/")
    assert started.url == f"/learning/attempts/{Attempt.objects.get().pk}/"


def test_when_required_logging_in_with_an_unverified_phone_leads_to_the_code(tree, settings):
    settings.PHONE_VERIFICATION_REQUIRED = True
    make_user("citizen", tree.khe_dua, username="mai", password=PASSWORD, phone="0912 345 678")
    response = Client().post(
        "/accounts/login/?next=/learning/", {"username": "mai", "password": PASSWORD, "next": "/learning/"}
    )
    assert response.status_code == 302 and response.url == "/accounts/phone/verify/?next=/learning/"
    assert senders.outbox == []  # nothing is sent before the person asks for it


def test_a_gateway_that_does_not_answer_gets_a_clear_503_and_the_code_can_be_asked_again(tree, settings):
    settings.NOTIFICATION_SENDERS = {
        "email": None,
        "sms": {"BACKEND": "tinhso.core.notifications.senders.HttpSender", "URL": "http://127.0.0.1:9/", "TIMEOUT": 2},
    }
    client = web_client(make_user("citizen", tree.khe_dua, phone="0987 654 321"))
    response = ask_again(client)
    assert response.status_code == 503 and "Chưa gửi được tin nhắn SMS" in response.content.decode()
    assert Message.objects.get(kind="accounts.phone_code").deliveries.get().state == "failed"
