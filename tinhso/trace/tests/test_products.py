"""Product, certification and batch pages: what an officer does, and what the public sees of a recall."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from tinhso.core.context import acting_as
from tinhso.core.testing import web_client
from tinhso.trace import services
from tinhso.trace.models import Batch, Certification, Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(tea):
    with acting_as(None, source="test"):
        return services.create_product(
            actor=None, unit=tea.commune, producer=tea.cooperative, name="Trà xanh cổ thụ", gtin="8934563138165"
        )


@pytest.fixture
def batch(tea, product):
    with acting_as(None, source="test"):
        harvest = services.record_event(
            actor=None,
            tree=tea.tree1,
            kind="harvesting",
            quantity_kg=Decimal("2.5"),
            event_time=datetime.datetime(2025, 4, 2, 8, tzinfo=datetime.UTC),
        )
        return services.create_batch(
            actor=None,
            product=product,
            lot="2025-01",
            packed_on=datetime.date(2025, 4, 10),
            trees=[tea.tree1],
            harvests=[harvest],
        )


def test_an_officer_registers_a_product_with_a_13_digit_gtin(tea):
    web = web_client(tea.officer)
    payload = {"producer": tea.cooperative.pk, "name": "Trà vàng", "gtin": "8934563138165", "ocop_stars": "4"}
    response = web.post("/trace/products/add/", payload)
    product = Product.objects.get(name="Trà vàng")
    assert response.status_code == 302 and response["Location"] == f"/trace/products/{product.pk}/"
    assert product.gtin == "08934563138165" and product.unit_id == tea.commune.pk
    page = web.get(f"/trace/products/{product.pk}/").content.decode()
    assert "08934563138165" in page and "Trà vàng" in page


@pytest.mark.parametrize(
    "change",
    [
        {"gtin": "8934563138166"},  # wrong check digit
        {"gtin": "89345631381ab"},
        {"gtin": "1" * 200},
        {"ocop_stars": "9"},
        {"name": ""},
        {"name": "Trà\u202exanh"},
        {"producer": "999999"},
    ],
)
def test_a_bad_product_is_refused_on_the_form_and_nothing_is_written(tea, change):
    payload = {"producer": tea.cooperative.pk, "name": "Trà vàng", "gtin": "8934563138165", **change}
    response = web_client(tea.officer).post("/trace/products/add/", payload)
    assert response.status_code == 200 and b"errorlist" in response.content
    assert not Product.objects.exists()


def test_a_producer_of_another_commune_cannot_be_chosen(tea):
    payload = {"producer": tea.other_cooperative.pk, "name": "Trà", "gtin": "8934563138165"}
    response = web_client(tea.officer).post("/trace/products/add/", payload)
    assert response.status_code == 200 and not Product.objects.exists()


def test_a_certification_is_added_and_its_validity_shown(tea, product):
    web = web_client(tea.officer)
    url = f"/trace/products/{product.pk}/certifications/add/"
    bad = web.post(url, {"kind": "vietgap", "valid_from": "2025-05-01", "valid_to": "2025-01-01"})
    assert bad.status_code == 200 and not Certification.objects.exists()
    web.post(url, {"kind": "vietgap", "number": "VG-01", "valid_from": "2024-01-01", "valid_to": "2024-12-31"})
    assert Certification.objects.get().number == "VG-01"
    assert 'class="expired"' in web.get(f"/trace/products/{product.pk}/").content.decode()


def test_an_officer_packs_a_batch_from_tree_numbers_and_a_harvest_period(tea, product):
    with acting_as(None, source="test"):
        harvest = services.record_event(
            actor=None,
            tree=tea.tree1,
            kind="harvesting",
            quantity_kg=Decimal("3"),
            event_time=datetime.datetime(2025, 4, 2, 8, tzinfo=datetime.UTC),
        )
    payload = {
        "product": product.pk,
        "lot": "2025-07",
        "packed_on": "2025-04-20",
        "processing": "Hái một tôm hai lá\nSao chè",
        "tree_numbers": "SG-0001",
        "harvest_from": "2025-04-01",
        "harvest_to": "2025-04-30",
    }
    response = web_client(tea.officer).post("/trace/batches/add/", payload)
    batch = Batch.objects.get(lot="2025-07")
    assert response.status_code == 302 and response["Location"] == f"/trace/batches/{batch.pk}/"
    assert list(batch.trees.all()) == [tea.tree1] and list(batch.harvests.all()) == [harvest]
    assert batch.link


@pytest.mark.parametrize(
    "change",
    [
        {"tree_numbers": "KH-0001"},  # a tree of another commune
        {"tree_numbers": "SG-9999"},
        {"lot": "2025/01"},
        {"lot": "x" * 21},
        {"harvest_from": "2025-05-01", "harvest_to": "2025-04-01"},
        {"packed_on": "31/31/2025"},
        {"product": "abc"},
    ],
)
def test_a_bad_batch_is_refused_and_nothing_is_written(tea, product, change):
    payload = {"product": product.pk, "lot": "2025-07", "packed_on": "2025-04-20", "tree_numbers": "SG-0001", **change}
    response = web_client(tea.officer).post("/trace/batches/add/", payload)
    assert response.status_code == 200 and b"errorlist" in response.content
    assert not Batch.objects.exists()


def test_the_same_lot_twice_is_refused(tea, batch):
    payload = {"product": batch.product.pk, "lot": "2025-01", "packed_on": "2025-04-20"}
    response = web_client(tea.officer).post("/trace/batches/add/", payload)
    assert response.status_code == 200 and Batch.objects.count() == 1


def test_editing_a_batch_keeps_its_lot_and_label(tea, batch):
    link = batch.link
    web_client(tea.officer).post(
        f"/trace/batches/{batch.pk}/edit/",
        {"packed_on": "2025-04-11", "processing": "Vò\nSấy", "tree_numbers": "SG-0001", "lot": "HACKED"},
    )
    batch.refresh_from_db()
    assert (batch.lot, batch.link, batch.packed_on) == ("2025-01", link, datetime.date(2025, 4, 11))
    assert batch.harvests.count() == 1  # no period given: the harvests stay


def test_a_recall_shows_at_once_on_the_public_page(tea, batch):
    public = f"/t/{batch.short_code}"
    assert "recalled" not in Client().get(public + "?lang=en").content.decode()
    web = web_client(tea.officer)
    assert web.post(f"/trace/batches/{batch.pk}/recall/", {"recall_reason": ""}).status_code == 200
    assert not Batch.objects.get(pk=batch.pk).is_recalled
    response = web.post(f"/trace/batches/{batch.pk}/recall/", {"recall_reason": "Dư lượng vượt ngưỡng"})
    assert response.status_code == 302
    page = Client().get(public).content.decode()
    assert "Dư lượng vượt ngưỡng" in page and 'role="alert"' in page
    assert "Dư lượng vượt ngưỡng" in web.get(f"/trace/batches/{batch.pk}/").content.decode()


def test_pages_of_another_communes_batch_answer_404(tea, batch):
    web = web_client(tea.other_officer)
    for url in (
        f"/trace/batches/{batch.pk}/",
        f"/trace/batches/{batch.pk}/edit/",
        f"/trace/products/{batch.product.pk}/",
        f"/trace/products/{batch.product.pk}/edit/",
        f"/trace/products/{batch.product.pk}/certifications/add/",
    ):
        assert web.get(url).status_code == 404, url
    assert web.post(f"/trace/batches/{batch.pk}/recall/", {"recall_reason": "x"}).status_code == 404
    assert not Batch.objects.get(pk=batch.pk).is_recalled


def test_a_tree_edited_after_packing_shows_on_the_batchs_page_already_scanned(tea, batch):
    from tinhso.trace.models import Tree

    public = f"/t/{batch.short_code}?lang=en"
    assert "300–300 years old" in Client().get(public).content.decode()
    with acting_as(None, source="test"):
        services.update_tree(Tree.objects.get(pk=tea.tree1.pk), actor=None, estimated_age=320)
    assert "320–320 years old" in Client().get(public).content.decode()


@pytest.mark.parametrize("product", [str(2**70), "１２", "²", "-1"])
def test_packing_a_batch_from_a_product_link_with_a_hostile_id_shows_the_empty_form(tea, product):
    """?product= of the “Pack a batch” link: 2**70 overflowed the database when the form looked it up."""
    response = web_client(tea.officer).get("/trace/batches/add/", {"product": product})
    assert response.status_code == 200
    assert 'name="lot"' in response.content.decode()
