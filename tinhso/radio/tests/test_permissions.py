"""Who may do what in the smart radio: every role × every action on Xuân Ái's radio. A refusal changes nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tinhso.accounts.testing import make_user
from tinhso.radio import services
from tinhso.radio.models import Bulletin, CommuneRadioPolicy, Delivery, PronunciationEntry, SpeakerCluster

ROLES = [
    "province_admin",
    "dx_centre_staff",
    "department_staff",
    "district_officer",
    "commune_officer",
    "village_team_leader",
    "party_cell_secretary",
    "citizen",
]
ALLOWED = {
    "list_clusters": {
        "province_admin",
        "dx_centre_staff",
        "district_officer",
        "commune_officer",
        "village_team_leader",
    },
    "add_cluster": {"province_admin", "dx_centre_staff", "district_officer", "commune_officer"},
    "reset_password": {"province_admin", "dx_centre_staff", "district_officer", "commune_officer"},
    "send_to_village": {
        "province_admin",
        "dx_centre_staff",
        "district_officer",
        "commune_officer",
        "village_team_leader",
    },
    "send_to_commune": {"province_admin", "dx_centre_staff", "district_officer", "commune_officer"},
    "cancel_commune_bulletin": {"province_admin", "dx_centre_staff", "district_officer", "commune_officer"},
    "edit_dictionary": {"province_admin", "dx_centre_staff", "district_officer", "commune_officer"},
    "set_commune_order": {"province_admin", "dx_centre_staff", "district_officer", "commune_officer"},
}


def unit_for(role, tree):
    return {
        "province_admin": tree.lao_cai,
        "dx_centre_staff": tree.lao_cai,
        "department_staff": tree.lao_cai,
        "district_officer": tree.van_yen,  # before the reform; scope follows Xuân Ái across it
        "commune_officer": tree.new_xuan_ai,
        "village_team_leader": tree.new_khe_dua,
        "party_cell_secretary": tree.new_khe_dua,
        "citizen": tree.new_xuan_ai,
    }[role]


def relay(actor, unit, target):
    return services.create_bulletin(
        actor=actor,
        unit=unit,
        title="Tiếp sóng",
        kind="relay",
        stream_url="http://radio.example.vn/vov1",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
        targets=[target],
    )


def act(action, user, radio):
    tree = radio.tree
    sender = services.sender_unit_for(user)
    if action == "list_clusters":
        if not SpeakerCluster.objects.restrict(user).filter(pk=radio.khe_dua_1.pk).exists():
            raise PermissionDenied
    elif action == "add_cluster":
        services.create_cluster(actor=user, unit=tree.new_khe_dua, name="Cụm loa thử")
    elif action == "reset_password":
        services.reset_password(radio.khe_dua_1, actor=user)
    elif action in ("send_to_village", "send_to_commune"):
        target = tree.new_khe_dua if action == "send_to_village" else tree.new_xuan_ai
        services.broadcast(relay(user, sender or tree.new_xuan_ai, target), actor=user)
    elif action == "cancel_commune_bulletin":
        services.cancel(radio.commune_bulletin, actor=user)
    elif action == "edit_dictionary":
        services.save_pronunciation(actor=user, unit=tree.new_xuan_ai, written="UBND", spoken="ủy ban")
    elif action == "set_commune_order":
        services.set_commune_policy(actor=user, unit=tree.new_xuan_ai, commune_first=True)


def snapshot(radio):
    return (
        SpeakerCluster.objects.count(),
        SpeakerCluster.objects.get(pk=radio.khe_dua_1.pk).mosquitto_hash,
        Bulletin.objects.count(),
        sorted(Delivery.objects.values_list("state", flat=True)),
        PronunciationEntry.objects.count(),
        CommuneRadioPolicy.objects.count(),
    )


@pytest.fixture
def world(radio):
    radio.commune_bulletin = relay(radio.officer, radio.tree.new_xuan_ai, radio.tree.new_xuan_ai)
    services.broadcast(radio.commune_bulletin, actor=radio.officer)
    return radio


@pytest.mark.parametrize("action", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_role_may_or_may_not(world, role, action):
    user = make_user(role, unit_for(role, world.tree))
    before = snapshot(world)
    if role in ALLOWED[action]:
        act(action, user, world)
        return
    with pytest.raises((PermissionDenied, ValidationError)):
        act(action, user, world)
    assert snapshot(world) == before
