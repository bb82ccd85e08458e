"""Definitions (data elements, data sets, indicators) change only through the services, from the admin too:
each change is logged with who made it, and someone without the right changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.core.models import ObjectChange
from tinhso.core.testing import web_client
from tinhso.plans import services
from tinhso.plans.models import DataElement, DataSetElement
from tinhso.plans.testing import make_data_set


def element(code="THON_WIFI"):
    return DataElement(code=code, name="Thôn có Wi-Fi công cộng", value_type="integer", aggregation="sum")


def test_the_dx_centre_adds_a_data_element_and_the_log_says_who(tree):
    staff = make_user("dx_centre_staff", tree.yen_bai)
    with acting_as(staff, source="admin"):
        saved = services.save_definition(element(), actor=staff)
    change = ObjectChange.objects.get(object_id=saved.pk, object_type__model="dataelement")
    assert (change.action, change.user) == ("create", staff)


@pytest.mark.parametrize("role", ["commune_officer", "district_officer", "citizen"])
def test_others_cannot_add_or_change_definitions_and_nothing_changes(tree, role):
    person = make_user(role, tree.xuan_ai)
    with pytest.raises(PermissionDenied):
        services.save_definition(element(), actor=person)
    assert not DataElement.objects.filter(code="THON_WIFI").exists()


def test_a_data_set_member_added_in_the_admin_goes_through_the_service(tree):
    data_set = make_data_set("XA_NAM", "year", "commune", [("THON", "Số thôn")])
    wifi = services.save_definition(element(), actor=None)
    staff = make_user("dx_centre_staff", tree.yen_bai, is_staff=True)
    part = DataSetElement(data_set=data_set, data_element=wifi)
    services.save_data_set_part(part, actor=staff)
    assert data_set.members.filter(data_element=wifi).exists()
    services.remove_data_set_part(part, actor=staff)
    assert not data_set.members.filter(data_element=wifi).exists()
    assert web_client(staff).get(f"/admin/plans/dataset/{data_set.pk}/change/").status_code == 200


def test_a_commune_officer_cannot_change_a_data_sets_members(tree):
    data_set = make_data_set("XA_NAM", "year", "commune", [("THON", "Số thôn")])
    member = data_set.members.get()
    with pytest.raises(PermissionDenied):
        services.remove_data_set_part(member, actor=make_user("commune_officer", tree.xuan_ai))
    assert data_set.members.count() == 1


def test_only_definitions_go_through_save_definition(tree):
    with pytest.raises(TypeError):
        services.save_definition(make_user("citizen", tree.xuan_ai), actor=None)
