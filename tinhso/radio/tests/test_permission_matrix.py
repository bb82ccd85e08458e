"""Every role × the radio API (clusters, bulletins, play log) and its main pages, with the shared matrix
helpers of tinhso.core.testing. Expected outcomes come from the grants in RadioConfig.ready() (dx centre
radio.*; district and commune officers LOCAL; village team leader READ + SEND; nothing for department staff,
party cell secretary or citizen) and the scope rule of tinhso.accounts.scope (a role covers its unit's
subtree, followed across the 2025 reform). A refused write changes nothing (rows and change log)."""

import datetime
import itertools

import pytest
from django.utils import timezone

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.core.testing import READ, ApiMatrix, PageMatrix, api_client, database_state, web_client
from tinhso.radio import services
from tinhso.radio.models import Bulletin, PlayEvent, SpeakerCluster

from .conftest import make_cluster

pytestmark = pytest.mark.django_db
_numbers = itertools.count(1)

A, X, D, V, C, L, P = (
    "province_admin",
    "dx_centre_staff",
    "department_staff",
    "district_officer",
    "commune_officer",
    "village_team_leader",
    "party_cell_secretary",
)
PROVINCE = (A, X)
LOCAL = (*PROVINCE, V, C)  # may manage clusters and send anywhere in their unit
READ_AND_WRITE = {"list", "detail", "create", "update"}  # nothing is deleted through the radio API


@pytest.fixture
def users(radio):
    tree = radio.tree
    places = {
        A: tree.lao_cai,
        X: tree.lao_cai,
        D: tree.lao_cai,
        V: tree.van_yen,  # before the reform; scope follows Xuân Ái and its villages across it
        C: tree.new_xuan_ai,
        L: tree.new_khe_dua,
        P: tree.new_khe_dua,
        "citizen": tree.new_xuan_ai,
    }
    people = {
        role: make_user(role, unit, username=f"radio-{role}", include_descendants=role != "citizen")
        for role, unit in places.items()
    }
    return people | {"anonymous": None}


def headers():
    return {"Idempotency-Key": f"radio-matrix-{next(_numbers)}"}


def relay(radio, unit, target) -> Bulletin:
    with acting_as(None, source="test"):
        return services.create_bulletin(
            actor=radio.admin,
            unit=unit,
            title=f"Tiếp sóng {next(_numbers)}",
            kind="relay",
            stream_url="http://radio.example.vn/vov1",
            expires_at=timezone.now() + datetime.timedelta(hours=2),
            targets=[target],
        )


def relay_body(target: str) -> dict:
    return {
        "title": f"Tiếp sóng VOV1 {next(_numbers)}",
        "kind": "relay",
        "stream_url": "http://radio.example.vn/vov1",
        "expires_at": (timezone.now() + datetime.timedelta(hours=2)).isoformat(),
        "targets": [target],
    }


# --- API ---------------------------------------------------------------------------------------------


def test_who_reads_adds_and_changes_the_clusters_of_a_village(radio, users):
    matrix = ApiMatrix(
        "/api/v1/radio/clusters/",
        SpeakerCluster,
        make=lambda: make_cluster(radio.tree.new_khe_dua, f"Cụm loa thử {next(_numbers)}"),
        create=lambda: {"name": f"Cụm loa mới {next(_numbers)}", "unit": "04441-01"},
        update={"name": "Cụm loa đổi tên", "volume": 60},
        headers=headers,
    )
    # The village's leader sees its clusters but may not add or change one (no add/change_speakercluster).
    expected = {role: set(READ_AND_WRITE) for role in LOCAL} | {L: set(READ)}
    matrix.check(users, expected)


def test_the_clusters_of_another_district_are_the_provinces_only(radio, users):
    matrix = ApiMatrix(
        "/api/v1/radio/clusters/",
        SpeakerCluster,
        make=lambda: make_cluster(radio.tree.new_khanh_hoa, f"Cụm loa Khánh Hòa {next(_numbers)}"),
        create=lambda: {"name": f"Cụm loa mới {next(_numbers)}", "unit": "04300"},
        update={"name": "Cụm loa đổi tên"},
        headers=headers,
    )
    matrix.check(users, {role: set(READ_AND_WRITE) for role in PROVINCE})


def test_who_reads_sends_and_edits_a_commune_bulletin(radio, users):
    matrix = ApiMatrix(
        "/api/v1/radio/bulletins/",
        Bulletin,
        make=lambda: relay(radio, radio.tree.new_xuan_ai, radio.tree.new_xuan_ai),
        create=lambda: relay_body("04441"),
        update={"title": "Tiếp sóng VOV2"},
        headers=headers,
    )
    # The village leader sends to the village only, and a commune's bulletin lies outside the village.
    matrix.check(users, {role: set(READ_AND_WRITE) for role in LOCAL})


def test_who_reads_sends_and_edits_a_village_bulletin(radio, users):
    matrix = ApiMatrix(
        "/api/v1/radio/bulletins/",
        Bulletin,
        make=lambda: relay(radio, radio.tree.new_khe_dua, radio.tree.new_khe_dua),
        create=lambda: relay_body("04441-01"),
        update={"title": "Tiếp sóng VOV2"},
        headers=headers,
    )
    matrix.check(users, {role: set(READ_AND_WRITE) for role in (*LOCAL, L)})


def test_who_reads_the_play_log_of_a_village_cluster(radio, users):
    def make():
        return PlayEvent.objects.create(
            cluster=radio.khe_dua_1, item=f"b{next(_numbers)}", event="play", at=timezone.now()
        )

    matrix = ApiMatrix("/api/v1/radio/events/", PlayEvent, make=make)
    matrix.check(users, {role: set(READ) for role in (*LOCAL, L)})


@pytest.mark.parametrize("method", ["delete", "put"])
def test_nobody_deletes_or_replaces_a_bulletin_through_the_api(radio, users, method):
    bulletin = relay(radio, radio.tree.new_xuan_ai, radio.tree.new_xuan_ai)
    before = database_state(Bulletin)
    for role, user in users.items():
        response = getattr(api_client(user), method)(
            f"/api/v1/radio/bulletins/{bulletin.pk}/", relay_body("04441"), format="json", headers=headers()
        )
        assert response.status_code in (401, 403, 404, 405), (role, response.status_code)
    assert database_state(Bulletin) == before


# --- Pages -------------------------------------------------------------------------------------------


def link(obj) -> str:
    return f'href="{obj.get_absolute_url()}"'


def test_who_reads_a_commune_bulletin_on_its_pages(radio, users):
    matrix = PageMatrix(
        "/radio/",
        lambda obj: obj.get_absolute_url(),
        make=lambda: relay(radio, radio.tree.new_xuan_ai, radio.tree.new_xuan_ai),
        shows=link,
    )
    matrix.check(users, dict.fromkeys(LOCAL, set(READ)))


def test_who_reads_a_village_bulletin_on_its_pages(radio, users):
    matrix = PageMatrix(
        "/radio/",
        lambda obj: obj.get_absolute_url(),
        make=lambda: relay(radio, radio.tree.new_khe_dua, radio.tree.new_khe_dua),
        shows=link,
    )
    matrix.check(users, dict.fromkeys((*LOCAL, L), set(READ)))


@pytest.mark.parametrize(("unit", "readers"), [("new_khe_dua", (*LOCAL, L)), ("new_khanh_hoa", PROVINCE)])
def test_who_reads_a_cluster_on_its_pages(radio, users, unit, readers):
    matrix = PageMatrix(
        "/radio/clusters/",
        lambda obj: obj.get_absolute_url(),
        make=lambda: make_cluster(getattr(radio.tree, unit), f"Cụm loa trang {next(_numbers)}"),
        shows=link,
    )
    matrix.check(users, dict.fromkeys(readers, set(READ)))


FORMS = {
    "/radio/bulletins/new/": {*LOCAL, L},  # add_bulletin
    "/radio/clusters/add/": set(LOCAL),  # add_speakercluster
    "/radio/dictionary/": set(LOCAL),  # view_pronunciationentry
    "/radio/order/": set(LOCAL),  # change_communeradiopolicy
}


@pytest.mark.parametrize("url", list(FORMS))
def test_a_radio_form_page_opens_only_for_those_who_may_use_it(radio, users, url):
    wrong = []
    for role, user in users.items():
        status = web_client(user).get(url).status_code
        if (status == 200) != (role in FORMS[url]):
            wrong.append(f"{role}: {status}")
        elif status != 200 and status not in ((302,) if user is None else (403, 404)):
            wrong.append(f"{role}: refused with {status}")
    assert not wrong, f"{url}: " + ", ".join(wrong)


def test_a_refused_page_edit_of_a_cluster_writes_nothing(radio, users):
    before = database_state(SpeakerCluster)
    for role in (D, L, P, "citizen", "anonymous"):
        client = web_client(users[role])
        client.post(f"/radio/clusters/{radio.khe_dua_1.pk}/edit/", {"name": "Đổi tên", "volume": 10})
        client.post(f"/radio/clusters/{radio.khe_dua_1.pk}/reset-password/")
        client.post("/radio/clusters/add/", {"name": "Cụm loa lạ", "unit": radio.tree.new_khe_dua.pk})
    assert database_state(SpeakerCluster) == before
