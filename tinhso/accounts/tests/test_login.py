import pytest
from django.conf import settings

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client

PASSWORD = "mat-khau-rat-dai-2025"


@pytest.fixture
def officer(tree):
    return make_user("commune_officer", tree.xuan_ai, username="canbo.test", phone="0912345678")


def log_in(client, login, password=PASSWORD):
    return client.post("/accounts/login/", {"username": login, "password": password})


@pytest.mark.parametrize("login", ["canbo.test", "CANBO.TEST", "0912345678", "+84 912 345 678", "0912.345.678"])
def test_people_log_in_with_their_username_or_phone_number(officer, client, login):
    response = log_in(client, login)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == officer.pk


def test_a_wrong_password_gets_a_vietnamese_message(officer, client):
    response = log_in(client, "canbo.test", "sai-mat-khau")
    assert "Sai tên đăng nhập, số điện thoại hoặc mật khẩu." in response.content.decode()


def test_after_too_many_failures_even_the_right_password_waits(officer, client):
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        log_in(client, "canbo.test", "sai-mat-khau")
    response = log_in(client, "canbo.test")
    assert response.status_code == 200
    assert "Vui lòng chờ 15 phút" in response.content.decode()


def test_the_api_token_is_issued_for_a_username_and_password(tree):
    make_user("party_cell_secretary", tree.na_hau, username="bithu.test")  # a role without two-step verification
    client = web_client()
    token = client.post(
        "/api/v1/auth/token/", {"username": "bithu.test", "password": PASSWORD}, content_type="application/json"
    ).json()["token"]
    response = client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200


def test_a_wrong_api_login_is_refused_and_throttled(officer):
    client = web_client()
    statuses = [
        client.post(
            "/api/v1/auth/token/", {"username": "canbo.test", "password": "x"}, content_type="application/json"
        ).status_code
        for _ in range(6)
    ]
    assert statuses[0] == 401 and statuses[-1] == 429
    assert (
        "Vui lòng chờ"
        in client.post(
            "/api/v1/auth/token/", {"username": "canbo.test", "password": PASSWORD}, content_type="application/json"
        ).json()["detail"]
    )


def test_an_expired_session_sends_the_person_back_to_log_in(officer):
    client = web_client(officer)
    client.cookies[settings.SESSION_COOKIE_NAME] = "het-han"
    response = client.get("/units/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_api_without_credentials_answers_401_in_vietnamese(tree):
    response = web_client().get("/api/v1/units/")
    assert response.status_code in (401, 403)
    assert "xác thực" in response.json()["detail"].lower()
