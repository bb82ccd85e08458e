"""Statistics for the commune, or for one of its cooperatives / households."""

from decimal import Decimal

import pytest

from tinhso.core.context import acting_as
from tinhso.core.testing import web_client
from tinhso.trace import services

from .conftest import EXACT, add_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(tea):
    with acting_as(None, source="test"):
        producer = services.create_producer(actor=None, unit=tea.commune, name="Hộ Giàng A Páo", kind="household")
        garden = services.create_garden(actor=None, unit=tea.commune, producer=producer, name="Vườn nhà Páo")
    for number in ("SG-0101", "SG-0102"):
        add_tree(garden, number, latitude=EXACT[0] + Decimal("0.003"), longitude=EXACT[1])
    return producer


def test_the_commune_sees_all_its_trees_and_a_cooperative_only_its_own(tea, household):
    web = web_client(tea.officer)
    assert web.get("/trace/statistics/").context["tree_total"] == 3
    one = web.get(f"/trace/statistics/?producer={household.pk}")
    assert one.context["tree_total"] == 2 and "Vườn nhà Páo" in one.content.decode()
    assert "Vườn Pang Cáng" not in one.content.decode()


@pytest.mark.parametrize("value", ["abc", "1 OR 1=1", "99999999999999999999", "-1", ""])
def test_a_bad_or_foreign_producer_shows_the_whole_commune_never_an_error(tea, household, value):
    response = web_client(tea.officer).get("/trace/statistics/", {"producer": value})
    assert response.status_code == 200 and response.context["tree_total"] == 3


def test_a_cooperative_of_another_commune_cannot_be_chosen(tea, household):
    response = web_client(tea.officer).get(f"/trace/statistics/?producer={tea.other_cooperative.pk}")
    assert response.status_code == 200 and response.context["tree_total"] == 3
    assert "HTX Khánh Hòa" not in response.content.decode()
