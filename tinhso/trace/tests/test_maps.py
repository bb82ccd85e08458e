"""The map without tiles: an SVG drawn on the server; public pages plot rounded cells only."""

import re
from decimal import Decimal

import pytest
from django.test import Client

from tinhso.core.testing import web_client
from tinhso.trace.maps import Point, svg_plot

from .conftest import CENTRE, EXACT, add_tree

pytestmark = pytest.mark.django_db


def circles(svg: str) -> list[str]:
    return re.findall(r"<circle cx=", svg)


def test_trees_in_one_rounded_cell_are_one_point_on_the_public_page(tea):
    add_tree(tea.garden, "SG-0002", latitude=EXACT[0] + Decimal("0.0004"), longitude=EXACT[1])
    add_tree(tea.garden, "SG-0003", latitude=Decimal("21.650100"), longitude=Decimal("104.580200"))
    body = Client().get(f"/t/{tea.tree1.short_code}").content.decode()
    svg = body[body.index("<svg") : body.index("</svg>")]
    assert len(circles(svg)) == 2  # two cells: SG-0001 and SG-0002 share one
    assert svg.count("#c0392b") == 1  # this tree's cell
    assert "SG-0002" not in svg and "SG-0003" not in svg  # no labels of other trees on a public page
    assert "cdn" not in body.lower() and "http://" not in svg.replace("http://www.w3.org/2000/svg", "")


def test_the_officer_sees_the_garden_at_exact_points_and_outsiders_get_404(tea):
    add_tree(tea.garden, "SG-0002", latitude=EXACT[0] + Decimal("0.0004"), longitude=EXACT[1])
    page = web_client(tea.officer).get(f"/trace/map/?garden={tea.garden.pk}").content.decode()
    assert len(circles(page)) == 2 and "<title>SG-0002</title>" in page
    for who in ("other_officer", "village_head", "citizen"):
        assert web_client(getattr(tea, who)).get(f"/trace/map/?garden={tea.garden.pk}").status_code == 404
    for hostile in ("abc", "1 OR 1=1", "99999999999999999999", ""):
        assert web_client(tea.officer).get(f"/trace/map/?garden={hostile}").status_code == 404


def test_a_point_outside_the_commune_is_left_out_and_labels_are_escaped():
    svg = svg_plot(
        [Point(Decimal("25"), Decimal("104.6"), label="far"), Point(CENTRE[0], CENTRE[1], label="<script>")],
        CENTRE,
        title='"><script>',
    )
    assert "far" not in svg and "<script>" not in svg and "&lt;script&gt;" in svg
    assert len(circles(svg)) == 1


def test_the_statistics_page_draws_the_communes_outline_with_the_trees_as_counted_cells(tea):
    from tinhso.trace import services

    from .test_outline import geojson

    add_tree(tea.garden, "SG-0002", latitude=EXACT[0] + Decimal("0.0001"), longitude=EXACT[1])
    web = web_client(tea.officer)
    page = web.get("/trace/statistics/").content.decode()
    assert "<circle r=" in page and len(circles(page)) == 1 and "2 cây" in page  # no outline yet: the circle
    services.import_commune_outline(actor=tea.officer, unit=tea.commune, data=geojson())
    page = web.get("/trace/statistics/").content.decode()
    svg = page[page.index('<svg class="plot"') : page.index("</svg>")]
    assert 'fill-rule="evenodd"' in svg and "<circle r=" not in svg and tea.commune.name in page
    assert "KH-0001" not in page and len(circles(page)) == 1  # the other commune's tree is not this officer's
    assert "//" not in svg.replace("http://www.w3.org/2000/svg", "")  # drawn on the server, nothing fetched


def test_a_reader_of_several_communes_gets_one_map_each(tea, django_assert_max_num_queries):
    web = web_client(tea.admin)
    with django_assert_max_num_queries(40):
        page = web.get("/trace/statistics/").content.decode()
    assert page.count('<svg class="plot"') == 2
