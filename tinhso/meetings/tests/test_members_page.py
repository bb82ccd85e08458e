"""The members page of a body: who may open it, adding a person with a role, number and dates, ending a
membership, and hostile input that ends in 4xx with nothing written."""

import datetime

import pytest
from django.utils import timezone

from tinhso.accounts.testing import make_user
from tinhso.core.testing import database_state, web_client
from tinhso.meetings.models import BodyMember

from .conftest import START


def _url(world):
    return f"/meetings/bodies/{world.cell.pk}/members/"


def test_permission_matrix(world):
    """The secretary and the commune's officers run the body; a member, an outsider, a far officer, a citizen
    and nobody get 404 (the body's existence is not told)."""
    expected = {
        "secretary": 200,
        "officer": 200,
        "admin": 200,
        "member": 404,
        "outsider": 404,
        "far_officer": 404,
        "citizen": 404,
    }
    users = {
        "secretary": world.secretary,
        "officer": world.officer,
        "admin": world.admin,
        "member": world.members[1],
        "outsider": world.outsider,
        "far_officer": world.far_officer,
        "citizen": world.citizen,
    }
    got = {role: web_client(user).get(_url(world)).status_code for role, user in users.items()}
    assert got == expected
    assert web_client().get(_url(world)).status_code == 302  # to the login page
    newcomer = make_user(username="moi")
    post = {"username": "moi", "role": "member", "valid_from": "2025-01-01"}
    for role in ("member", "outsider", "far_officer", "citizen"):
        assert web_client(users[role]).post(_url(world), post).status_code == 404, role
    assert not BodyMember.objects.filter(user=newcomer).exists()
    for role in ("secretary", "officer", "admin"):
        BodyMember.objects.filter(user=newcomer).delete()
        assert web_client(users[role]).post(_url(world), post).status_code == 302, role
        assert BodyMember.objects.filter(body=world.cell, user=newcomer).exists(), role


def test_the_secretary_adds_a_guest_and_ends_a_membership(world):
    web = web_client(world.secretary)
    page = web.get(_url(world)).content.decode()
    assert "Thành viên" in page and "Dangvien0" in page
    guest = make_user(username="khachmoi", full_name="Khách Mời")
    response = web.post(
        _url(world),
        {"username": "khachmoi", "role": "guest", "member_number": "K01", "valid_from": "2025-01-01"},
        follow=True,
    )
    assert response.status_code == 200
    row = BodyMember.objects.get(body=world.cell, user=guest)
    assert (row.role, row.member_number, row.valid_from) == ("guest", "K01", datetime.date(2025, 1, 1))
    assert "Khách Mời" in response.content.decode()
    leaving = BodyMember.objects.get(body=world.cell, user=world.members[3])
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = web.post(f"{_url(world)}{leaving.pk}/end/", {"day": yesterday.isoformat()}, follow=True)
    assert response.status_code == 200
    leaving.refresh_from_db()
    assert leaving.valid_to == yesterday
    assert not BodyMember.objects.active_on(timezone.localdate()).filter(pk=leaving.pk).exists()
    # ending it again is refused in Vietnamese, nothing changes
    again = web.post(f"{_url(world)}{leaving.pk}/end/", {"day": yesterday.isoformat()})
    assert again.status_code == 400 and "đã kết thúc" in again.content.decode()


def test_an_officer_of_the_commune_ends_a_membership_a_member_cannot(world):
    leaving = BodyMember.objects.get(body=world.cell, user=world.members[2])
    day = timezone.localdate().isoformat()
    assert web_client(world.members[1]).post(f"{_url(world)}{leaving.pk}/end/", {"day": day}).status_code == 404
    assert web_client(world.far_officer).post(f"{_url(world)}{leaving.pk}/end/", {"day": day}).status_code == 404
    assert web_client(world.officer).post(f"{_url(world)}{leaving.pk}/end/", {"day": day}).status_code == 302
    leaving.refresh_from_db()
    assert leaving.valid_to == timezone.localdate()


@pytest.mark.parametrize(
    "post",
    [
        {"username": "khong-co-ai", "role": "member", "valid_from": "2025-01-01"},
        {"username": "dangvien0", "role": "president", "valid_from": "2025-01-01"},
        {"username": "dangvien0", "role": "member", "valid_from": "31/2/2025"},
        {"username": "dangvien0", "role": "member", "valid_from": "2025-01-01", "valid_to": "2024-01-01"},
        {"username": "dangvien0", "role": "member", "valid_from": "2025-01-01", "member_number": "001"},
        {"username": "dangvien0", "role": "member", "valid_from": "2025-01-01", "member_number": "0\u200b01"},
        {"username": "dangvien0", "role": "member", "valid_from": "2025-01-01", "member_number": "x" * 5000},
        {"username": "\x00", "role": "member", "valid_from": "2025-01-01"},
        {},
    ],
)
def test_hostile_input_ends_in_4xx_with_nothing_written(world, post):
    before = database_state(BodyMember)
    response = web_client(world.secretary).post(_url(world), post)
    assert 400 <= response.status_code < 500
    assert database_state(BodyMember) == before


def test_hostile_end_dates_and_ids(world):
    web = web_client(world.secretary)
    member = BodyMember.objects.get(body=world.cell, user=world.members[0])
    other = BodyMember.objects.get(body=world.other_cell)
    before = database_state(BodyMember)
    for url, post in (
        (f"{_url(world)}{member.pk}/end/", {"day": "hôm qua"}),
        (f"{_url(world)}{member.pk}/end/", {"day": (START - datetime.timedelta(days=1)).isoformat()}),
        (f"{_url(world)}{other.pk}/end/", {"day": "2025-01-01"}),
        (f"{_url(world)}99999999/end/", {"day": "2025-01-01"}),
        (f"/meetings/bodies/{world.other_cell.pk}/members/{other.pk}/end/", {"day": "2025-01-01"}),
    ):
        assert 400 <= web.post(url, post).status_code < 500, url
    assert web.get(f"{_url(world)}{member.pk}/end/").status_code == 405
    assert database_state(BodyMember) == before


def test_the_secretary_finds_a_person_by_name_without_accents_phone_or_user_name_and_picks_them(world):
    from tinhso.accounts.testing import make_user

    person = make_user("citizen", world.tree.new_xuan_ai, username="hoang.thi.nu", full_name="Hoàng Thị Nữ")
    person.phone = "+84912345678"
    person.save()
    far = make_user("citizen", world.tree.new_khanh_hoa, username="hoang.van.xa", full_name="Hoàng Văn Xa")
    client = web_client(world.secretary)
    url = f"/meetings/bodies/{world.cell.pk}/members/"
    for query in ("hoang thi", "Hoàng Thị", "0912 345", "nu"):
        page = client.get(url, {"q": query}).content.decode()
        assert "Hoàng Thị Nữ" in page and "hoang.thi.nu" in page, query
        assert "+84912345678" not in page  # only the last digits are shown
    assert far.full_name not in client.get(url, {"q": "hoang"}).content.decode()  # another commune's people
    assert "Hoàng Thị Nữ" not in client.get(url, {"q": "h"}).content.decode()  # no list of everyone
    picked = client.get(url, {"q": "hoang", "pick": "hoang.thi.nu"}).content.decode()
    assert 'value="hoang.thi.nu"' in picked
    assert client.get(url, {"q": "\x00<script>"}).status_code in (200, 400)  # core answers a NUL with 400
    assert web_client(world.members[1]).get(url, {"q": "hoang"}).status_code == 404
