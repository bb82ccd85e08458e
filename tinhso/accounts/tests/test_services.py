"""The one write path of accounts: who may create, change and give roles, and what a refusal leaves behind."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from tinhso.accounts import services
from tinhso.accounts.backends import UsernameOrPhoneBackend
from tinhso.accounts.models import RoleAssignment, User, normalise_phone
from tinhso.accounts.testing import make_user
from tinhso.core.models import ObjectChange

pytestmark = pytest.mark.django_db


@given(digits=st.text(alphabet="0123456789", min_size=9, max_size=10))
def test_every_way_of_writing_a_number_is_stored_the_same(digits):
    local = "0" + digits
    spaced = " ".join([local[:4], local[4:7], local[7:]])
    assert normalise_phone(local) == normalise_phone(spaced) == normalise_phone("+84 " + local[1:]) == local


def test_a_commune_officer_creates_an_account_with_a_role_below_their_own(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    user = services.create_user(
        actor=officer,
        username=" tothon.khedua ",
        password=None,
        role="village_team_leader",
        unit=tree.new_khe_dua,
        phone="+84 912 000 111",
    )
    assert (user.username, user.phone, user.has_usable_password()) == ("tothon.khedua", "+84912000111", False)
    assert [(a.role, a.unit) for a in user.role_assignments.all()] == [("village_team_leader", tree.new_khe_dua)]
    assert ObjectChange.objects.filter(object_repr__contains="tothon.khedua").exists()


def test_nobody_gives_more_than_they_hold_and_nothing_is_left_behind(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    before = User.objects.count()
    with pytest.raises(PermissionDenied):
        services.create_user(
            actor=officer, username="quantri.moi", password=None, role="province_admin", unit=tree.xuan_ai
        )
    with pytest.raises(PermissionDenied):
        services.create_user(actor=officer, username="canbo.yenhop", password=None, role="citizen", unit=tree.yen_hop)
    assert User.objects.count() == before


def test_a_weak_password_or_a_bad_phone_is_refused_in_vietnamese(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    with pytest.raises(ValidationError):
        services.create_user(actor=officer, username="yeu", password="123", role="citizen", unit=tree.khe_dua)
    with pytest.raises(ValidationError, match="số điện thoại"):
        services.create_user(
            actor=officer, username="sai.so", password=None, role="citizen", unit=tree.khe_dua, phone="12345"
        )
    assert not User.objects.filter(username__in=["yeu", "sai.so"]).exists()


def test_only_the_editable_fields_change(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    villager = make_user("citizen", tree.khe_dua, full_name="Lò Văn Sáng")
    services.update_user(villager, actor=officer, changes={"full_name": "Lò Văn Sáng Mới"})
    with pytest.raises(ValidationError):
        services.update_user(villager, actor=officer, changes={"is_superuser": True})
    villager.refresh_from_db()
    assert (villager.full_name, villager.is_superuser) == ("Lò Văn Sáng Mới", False)


def test_a_changed_password_ends_the_old_api_token(tree):
    person = make_user("citizen", tree.khe_dua)
    services.issue_token(person)
    services.set_password(person, actor=person, password="mot-mat-khau-moi-2025")
    person.refresh_from_db()
    assert person.check_password("mot-mat-khau-moi-2025")
    assert not Token.objects.filter(user=person).exists()
    other = make_user("citizen", tree.khe_dua)
    with pytest.raises(PermissionDenied):
        services.set_password(person, actor=other, password="mat-khau-cua-nguoi-khac-1")


def test_a_role_is_given_once(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    villager = make_user("citizen", tree.khe_dua)
    services.assign_role(villager, actor=officer, role="party_cell_secretary", unit=tree.na_hau)
    with pytest.raises(ValidationError, match="đã có vai trò"):
        services.assign_role(villager, actor=officer, role="party_cell_secretary", unit=tree.na_hau)
    assert RoleAssignment.objects.filter(user=villager, role="party_cell_secretary", unit=tree.na_hau).count() == 1


def test_a_role_given_or_removed_takes_effect_at_once_with_its_continuation(tree):
    officer = make_user("commune_officer", tree.xuan_ai)
    villager = make_user("citizen", tree.khe_dua)
    assert not villager.has_perm("radio.add_bulletin")
    role = services.assign_role(villager, actor=officer, role="village_team_leader", unit=tree.khe_dua)
    assert villager.has_perm("radio.add_bulletin", tree.khe_dua)
    assert villager.has_perm("radio.add_bulletin", tree.new_khe_dua)
    services.remove_role(role, actor=officer)
    assert not villager.has_perm("radio.add_bulletin", tree.khe_dua)
    assert not villager.has_perm("radio.add_bulletin", tree.new_khe_dua)
    assert list(villager.role_assignments.values_list("role", flat=True)) == ["citizen"]


def test_the_backend_lists_the_permissions_of_the_roles_held(tree):
    backend = UsernameOrPhoneBackend()
    leader = make_user("village_team_leader", tree.khe_dua)
    permissions = backend.get_all_permissions(leader)
    assert "radio.add_bulletin" in permissions and "accounts.add_user" not in permissions
    assert backend.has_module_perms(leader, "radio") and not backend.has_module_perms(leader, "accounts")
    leader.is_active = False
    assert backend.get_all_permissions(leader) == set()
    assert not backend.has_perm(leader, "radio.add_bulletin")
