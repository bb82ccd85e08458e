"""Every role × list/detail/create/update/delete on users and role assignments (the shared matrix helper)."""

import itertools

import pytest

from tinhso.accounts.models import RoleAssignment, User
from tinhso.accounts.testing import make_user, users_by_role
from tinhso.core.testing import READ, ApiMatrix, PageMatrix, cast_on

LOCAL_ADMINS = ("province_admin", "district_officer", "commune_officer")
_names = itertools.count(1)


@pytest.fixture
def users(tree):
    return users_by_role(cast_on(tree))


def villager(tree):
    return make_user("citizen", tree.khe_dua, full_name="Lò Văn Sáng")


def test_who_may_see_add_and_change_accounts(tree, users):
    matrix = ApiMatrix(
        "/api/v1/users/",
        User,
        make=lambda: villager(tree),
        create=lambda: {
            "username": f"nguoimoi{next(_names)}",
            "password": "mat-khau-rat-dai-2025",
            "role": "citizen",
            "unit": tree.xuan_ai.pk,
        },
        update={"full_name": "Tên Khác"},
    )
    expected = {role: {"list", "detail", "create", "update"} for role in LOCAL_ADMINS}
    expected["dx_centre_staff"] = set(READ)
    matrix.check(users, expected)  # nobody deletes an account (no DELETE on the API): deactivate instead


def test_who_may_see_give_and_take_roles(tree, users):
    matrix = ApiMatrix(
        "/api/v1/role-assignments/",
        RoleAssignment,
        make=lambda: villager(tree).role_assignments.get(),
        create=lambda: {"user": villager(tree).pk, "role": "party_cell_secretary", "unit": tree.khe_dua.pk},
    )
    expected = {role: {"list", "detail", "create", "delete"} for role in LOCAL_ADMINS}
    expected["dx_centre_staff"] = set(READ)
    matrix.check(users, expected)


def test_a_role_out_of_the_commune_is_out_of_reach_for_the_commune_officer(tree, users):
    matrix = ApiMatrix(
        "/api/v1/role-assignments/",
        RoleAssignment,
        make=lambda: make_user("citizen", tree.khuoi_vai).role_assignments.get(),
        create=lambda: {
            "user": make_user("citizen", tree.khuoi_vai).pk,
            "role": "party_cell_secretary",
            "unit": tree.khuoi_vai.pk,
        },
    )
    everything = {"list", "detail", "create", "delete"}
    matrix.check(
        {role: users[role] for role in ("province_admin", "district_officer", "commune_officer", "dx_centre_staff")},
        {"province_admin": everything, "dx_centre_staff": set(READ)},
    )


def test_the_user_pages_follow_the_same_matrix(tree, users):
    matrix = PageMatrix(
        "/accounts/users/?q=",
        lambda user: f"/accounts/users/{user.pk}/",
        make=lambda: villager(tree),
        shows=lambda user: f"/accounts/users/{user.pk}/",
    )
    matrix.check(users, {role: set(READ) for role in (*LOCAL_ADMINS, "dx_centre_staff")})
