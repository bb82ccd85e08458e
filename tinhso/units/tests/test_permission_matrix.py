"""Every role × every action on units, organisations and users. A refused action changes nothing."""

import pytest

from tinhso.accounts.models import RoleAssignment, User
from tinhso.accounts.testing import make_user, role_holder, users_by_role
from tinhso.core.testing import ALL, READ, ApiMatrix, RoleMatrix, api_client, cast_on
from tinhso.units.models import Organisation, Unit
from tinhso.units.testing import make_unit

LOCAL_ADMINS = {"province_admin", "district_officer", "commune_officer"}


@pytest.fixture
def world(tree):
    tree.spare = make_unit(tree.xuan_ai, "04441-03", "Thôn Thừa", "thon")
    tree.cell = Organisation.objects.create(name="Chi bộ thôn Khe Dứa", kind="party_cell", unit=tree.khe_dua)
    tree.member = make_user("citizen", tree.khe_dua, username="thanhvien", full_name="Lò Văn Sáng")
    return tree


def unchanged(model, pk, **expected):
    row = model.objects.filter(pk=pk).values(*expected).first()
    return row == expected


READERS = {"province_admin", "dx_centre_staff", "department_staff", "district_officer", "commune_officer"}
MATRIX = RoleMatrix(
    {
        "view_village": READERS | {"village_team_leader"},
        "rename_village": LOCAL_ADMINS,
        "rename_commune": {"province_admin"},
        "add_village": LOCAL_ADMINS,
        "delete_village": {"province_admin"},
        "view_organisation": READERS | {"village_team_leader"},
        "add_organisation": LOCAL_ADMINS | {"dx_centre_staff"},
        "change_organisation": LOCAL_ADMINS | {"dx_centre_staff"},
        "delete_organisation": {"province_admin"},
        "view_user": LOCAL_ADMINS | {"dx_centre_staff"},
        "add_user": LOCAL_ADMINS,
        "change_user": LOCAL_ADMINS,
        "give_commune_role": LOCAL_ADMINS,
        "give_province_admin_role": {"province_admin"},
    }
)


def perform(action, client, world):
    """Do the action through the API; return (allowed?, whether the data is as before when refused)."""
    if action == "view_village":
        response = client.get(f"/api/v1/units/{world.khe_dua.pk}/")
        return response.status_code == 200, True
    if action == "rename_village":
        response = client.patch(f"/api/v1/units/{world.khe_dua.pk}/", {"name": "Thôn Đổi Tên"})
        return response.status_code == 200, unchanged(Unit, world.khe_dua.pk, name="Thôn Khe Dứa")
    if action == "rename_commune":
        response = client.patch(f"/api/v1/units/{world.xuan_ai.pk}/", {"name": "Xã Đổi Tên"})
        return response.status_code == 200, unchanged(Unit, world.xuan_ai.pk, name="Xã Xuân Ái")
    if action == "add_village":
        response = client.post(
            "/api/v1/units/",
            {"parent_code": "04441", "short_name": "Thôn Mới", "unit_type": "thon", "valid_from": "2024-01-01"},
        )
        return response.status_code == 201, not Unit.objects.filter(short_name="Thôn Mới").exists()
    if action == "delete_village":
        response = client.delete(f"/api/v1/units/{world.spare.pk}/")
        return response.status_code == 204, Unit.objects.filter(pk=world.spare.pk).exists()
    if action == "view_organisation":
        return client.get(f"/api/v1/organisations/{world.cell.pk}/").status_code == 200, True
    if action == "add_organisation":
        response = client.post(
            "/api/v1/organisations/", {"name": "Trường Tiểu học Xuân Ái", "kind": "school", "unit": world.xuan_ai.pk}
        )
        return response.status_code == 201, not Organisation.objects.filter(kind="school").exists()
    if action == "change_organisation":
        response = client.patch(f"/api/v1/organisations/{world.cell.pk}/", {"phone": "0216000000"})
        return response.status_code == 200, unchanged(Organisation, world.cell.pk, phone="")
    if action == "delete_organisation":
        response = client.delete(f"/api/v1/organisations/{world.cell.pk}/")
        return response.status_code == 204, Organisation.objects.filter(pk=world.cell.pk).exists()
    if action == "view_user":
        return client.get(f"/api/v1/users/{world.member.pk}/").status_code == 200, True
    if action == "add_user":
        response = client.post(
            "/api/v1/users/",
            {"username": "nguoimoi", "password": "mat-khau-rat-dai-2025", "role": "citizen", "unit": world.xuan_ai.pk},
        )
        return response.status_code == 201, not User.objects.filter(username="nguoimoi").exists()
    if action == "change_user":
        response = client.patch(f"/api/v1/users/{world.member.pk}/", {"full_name": "Tên Khác"})
        return response.status_code == 200, unchanged(User, world.member.pk, full_name="Lò Văn Sáng")
    role = "commune_officer" if action == "give_commune_role" else "province_admin"
    response = client.post(
        "/api/v1/role-assignments/", {"user": world.member.pk, "role": role, "unit": world.xuan_ai.pk}
    )
    return response.status_code == 201, not RoleAssignment.objects.filter(user=world.member, role=role).exists()


@MATRIX.cells
def test_permission_matrix(world, role, action):
    user = role_holder(role, cast_on(world)[role])
    allowed, untouched = perform(action, api_client(user), world)
    MATRIX.check(role, action, allowed, untouched)


def test_organisations_of_a_commune_through_the_shared_matrix_helper(tree):
    """The same rules, asked the NetBox way: each role × list/detail/create/update/delete, refusals change nothing."""
    users = users_by_role(cast_on(tree))
    names = iter(range(1, 100))
    matrix = ApiMatrix(
        "/api/v1/organisations/",
        Organisation,
        make=lambda: Organisation.objects.create(name=f"Trường số {next(names)}", kind="school", unit=tree.xuan_ai),
        create=lambda: {"name": f"Trạm y tế {next(names)}", "kind": "health", "unit": tree.xuan_ai.pk},
        update={"phone": "0216000000"},
    )
    readers = {"department_staff"}  # the village leader sees the organisations of the village, not the commune
    editors = LOCAL_ADMINS | {"dx_centre_staff"}
    expected = {role: {"list", "detail", "create", "update"} for role in editors}
    expected["province_admin"] = set(ALL)
    expected |= {role: set(READ) for role in readers}
    matrix.check(users, expected)
