"""A province keeps at least one active administrator (issue 10, item 5): the last one can be neither removed
nor deactivated — by themselves or by a peer — through the service, the page or the API; nothing changes."""

import pytest
from django.core.exceptions import ValidationError

from tinhso.accounts import services
from tinhso.accounts.models import RoleAssignment, User
from tinhso.accounts.testing import make_user
from tinhso.core.models import ObjectChange
from tinhso.core.testing import api_client, web_client

pytestmark = pytest.mark.django_db
REFUSAL = "phải còn ít nhất một quản trị viên tỉnh"


@pytest.fixture
def admin(tree):
    return make_user("province_admin", tree.lao_cai, username="quantri")


def admin_role(user, tree):
    return user.role_assignments.get(unit=tree.lao_cai)


def test_the_last_administrator_cannot_remove_their_own_role(tree, admin):
    changes = ObjectChange.objects.count()
    with pytest.raises(ValidationError, match=REFUSAL):
        services.remove_role(admin_role(admin, tree), actor=admin)
    assert admin.role_assignments.filter(unit=tree.lao_cai).exists()
    assert ObjectChange.objects.count() == changes


def test_the_last_administrator_cannot_be_deactivated(tree, admin):
    with pytest.raises(ValidationError, match=REFUSAL):
        services.update_user(admin, actor=admin, changes={"is_active": False})
    admin.refresh_from_db()
    assert admin.is_active


def test_with_a_second_administrator_one_may_go_but_not_both(tree, admin):
    peer = make_user("province_admin", tree.lao_cai, username="quantri2")
    services.remove_role(admin_role(peer, tree), actor=admin)
    assert not peer.role_assignments.exists()
    with pytest.raises(ValidationError, match=REFUSAL):
        services.remove_role(admin_role(admin, tree), actor=admin)


def test_a_peer_may_be_deactivated_while_another_administrator_remains(tree, admin):
    peer = make_user("province_admin", tree.lao_cai, username="quantri2")
    services.update_user(peer, actor=admin, changes={"is_active": False})
    assert not User.objects.get(pk=peer.pk).is_active
    with pytest.raises(ValidationError, match=REFUSAL):
        services.update_user(admin, actor=admin, changes={"is_active": False})


def test_an_inactive_administrator_does_not_count(tree, admin):
    make_user("province_admin", tree.lao_cai, username="nghiviec", is_active=False)
    with pytest.raises(ValidationError, match=REFUSAL):
        services.remove_role(admin_role(admin, tree), actor=admin)


def test_roles_of_a_province_that_no_longer_exists_and_other_roles_stay_free(tree, admin):
    old = RoleAssignment.objects.create(user=admin, role="province_admin", unit=tree.yen_bai)
    services.remove_role(old, actor=admin)
    officer = make_user("commune_officer", tree.new_xuan_ai)
    services.update_user(officer, actor=admin, changes={"is_active": False})
    services.remove_role(officer.role_assignments.get(), actor=admin)
    assert not RoleAssignment.objects.filter(pk=old.pk).exists()


def test_the_page_says_why_and_keeps_the_role(tree, admin):
    role = admin_role(admin, tree)
    response = web_client(admin).post(f"/accounts/roles/{role.pk}/remove/", follow=True)
    assert REFUSAL in response.content.decode()
    assert RoleAssignment.objects.filter(pk=role.pk).exists()


def test_the_api_answers_400_in_vietnamese_and_keeps_everything(tree, admin):
    role = admin_role(admin, tree)
    client = api_client(admin)
    response = client.delete(f"/api/v1/role-assignments/{role.pk}/")
    assert response.status_code == 400
    assert REFUSAL in str(response.json())
    response = client.patch(f"/api/v1/users/{admin.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 400
    assert REFUSAL in str(response.json())
    admin.refresh_from_db()
    assert admin.is_active and RoleAssignment.objects.filter(pk=role.pk).exists()
