"""The commune's outline imported as GeoJSON: checked whole, drawn on the maps instead of the circle, and
used by the "outside the commune" check (the circle stays when there is no outline)."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tinhso.core.testing import web_client as login
from tinhso.trace.models import CommuneOutline, Tree

from .conftest import EXACT, add_tree

pytestmark = pytest.mark.django_db

# A small square around the known tree (about 2 × 2 km), with a hole in one corner.
SQUARE = [[104.595, 21.610], [104.615, 21.610], [104.615, 21.628], [104.595, 21.628], [104.595, 21.610]]
HOLE = [[104.596, 21.611], [104.599, 21.611], [104.599, 21.614], [104.596, 21.614], [104.596, 21.611]]


def geojson(coordinates=None, kind="Polygon") -> bytes:
    geometry = {"type": kind, "coordinates": coordinates or [SQUARE, HOLE]}
    return json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": geometry}]}).encode()


def upload(client, unit, data: bytes, name="xa.geojson"):
    return client.post("/trace/outline/import/", {"unit": unit.pk, "file": SimpleUploadedFile(name, data)})


def test_an_officer_imports_the_outline_and_the_map_draws_it_instead_of_the_circle(tea):
    client = login(tea.officer)
    assert "<circle r=" in client.get(f"/trace/map/?garden={tea.garden.pk}").content.decode()
    response = upload(client, tea.commune, geojson())
    assert response.status_code == 302
    page = client.get(f"/trace/map/?garden={tea.garden.pk}").content.decode()
    assert 'fill-rule="evenodd"' in page and "<circle r=" not in page
    public = Client().get(f"/t/{tea.tree1.short_code}").content.decode()
    assert 'fill-rule="evenodd"' in public


def test_a_point_outside_the_outline_is_refused_though_inside_the_circle(tea):
    from tinhso.trace.services import coordinate_errors

    client = login(tea.officer)
    upload(client, tea.commune, geojson())
    # 3 km north of the tree: inside the 12 km circle, outside the square.
    assert coordinate_errors(tea.commune, Decimal("21.645"), EXACT[1])
    assert coordinate_errors(tea.commune, Decimal("21.6125"), Decimal("104.5975"))  # in the hole
    assert not coordinate_errors(tea.commune, *EXACT)
    with pytest.raises(Exception, match="ngoài|outside"):
        add_tree(tea.garden, "SG-0099", latitude=Decimal("21.645"))


@pytest.mark.parametrize(
    "data, message",
    [
        (b"not json", "GeoJSON"),
        (json.dumps({"type": "Point", "coordinates": [104.6, 21.6]}).encode(), "Polygon"),
        (geojson([[[104.6, 21.6], [104.61, 21.6], [104.6, 21.6]]]), "4"),
        (geojson([[[104.6, 21.6], [104.61, 21.6], [104.61, 21.61], [104.6, 21.61]]]), "khép kín"),
        (geojson([[[21.6, 104.6], [21.61, 104.6], [21.61, 104.61], [21.6, 104.6]]]), "ngoài Việt Nam"),
        (geojson([[["a", 21.6], [104.61, 21.6], [104.61, 21.61], [104.6, 21.6]]]), "kinh độ"),
    ],
)
def test_a_bad_file_is_refused_in_vietnamese_and_nothing_is_kept(tea, data, message):
    client = login(tea.officer)
    response = upload(client, tea.commune, data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not CommuneOutline.objects.exists()


def test_an_outline_that_would_leave_registered_trees_outside_is_refused(tea):
    client = login(tea.officer)
    far = [[104.70, 21.70], [104.71, 21.70], [104.71, 21.71], [104.70, 21.71], [104.70, 21.70]]
    response = upload(client, tea.commune, geojson([far]))
    assert response.status_code == 200 and "SG-0001" in response.content.decode()
    assert not CommuneOutline.objects.exists()
    assert Tree.objects.filter(number="SG-0001").exists()


def test_a_too_large_file_is_refused(tea):
    client = login(tea.officer)
    response = upload(client, tea.commune, b" " * (2 * 1024 * 1024 + 1))
    assert response.status_code == 200 and "2 MB" in response.content.decode()


def test_only_officers_of_the_commune_may_import_it(tea):
    for user in (tea.citizen, tea.village_head):
        client = login(user)
        assert upload(client, tea.commune, geojson()).status_code == 403
    client = login(tea.other_officer)
    assert upload(client, tea.commune, geojson()).status_code == 200  # not a choice for them
    assert not CommuneOutline.objects.exists()


def plot_of(page: str) -> str:
    start = page.index('<svg class="plot"')
    return page[start : page.index("</svg>", start)]


def test_an_imported_or_replaced_outline_shows_on_the_next_scan_of_a_page_already_cached(tea):
    url = f"/t/{tea.tree1.short_code}"
    assert "<circle r=" in plot_of(Client().get(url).content.decode())
    client = login(tea.officer)
    assert upload(client, tea.commune, geojson()).status_code == 302
    first = plot_of(Client().get(url).content.decode())
    assert 'fill-rule="evenodd"' in first and "<circle r=" not in first
    wider = [[104.59, 21.60], [104.62, 21.60], [104.62, 21.63], [104.59, 21.63], [104.59, 21.60]]
    assert upload(client, tea.commune, geojson([wider])).status_code == 302
    second = plot_of(Client().get(url).content.decode())
    assert 'fill-rule="evenodd"' in second and second != first


def test_an_outline_of_the_new_commune_shows_on_the_pages_of_the_old_communes_trees(tea):
    """Suối Giàng's trees stay on the old commune; the new commune's outline is what their map draws."""
    url = f"/t/{tea.tree1.short_code}?lang=en"
    assert "<circle r=" in plot_of(Client().get(url).content.decode())
    assert upload(login(tea.new_officer), tea.tree.new_xuan_ai, geojson()).status_code == 302
    assert 'fill-rule="evenodd"' in plot_of(Client().get(url).content.decode())
    CommuneOutline.objects.get().delete()  # e.g. removed in the admin
    assert "<circle r=" in plot_of(Client().get(url).content.decode())


def test_a_tree_of_another_commune_keeps_its_cached_page(tea):
    from tinhso.trace.public import trees_drawn_with_outline_of

    drawn = set(trees_drawn_with_outline_of(tea.commune.pk).values_list("number", flat=True))
    assert drawn == {"SG-0001"}
