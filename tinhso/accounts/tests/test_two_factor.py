"""Two-step verification (TOTP): required for who can broadcast or administer the province, with real codes."""

import base64
import re
import time

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from tinhso.accounts import services, two_factor
from tinhso.accounts.testing import make_user
from tinhso.core.models.changelog import ObjectChange
from tinhso.core.testing import web_client

PASSWORD = "mat-khau-rat-dai-2025"


def code(key: bytes, steps_ahead: int = 0) -> str:
    """What the person's authenticator app shows now (or `steps_ahead` 30-second steps later)."""
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def secret_on_page(html: str) -> bytes:
    text = re.search(r'<code id="secret">([A-Z2-7 ]+)</code>', html).group(1)
    return base64.b32decode(text.replace(" ", ""))


def enrolled(user) -> bytes:
    secret = two_factor.new_secret()
    services.enrol_totp(user, secret_hex=secret, code=code(bytes.fromhex(secret)))
    return bytes.fromhex(secret)


def log_in(client, username, password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def logged_in_without_code(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(tree):
    return make_user("province_admin", tree.yen_bai, username="quantri")


@pytest.fixture
def officer(tree):
    return make_user("commune_officer", tree.xuan_ai, username="canbo.2fa")


@pytest.fixture
def citizen(tree):
    return make_user("citizen", tree.xuan_ai, username="congdan.2fa", include_descendants=False)


def test_who_must_use_it_is_decided_by_role_and_permission(tree, admin, officer, citizen):
    leader = make_user("village_team_leader", tree.khe_dua)
    secretary = make_user("party_cell_secretary", tree.na_hau)
    department = make_user("department_staff", tree.yen_bai)
    assert "radio.broadcast_bulletin" in two_factor.required_permissions()
    assert [two_factor.must_use(u) for u in (admin, officer, leader)] == [True, True, True]
    assert [two_factor.must_use(u) for u in (secretary, department, citizen)] == [False, False, False]
    with override_settings(TWO_FACTOR_REQUIRED=False):
        assert not two_factor.must_use(admin)


def test_an_administrator_without_a_device_is_sent_to_enrol_before_anything_else(admin):
    client = logged_in_without_code(admin)
    response = client.get("/units/")
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/?next=%2Funits%2F"
    assert client.get("/").status_code == 302
    assert client.get("/api/v1/units/").status_code == 403
    page = client.get("/accounts/two-factor/").content.decode()
    assert "Vai trò của bạn" in page and "<svg" in page


def test_enrolment_shows_a_qr_and_the_secret_and_a_real_code_turns_it_on(admin):
    client = logged_in_without_code(admin)
    page = client.get("/accounts/two-factor/?next=/units/").content.decode()
    # The QR is drawn inline; nothing is fetched from another host (a random secret may well contain "cdn").
    assert "<svg" in page and not re.search(r'(src|href)="(https?:)?//', page)
    key = secret_on_page(page)

    wrong = client.post("/accounts/two-factor/", {"code": "000000" if code(key) != "000000" else "111111"})
    assert wrong.status_code == 200 and "Mã này không đúng" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=admin).exists()

    response = client.post("/accounts/two-factor/", {"code": code(key), "next": "/units/"})
    assert response.status_code == 302
    shown = client.get("/accounts/two-factor/").content.decode()
    backup = re.findall(r"<li><code>([a-z2-7]+)</code></li>", shown)
    assert len(backup) == settings.BACKUP_CODE_COUNT and 'href="/units/"' in shown
    assert client.get("/units/").status_code == 200  # this session passed the second step
    assert ObjectChange.objects.filter(object_id=str(admin.pk), postchange_data__two_factor__isnull=False).exists()


def test_the_login_asks_for_the_code_after_the_password(admin):
    key = enrolled(admin)
    client = Client()
    response = log_in(client, "quantri")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session  # not logged in until the code
    assert client.get("/units/").status_code == 302

    wrong = client.post("/accounts/login/code/", {"code": "12345"})
    assert wrong.status_code == 200 and "Mã này không đúng" in wrong.content.decode()
    right = client.post("/accounts/login/code/", {"code": code(key, steps_ahead=1)})
    assert right.status_code == 302 and right["Location"] == "/"
    assert client.get("/units/").status_code == 200


def test_a_used_code_cannot_be_replayed(admin):
    key = enrolled(admin)
    used = code(key, steps_ahead=1)
    first = Client()
    log_in(first, "quantri")
    assert first.post("/accounts/login/code/", {"code": used}).status_code == 302
    second = Client()
    log_in(second, "quantri")
    assert second.post("/accounts/login/code/", {"code": used}).status_code == 200


def test_a_backup_code_works_once(admin):
    enrolled(admin)
    backup = services.new_backup_codes(admin)
    client = Client()
    log_in(client, "quantri")
    response = client.post("/accounts/login/code/", {"code": backup[0].upper()}, follow=True)
    assert response.status_code == 200 and "còn 9" in response.content.decode()
    again = Client()
    log_in(again, "quantri")
    assert again.post("/accounts/login/code/", {"code": backup[0]}).status_code == 200
    assert two_factor.backup_codes_left(admin) == settings.BACKUP_CODE_COUNT - 1


def test_wrong_codes_are_counted_by_the_login_throttle(admin):
    key = enrolled(admin)
    client = Client()
    log_in(client, "quantri")
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT):
        client.post("/accounts/login/code/", {"code": "999999" if code(key) != "999999" else "888888"})
    locked = client.post("/accounts/login/code/", {"code": code(key, steps_ahead=1)})
    assert locked.status_code == 429 and "Vui lòng chờ 15 phút" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_login_left_waiting_for_its_code_expires(admin, monkeypatch):
    key = enrolled(admin)
    client = Client()
    log_in(client, "quantri")
    session = client.session
    session[two_factor.PENDING_KEY]["at"] -= two_factor.PENDING_SECONDS + 1
    session.save()
    response = client.post("/accounts/login/code/", {"code": code(key, steps_ahead=1)})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "typed", ["' OR 1=1 --", "x" * 5000, "١٢٣٤٥٦", "\u202e123456", "12 34 56 78 90 12 34", "", "<script>"]
)
def test_hostile_codes_are_refused_without_a_server_error(admin, typed):
    enrolled(admin)
    client = Client()
    log_in(client, "quantri")
    assert client.post("/accounts/login/code/", {"code": typed}).status_code in (200, 400)
    enrol = logged_in_without_code(make_user("province_admin", admin.role_assignments.get().unit))
    enrol.get("/accounts/two-factor/")
    assert enrol.post("/accounts/two-factor/", {"code": typed}).status_code in (200, 400)
    assert "_auth_user_id" not in client.session


def test_the_code_page_without_a_password_first_goes_back_to_the_login(tree):
    client = Client()
    assert client.get("/accounts/login/code/")["Location"] == "/accounts/login/"
    assert client.post("/accounts/login/code/", {"code": "123456"})["Location"] == "/accounts/login/"


def test_a_session_that_skipped_the_code_cannot_replace_the_device_or_make_a_token(admin):
    enrolled(admin)
    client = logged_in_without_code(admin)
    assert client.get("/accounts/two-factor/")["Location"].startswith("/accounts/login/code/")
    client.post("/accounts/two-factor/", {"action": "remove"})
    client.post("/accounts/profile/", {"token": "1"})
    assert TOTPDevice.objects.filter(user=admin).count() == 1
    assert not Token.objects.filter(user=admin).exists()


def test_two_factor_is_optional_for_a_citizen_and_then_asked_at_login(citizen):
    client = Client()
    log_in(client, "congdan.2fa")
    assert client.get("/accounts/profile/").status_code == 200  # not required: no detour
    key = secret_on_page(client.get("/accounts/two-factor/").content.decode())
    client.post("/accounts/two-factor/", {"code": code(key)})
    again = Client()
    assert log_in(again, "congdan.2fa")["Location"] == "/accounts/login/code/"
    again.post("/accounts/login/code/", {"code": code(key, steps_ahead=1)})
    again.post("/accounts/two-factor/", {"action": "remove"})
    assert not TOTPDevice.objects.filter(user=citizen).exists()
    assert log_in(Client(), "congdan.2fa")["Location"] == "/"


def test_a_person_whose_role_requires_it_cannot_turn_it_off(admin):
    enrolled(admin)
    client = web_client(admin)
    response = client.post("/accounts/two-factor/", {"action": "remove"}, follow=True)
    assert "không thể tắt" in response.content.decode()
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_new_backup_codes_replace_the_old_ones(admin):
    enrolled(admin)
    old = services.new_backup_codes(admin)
    client = web_client(admin)
    client.post("/accounts/two-factor/", {"action": "backup"})
    assert two_factor.matching_device(admin, old[0]) is None
    assert two_factor.backup_codes_left(admin) == settings.BACKUP_CODE_COUNT


def test_an_officer_resets_a_lost_phone_and_the_change_log_says_so(tree, officer):
    colleague = make_user("commune_officer", tree.xuan_ai, username="canbo.matdt")
    enrolled(colleague)
    page = web_client(officer).get(f"/accounts/users/{colleague.pk}/").content.decode()
    assert "Đặt lại (mất điện thoại)" in page
    response = web_client(officer).post(f"/accounts/users/{colleague.pk}/two-factor/reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert not StaticDevice.objects.filter(user=colleague).exists()
    change = ObjectChange.objects.filter(object_id=str(colleague.pk), postchange_data__two_factor__isnull=False).latest(
        "pk"
    )
    assert change.user == officer
    client = Client()
    log_in(client, "canbo.matdt")  # no code asked; sent to enrol again
    assert client.get("/")["Location"].startswith("/accounts/two-factor/")


def test_who_may_reset_another_persons_two_factor(tree):
    target = make_user("village_team_leader", tree.khe_dua, username="totruong.2fa")
    actors = {
        "province_admin": make_user("province_admin", tree.yen_bai),
        "district_officer": make_user("district_officer", tree.van_yen),
        "commune_officer": make_user("commune_officer", tree.xuan_ai),
        "other_commune_officer": make_user("commune_officer", tree.khanh_hoa),
        "dx_centre_staff": make_user("dx_centre_staff", tree.yen_bai),
        "citizen": make_user("citizen", tree.xuan_ai, include_descendants=False),
    }
    allowed = {"province_admin", "district_officer", "commune_officer"}
    wrong = []
    for name, actor in actors.items():
        enrolled(target) if not two_factor.has_device(target) else None
        response = web_client(actor).post(f"/accounts/users/{target.pk}/two-factor/reset/")
        reset = not two_factor.has_device(target)
        if reset != (name in allowed) or (name not in allowed and response.status_code not in (302, 403, 404)):
            wrong.append(f"{name}: reset={reset} status={response.status_code}")
    assert not wrong, wrong


def test_api_tokens_by_password_only_for_accounts_without_two_factor(admin, citizen):
    client = Client()
    refused = client.post(
        "/api/v1/auth/token/", {"username": "quantri", "password": PASSWORD}, content_type="application/json"
    )
    assert refused.status_code == 403 and "xác thực hai bước" in refused.json()["detail"]
    given = client.post(
        "/api/v1/auth/token/", {"username": "congdan.2fa", "password": PASSWORD}, content_type="application/json"
    )
    assert given.status_code == 200
    enrolled(admin)
    verified = web_client(admin)
    verified.post("/accounts/profile/", {"token": "1"})
    token = Token.objects.get(user=admin).key
    assert Client().get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


def test_the_test_client_of_every_module_is_past_the_second_step(admin):
    assert web_client(admin).get("/units/").status_code == 200


def test_when_phones_must_be_verified_the_second_step_also_leads_to_the_sms_code(admin, settings):
    console = {"BACKEND": "tinhso.core.notifications.senders.OutboxSender"}
    settings.NOTIFICATION_SENDERS = {"email": None, "sms": console}
    settings.PHONE_VERIFICATION_REQUIRED = True
    services.update_user(admin, actor=None, changes={"phone": "0912 345 678"})
    key = enrolled(admin)
    client = Client()
    log_in(client, "quantri")
    right = client.post("/accounts/login/code/", {"code": code(key, steps_ahead=1)})
    assert right.status_code == 302 and right["Location"] == "/accounts/phone/verify/"
