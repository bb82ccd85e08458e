"""A citizen registers by themselves (name, phone, commune, password) and takes part in a contest."""

import re

import pytest
from django.test import Client

from tinhso.accounts.models import RoleAssignment, User
from tinhso.accounts.testing import make_user
from tinhso.core.models.changelog import ObjectChange
from tinhso.learning.models import Attempt
from tinhso.learning.tests.factories import make_contest, make_question

pytestmark = pytest.mark.django_db
PASSWORD = "mat-khau-cua-toi-2026"


def register(client, tree, address="198.51.100.7", **changes):
    data = {
        "full_name": "Hà Thị Mai",
        "phone": "0912 345 678",
        "commune": tree.new_xuan_ai.pk,
        "village": "",
        "password": PASSWORD,
        "next": "",
    }
    return client.post("/accounts/register/", {**data, **changes}, REMOTE_ADDR=address)


def test_the_login_page_links_to_registration_with_next(tree):
    page = Client().get("/accounts/login/?next=/learning/").content.decode()
    assert 'href="/accounts/register/?next=/learning/"' in page and "Đăng ký" in page
    form = Client().get("/accounts/register/?next=/learning/").content.decode()
    assert "Xuân Ái" in form and 'value="/learning/"' in form
    assert "Yên Hợp" not in form  # a commune that no longer exists is not offered


def test_a_citizen_registers_then_starts_an_attempt(tree):
    make_question(tree.lao_cai, "truefalse", text="OTP là bí mật?")
    contest = make_contest(tree.lao_cai, questions=1)
    client = Client()
    response = register(client, tree, village="khe dua", next="/learning/")
    assert response.status_code == 302 and response.url == "/learning/"
    user = User.objects.get()
    assert (user.phone, user.username, user.full_name) == ("+84912345678", "+84912345678", "Hà Thị Mai")
    role = RoleAssignment.objects.get(user=user)
    assert (role.role, role.unit, role.include_descendants) == ("citizen", tree.new_khe_dua, False)
    assert ObjectChange.objects.filter(object_id=str(user.pk)).exists()
    assert contest.title in client.get("/learning/").content.decode()
    started = client.post(f"/learning/contests/{contest.pk}/start/")
    assert started.url == f"/learning/attempts/{Attempt.objects.get(user=user).pk}/"
    other = Client()
    assert other.post("/accounts/login/", {"username": "+84 912 345 678", "password": PASSWORD}).status_code == 302


def test_without_next_the_person_lands_on_the_home_page(tree):
    response = register(Client(), tree)
    assert response.status_code == 302 and response.url == "/"


@pytest.mark.parametrize("spelling", ["+84912345678", "84 912 345 678", "0912.345.678"])
def test_one_account_per_phone_in_any_spelling(tree, spelling):
    make_user(username="mai", phone="+84912345678")
    response = register(Client(), tree, phone=spelling, full_name="Người Khác")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Số điện thoại này đã được đăng ký" in page and "/accounts/password-reset/" in page
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"full_name": "Hà\u200bThị Mai"}, "ký tự vô hình hoặc ký tự điều khiển hướng chữ (U+200B)"),
        ({"full_name": "Mai\u202e"}, "U+202E"),
        ({"full_name": "M" * 10_000}, "tối đa 150"),
        ({"full_name": ""}, "bắt buộc"),
        ({"phone": "9" * 5000}, "tối đa 20"),
        ({"phone": "0123"}, "Nhập số điện thoại Việt Nam"),
        ({"commune": str(2**70)}, "lựa chọn hợp lệ"),
        ({"commune": "abc"}, "lựa chọn hợp lệ"),
        ({"commune": ""}, "bắt buộc"),
        ({"village": "Thôn Không Có"}, "không có thôn, bản tên như vậy"),
        ({"password": "123"}, "Mật khẩu này quá ngắn"),
    ],
)
def test_hostile_input_is_refused_in_vietnamese(tree, changes, expected):
    response = register(Client(), tree, **changes)
    assert response.status_code == 400
    assert User.objects.count() == 0 and RoleAssignment.objects.count() == 0
    errors = " ".join(re.findall(r'class="errorlist[^>]*>(.*?)</ul>', response.content.decode(), re.S))
    assert expected in errors


def test_a_commune_of_another_province_is_refused(tree):
    from tinhso.units.testing import make_unit

    other = make_unit(None, "08", "Tuyên Quang", "tinh")
    foreign = make_unit(other, "02200", "Hòa An", "xa")
    response = register(Client(), tree, commune=foreign.pk)
    assert response.status_code == 400 and User.objects.count() == 0
    assert "Hòa An" not in Client().get("/accounts/register/").content.decode()


def test_text_not_sent_as_utf8_is_refused(tree):
    body = b"full_name=H\xe0+Th\xef&phone=0912345678&commune=%d&password=%s" % (
        tree.new_xuan_ai.pk,
        PASSWORD.encode(),
    )
    response = Client().generic(
        "POST", "/accounts/register/", body, content_type="application/x-www-form-urlencoded", REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 400 and "UTF-8" in response.content.decode()
    assert User.objects.count() == 0


def test_registrations_are_limited_per_address(tree, settings):
    settings.REGISTRATION_ADDRESS_LIMIT = 2
    for _ in range(2):
        assert register(Client(), tree, address="192.0.2.50", phone="0123").status_code == 400
    response = register(Client(), tree, address="192.0.2.50")
    assert response.status_code == 429 and "Quá nhiều" in response.content.decode()
    assert User.objects.count() == 0
    assert register(Client(), tree, address="192.0.2.51").status_code == 302


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"])
def test_next_to_another_site_is_refused(tree, target):
    response = register(Client(), tree, next=target)
    assert response.status_code == 302 and response.url == "/"


def test_the_form_needs_csrf(tree):
    client = Client(enforce_csrf_checks=True)
    assert register(client, tree).status_code == 403
    assert User.objects.count() == 0


def test_the_same_number_registered_a_moment_earlier_is_refused_cleanly(tree, monkeypatch):
    """Two registrations of one number at once: the database's unique number decides, the second is told so."""
    from tinhso.accounts import services

    make_user(username="mai", phone="+84912345678")
    monkeypatch.setattr(services, "_phone_taken", lambda number: False)  # both passed the check
    response = register(Client(), tree)
    assert response.status_code == 400 and "Số điện thoại này đã được đăng ký" in response.content.decode()
    assert User.objects.count() == 1 and RoleAssignment.objects.count() == 0
