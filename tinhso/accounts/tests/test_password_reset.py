"""Self-service password reset by e-mail: the mail is read from the outbox and the reset completed."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from rest_framework.authtoken.models import Token

from tinhso.accounts import services
from tinhso.accounts.testing import make_user
from tinhso.core.models.changelog import ObjectChange

NEW_PASSWORD = "mot-mat-khau-moi-2026"
PROXY = {"REMOTE_ADDR": "127.0.0.1"}


@pytest.fixture
def person(tree):
    return make_user(
        "party_cell_secretary", tree.na_hau, username="bithu.quen", email="bithu@example.vn", full_name="Đặng Văn Quý"
    )


def ask(client, email, address="203.0.113.5"):
    return client.post("/accounts/password-reset/", {"email": email}, HTTP_X_FORWARDED_FOR=address, **PROXY)


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/)", message.body).group(1)


def test_the_login_page_offers_it(tree):
    assert 'href="/accounts/password-reset/"' in Client().get("/accounts/login/").content.decode()
    page = Client().get("/accounts/password-reset/").content.decode()
    assert "Quên mật khẩu?" in page


def test_a_person_resets_the_password_from_the_mail(person):
    client = Client()
    response = ask(client, "BITHU@example.vn")
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bithu@example.vn"] and "mật khẩu" in message.subject
    assert "Đặng Văn Quý" in message.body and "bithu.quen" in message.body

    form_page = client.get(link_in(message), follow=True)
    assert form_page.status_code == 200 and "Mật khẩu mới" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/password-reset/done/"
    assert Client().post("/accounts/login/", {"username": "bithu.quen", "password": NEW_PASSWORD}).status_code == 302
    assert ObjectChange.objects.filter(object_id=str(person.pk), postchange_data__password__isnull=False).exists()


def test_a_link_works_once(person):
    client = Client()
    ask(client, "bithu@example.vn")
    link = link_in(mail.outbox[0])
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = Client().get(link, follow=True)
    assert "không còn hiệu lực" in again.content.decode()


def test_an_unknown_email_gets_the_same_answer_and_no_mail(person):
    known, unknown = ask(Client(), "bithu@example.vn"), ask(Client(), "khong-co@example.vn", address="203.0.113.6")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [["bithu@example.vn"]]


def test_a_weak_password_is_refused_and_the_old_one_still_works(person):
    client = Client()
    ask(client, "bithu@example.vn")
    form_page = client.get(link_in(mail.outbox[0]), follow=True)
    refused = client.post(form_page.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"})
    assert refused.status_code == 200
    person.refresh_from_db()
    assert person.check_password("mat-khau-rat-dai-2025")


def test_the_reset_revokes_api_tokens(person):
    services.issue_token(person)
    client = Client()
    ask(client, "bithu@example.vn")
    form_page = client.get(link_in(mail.outbox[0]), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert not Token.objects.filter(user=person).exists()


def test_the_reset_does_not_skip_the_second_step(tree):
    from tinhso.accounts.tests.test_two_factor import enrolled

    admin = make_user("province_admin", tree.yen_bai, username="quantri.quen", email="qt@example.vn")
    enrolled(admin)
    client = Client()
    ask(client, "qt@example.vn")
    form_page = client.get(link_in(mail.outbox[0]), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    login = Client().post("/accounts/login/", {"username": "quantri.quen", "password": NEW_PASSWORD})
    assert login["Location"] == "/accounts/login/code/"


def test_mails_to_one_address_are_limited_without_saying_so(person):
    for attempt in range(settings.PASSWORD_RESET_EMAIL_LIMIT + 2):
        response = ask(Client(), "bithu@example.vn", address=f"198.51.100.{attempt + 1}")
        assert response.status_code == 302
    assert len(mail.outbox) == settings.PASSWORD_RESET_EMAIL_LIMIT


@override_settings(PASSWORD_RESET_ADDRESS_LIMIT=3)
def test_one_address_asking_too_often_is_told_to_wait(person):
    statuses = [ask(Client(), f"ai-{n}@example.vn", address="198.51.100.77").status_code for n in range(4)]
    assert statuses == [302, 302, 302, 429]
    assert ask(Client(), "bithu@example.vn", address="198.51.100.78").status_code == 302


@pytest.mark.parametrize(
    "email", ["not-an-email", "a" * 500 + "@example.vn", "bithu@example.vn\r\nBcc: x@evil.vn", "\u202ebithu@example.vn"]
)
def test_hostile_input_is_refused_without_a_server_error(person, email):
    response = ask(Client(), email)
    assert response.status_code in (200, 302, 400)
    assert mail.outbox == []


@pytest.mark.parametrize("path", ["/accounts/password-reset/MQ/bad-token/", "/accounts/password-reset/!!!/x/"])
def test_a_forged_link_is_refused(person, path):
    response = Client().get(path, follow=True)
    assert response.status_code == 200 and "không còn hiệu lực" in response.content.decode()
    response = Client().post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    person.refresh_from_db()
    assert response.status_code < 500 and person.check_password("mat-khau-rat-dai-2025")
