"""The home page renders the cards the modules registered, in order, and only those that concern the user."""

import pytest
from django.urls import reverse

from tinhso.accounts.testing import make_user
from tinhso.core.registry import HomeCard, HomeRegistry, home
from tinhso.core.testing import web_client


def test_the_registry_keeps_the_cards_in_order_and_drops_those_answering_none(rf):
    registry = HomeRegistry()
    registry.add(HomeCard("late", lambda request: {"n": 2}, "late.html", order=30))
    registry.add(HomeCard("none", lambda request: None, "none.html", order=10))
    registry.add(HomeCard("early", lambda request: {"n": 1}, "early.html", order=20))

    cards = registry.for_request(rf.get("/"))

    assert [(card.name, card.context) for card in cards] == [("early", {"n": 1}), ("late", {"n": 2})]


def test_a_module_registering_twice_keeps_one_card():
    registry = HomeRegistry()
    registry.add(HomeCard("plans", lambda request: {}, "a.html"))
    registry.add(HomeCard("plans", lambda request: {}, "b.html"))

    assert [card.template for card in registry.cards.values()] == ["b.html"]


@pytest.mark.django_db
def test_someone_with_no_card_reads_that_nothing_is_due_today(monkeypatch):
    monkeypatch.setattr(home, "cards", {})

    page = web_client(make_user()).get(reverse("core:home")).content.decode()

    assert "Không có việc nào đến hạn hôm nay" in page


def test_the_home_page_asks_to_sign_in(client):
    assert client.get(reverse("core:home")).status_code == 302
