import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from tinhso.accounts import services
from tinhso.accounts.models import User, format_phone
from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client

PASSWORD = "mat-khau-rat-dai-2025"


def new_user(tree, phone, username="hoa.ly"):
    return services.create_user(
        actor=None, username=username, password=PASSWORD, role="commune_officer", unit=tree.xuan_ai, phone=phone
    )


@pytest.mark.parametrize("typed", ["0912345678", "0912 345 678", "+84 912 345 678", "84912345678", "0912.345.678"])
def test_a_phone_number_is_stored_in_international_form_whichever_way_it_is_typed(tree, typed):
    assert new_user(tree, typed).phone == "+84912345678"


def test_a_landline_is_accepted_too(tree):
    assert new_user(tree, "024 3825 1234").phone == "+842438251234"


@pytest.mark.parametrize("typed", ["0000000000", "01682345678", "091234567", "+1 202 555 0100", "không có"])
def test_a_number_not_in_service_in_viet_nam_is_refused_and_nothing_is_written(tree, typed):
    with pytest.raises(ValidationError) as refusal:
        new_user(tree, typed)
    assert "0912 345 678" in str(refusal.value)
    assert not User.objects.filter(username="hoa.ly").exists()


def test_two_people_cannot_share_a_number_however_it_is_spelled(tree):
    new_user(tree, "0912345678")
    with pytest.raises(ValidationError):
        new_user(tree, "+84 912 345 678", username="other")


def test_the_number_is_shown_the_vietnamese_way(tree):
    person = new_user(tree, "+84912345678")
    assert format_phone(person.phone) == "0912 345 678"
    client = web_client(person)
    assert "0912 345 678" in client.get("/accounts/profile/").content.decode()


@pytest.mark.parametrize("login", ["0912 345 678", "+84912345678", "84 912 345 678", "0912-345-678"])
def test_people_log_in_with_their_number_in_any_common_spelling(tree, client, login):
    person = new_user(tree, "0912345678")
    response = client.post("/accounts/login/", {"username": login, "password": PASSWORD})
    assert response.status_code == 302 and int(client.session["_auth_user_id"]) == person.pk


def test_an_administrator_finds_a_person_by_the_number_as_people_write_it(tree):
    new_user(tree, "0912345678")
    admin = make_user("commune_officer", tree.xuan_ai)
    page = web_client(admin).get("/accounts/users/", {"q": "0912 345"}).content.decode()
    assert "hoa.ly" in page


def test_the_data_migration_converts_old_numbers_and_clears_impossible_ones(tree):
    kept, impossible = make_user(), make_user()
    User.objects.filter(pk=kept.pk).update(phone="0912 000 005")
    User.objects.filter(pk=impossible.pk).update(phone="0000000000")
    migration = importlib.import_module("tinhso.accounts.migrations.0003_phone_e164")
    migration.forwards(apps, None)
    assert User.objects.get(pk=kept.pk).phone == "+84912000005"
    assert User.objects.get(pk=impossible.pk).phone is None
