"""What each module contributes to the shell: menu entries and demo data.

A module declares, in its AppConfig.ready():
    menu.add(MenuItem(...))            entries of the main navigation
    demo.add("teams", seed_function, order=40)   its part of `manage.py seed_demo`
        (optional: present=callable telling whether the part's data is already there,
         describe=callable returning text printed after seeding, e.g. the demo logins)
    home.add(HomeCard("plans", plans_card, "plans/home/_card.html", order=20))
        a card of the home page: the function takes the request and returns the template's context,
        or None when the card does not concern this user (no permission, no unit). It must do a
        bounded number of queries, on querysets restricted to the user's units.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    permission: str = ""
    order: int = 50
    icon: str = ""
    children: tuple["MenuItem", ...] = field(default_factory=tuple)

    def visible_to(self, user) -> bool:
        return user.is_authenticated and (not self.permission or user.has_perm(self.permission))


class Menu:
    def __init__(self):
        self.items: list[MenuItem] = []

    def add(self, item: MenuItem) -> None:
        if all(existing.url_name != item.url_name for existing in self.items):
            self.items.append(item)
            self.items.sort(key=lambda entry: entry.order)

    def for_user(self, user) -> list[MenuItem]:
        return [item for item in self.items if item.visible_to(user)]


@dataclass(frozen=True)
class DemoPart:
    name: str
    seed: Callable
    order: int
    present: Callable[[], bool] | None = None
    describe: Callable[[], str] | None = None


class DemoRegistry:
    def __init__(self):
        self.parts: dict[str, DemoPart] = {}

    def add(
        self,
        name: str,
        seed: Callable,
        order: int = 50,
        *,
        present: Callable[[], bool] | None = None,
        describe: Callable[[], str] | None = None,
    ) -> None:
        self.parts[name] = DemoPart(name, seed, order, present, describe)

    def already_seeded(self) -> bool:
        return any(part.present() for part in self.ordered() if part.present is not None)

    def descriptions(self) -> str:
        return "\n".join(part.describe() for part in self.ordered() if part.describe is not None)

    def ordered(self) -> list[DemoPart]:
        return sorted(self.parts.values(), key=lambda part: part.order)


@dataclass(frozen=True)
class HomeCard:
    name: str
    build: Callable
    template: str
    order: int = 50


@dataclass(frozen=True)
class RenderedCard:
    name: str
    template: str
    context: dict


class HomeRegistry:
    def __init__(self):
        self.cards: dict[str, HomeCard] = {}

    def add(self, card: HomeCard) -> None:
        self.cards[card.name] = card

    def for_request(self, request) -> list[RenderedCard]:
        rendered = []
        for card in sorted(self.cards.values(), key=lambda entry: entry.order):
            context = card.build(request)
            if context is not None:
                rendered.append(RenderedCard(card.name, card.template, context))
        return rendered


menu = Menu()
demo = DemoRegistry()
home = HomeRegistry()
