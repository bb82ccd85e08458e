"""Lockouts stop guessing without locking a province out: per person and address, read through our proxy."""

import pytest
from django.conf import settings
from django.test import override_settings

from tinhso.accounts import throttle
from tinhso.accounts.testing import make_user
from tinhso.core.models.changelog import ObjectChange
from tinhso.core.testing import web_client

PASSWORD = "mat-khau-rat-dai-2025"
PROXY = {"REMOTE_ADDR": "127.0.0.1"}


@pytest.fixture
def officer(tree):
    return make_user("commune_officer", tree.xuan_ai, username="canbo.khoa", phone="0912345670")


@pytest.fixture
def colleague(tree):
    return make_user("commune_officer", tree.xuan_ai, username="canbo.dongnghiep")


def log_in(client, login, password=PASSWORD, address="203.0.113.7"):
    """A login through the documented nginx: the client's address arrives in X-Forwarded-For."""
    return client.post(
        "/accounts/login/", {"username": login, "password": password}, HTTP_X_FORWARDED_FOR=address, **PROXY
    )


def logged_in(response) -> bool:
    return response.status_code == 302


def test_wrong_passwords_from_one_address_do_not_lock_the_person_out_at_another(officer, client):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT + 3):
        log_in(client, "canbo.khoa", "sai-mat-khau", address="198.51.100.9")
    assert not logged_in(log_in(client, "canbo.khoa", address="198.51.100.9"))
    assert logged_in(log_in(web_client(), "canbo.khoa", address="203.0.113.7"))


def test_twenty_wrong_passwords_by_anyone_behind_the_proxy_lock_out_nobody_else(officer, colleague, client):
    for attempt in range(20):
        log_in(client, f"khong-ton-tai-{attempt}", "sai", address=f"198.51.100.{attempt + 1}")
    assert logged_in(log_in(web_client(), "canbo.khoa"))
    assert logged_in(log_in(web_client(), "canbo.dongnghiep"))


def test_one_address_trying_many_accounts_is_stopped(officer, client):
    for attempt in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        log_in(client, f"doan-{attempt}", "sai", address="198.51.100.66")
    assert not logged_in(log_in(client, "canbo.khoa", address="198.51.100.66"))
    assert logged_in(log_in(web_client(), "canbo.khoa", address="198.51.100.67"))


def test_an_address_written_by_the_client_itself_is_not_believed():
    class Request:
        META = {"REMOTE_ADDR": "198.51.100.20", "HTTP_X_FORWARDED_FOR": "10.9.9.9"}

    assert throttle.client_address(Request()) == "198.51.100.20"


def test_the_client_is_the_first_untrusted_hop_from_the_right():
    class Request:
        META = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7, 10.0.0.5"}

    with override_settings(TRUSTED_PROXIES=["127.0.0.1/32", "10.0.0.0/24"]):
        assert throttle.client_address(Request()) == "203.0.113.7"


def test_garbage_in_the_forwarded_header_falls_back_to_the_proxy_address():
    class Request:
        META = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "<script>, not-an-ip"}

    assert throttle.client_address(Request()) == "127.0.0.1"


def test_an_officer_lifts_a_lockout_and_it_is_logged(officer, tree, client):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, "canbo.khoa", "sai-mat-khau")
    assert not logged_in(log_in(client, "canbo.khoa"))
    admin = make_user("province_admin", tree.yen_bai)
    page = web_client(admin).get(f"/accounts/users/{officer.pk}/")
    assert "Bị khóa do nhập sai mật khẩu quá nhiều lần" in page.content.decode()

    response = web_client(admin).post(f"/accounts/users/{officer.pk}/unlock/")

    assert response.status_code == 302
    assert logged_in(log_in(client, "canbo.khoa"))
    change = ObjectChange.objects.filter(object_id=officer.pk, user=admin).latest("pk")
    assert change.postchange_data == {"login_lockout": "đã mở khóa"}


def test_a_village_team_leader_cannot_lift_an_officers_lockout(officer, tree, client):
    leader = make_user("village_team_leader", tree.khe_dua)
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, "canbo.khoa", "sai-mat-khau")
    web_client(leader).post(f"/accounts/users/{officer.pk}/unlock/")
    assert not logged_in(log_in(client, "canbo.khoa"))
