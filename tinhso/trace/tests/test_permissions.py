"""Every demo role × every action; a refused action changes nothing."""

import datetime

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.core.testing import api_client, web_client
from tinhso.trace import services
from tinhso.trace.models import Batch, Event, Product, Tree

pytestmark = pytest.mark.django_db

ROLES = {
    "province_admin": "yen_bai",
    "dx_centre_staff": "yen_bai",
    "department_staff": "yen_bai",
    "district_officer": "van_yen",
    "commune_officer": "xuan_ai",
    "village_team_leader": "khe_dua",
    "party_cell_secretary": "na_hau",
    "citizen": "xuan_ai",
}
READERS = {"province_admin", "dx_centre_staff", "department_staff", "district_officer", "commune_officer"}
WRITERS = {"province_admin", "district_officer", "commune_officer"}


def harvest_document(tree):
    event = {
        "type": "ObjectEvent",
        "action": "OBSERVE",
        "bizStep": "harvesting",
        "eventTime": "2025-04-02T07:30:00+07:00",
        "epcList": [tree.link],
    }
    return {"type": "EPCISDocument", "epcisBody": {"eventList": [event]}}


def act(action, user, tea):
    client, web = api_client(user), web_client(user)
    if action == "list trees":
        response = client.get("/api/v1/trace/trees/")
        return response.status_code == 200 and response.json()["count"] > 0
    if action == "see the tree page":
        return web.get(f"/trace/trees/{tea.tree1.pk}/").status_code == 200
    if action == "register a tree":
        payload = {"garden": tea.garden.pk, "number": "SG-0999", "latitude": "21.62", "longitude": "104.60"}
        return client.post("/api/v1/trace/trees/", payload, format="json").status_code == 201
    if action == "edit a tree":
        payload = {
            "garden": tea.garden.pk,
            "number": "SG-0001",
            "latitude": "21.62",
            "longitude": "104.60",
            "variety": "Shan tuyết",
            "status": "dead",
        }
        web.post(f"/trace/trees/{tea.tree1.pk}/edit/", payload)
        return Tree.objects.get(pk=tea.tree1.pk).status == "dead"
    if action == "record a harvest":
        return client.post("/api/v1/trace/events/", harvest_document(tea.tree1), format="json").status_code == 201
    if action == "print labels":
        return web.get(f"/trace/labels.pdf?garden={tea.garden.pk}").status_code == 200
    if action == "see statistics":
        return web.get("/trace/statistics/").status_code == 200
    if action == "see products and batches":
        batch = a_batch(tea)
        pages = [web.get("/trace/products/"), web.get(f"/trace/batches/{batch.pk}/")]
        return all(page.status_code == 200 for page in pages) and "Trà xanh" in pages[0].content.decode()
    if action == "register a product":
        payload = {"producer": tea.cooperative.pk, "name": "Trà mới", "gtin": "8934563138165"}
        web.post("/trace/products/add/", payload)
        return Product.objects.filter(name="Trà mới").exists()
    if action == "pack a batch":
        product = a_batch(tea).product
        web.post("/trace/batches/add/", {"product": product.pk, "lot": "L-2", "packed_on": "2025-05-01"})
        return Batch.objects.filter(lot="L-2").exists()
    if action == "recall a batch":
        batch = a_batch(tea)
        web.post(f"/trace/batches/{batch.pk}/recall/", {"recall_reason": "Kiểm tra lại"})
        return Batch.objects.get(pk=batch.pk).is_recalled
    raise AssertionError(action)


def a_batch(tea):
    if Batch.objects.filter(lot="L-1").exists():
        return Batch.objects.get(lot="L-1")
    with acting_as(None, source="test"):
        product = services.create_product(
            actor=None, unit=tea.commune, producer=tea.cooperative, name="Trà xanh", gtin="08934563138172"
        )
        return services.create_batch(actor=None, product=product, lot="L-1", packed_on=datetime.date(2025, 4, 1))


EXPECTED = {
    "list trees": READERS,
    "see the tree page": READERS,
    "register a tree": WRITERS,
    "edit a tree": WRITERS,
    "record a harvest": WRITERS,
    "print labels": READERS,
    "see statistics": READERS,
    "see products and batches": READERS,
    "register a product": WRITERS,
    "pack a batch": WRITERS,
    "recall a batch": WRITERS,
}


def state():
    return (
        list(Tree.objects.order_by("pk").values_list("number", "status", "updated_at")),
        Event.objects.count(),
        list(Batch.objects.order_by("pk").values_list("lot", "is_recalled", "updated_at")),
        Product.objects.count(),
    )


@pytest.mark.parametrize("role", sorted(ROLES))
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_permission_matrix(tea, role, action):
    user = make_user(role, getattr(tea.tree, ROLES[role]))
    a_batch(tea)
    before = state()
    allowed = act(action, user, tea)
    assert allowed == (role in EXPECTED[action])
    if not allowed:
        assert state() == before


@pytest.mark.parametrize("action", ["list trees", "register a tree", "record a harvest"])
def test_an_anonymous_caller_is_refused(tea, action):
    before = state()
    assert act(action, make_user(), tea) is False
    assert state() == before
