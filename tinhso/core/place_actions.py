"""Actions another module offers on a place on the map: one domain (citizen reports) shows them on its
pages, the one that registered them (radio) carries them out, and neither imports the other.

A module registers in its AppConfig.ready():

    from tinhso.core import place_actions
    place_actions.register(place_actions.PlaceAction(
        "radio.emergency_around", _("Radio emergency for the villages around"), "radio.add_bulletin",
        run=emergency_around,
    ))

`run(actor, *, latitude, longitude, title, text)` does the first step (e.g. a draft bulletin) and returns
the address of the page where the person finishes it under the owning module's own rules (confirmation,
two-step verification...). It raises ValidationError or PermissionDenied with a message for the person.
A page offers an action only to who holds its `permission` (`available_to`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise as StrPromise


@dataclass(frozen=True)
class PlaceAction:
    code: str
    label: str | StrPromise
    permission: str
    run: Callable[..., str]
    help_text: str | StrPromise = ""
    do_not_call_in_templates = True  # a page reads its label; only a view runs it

    def visible_to(self, user) -> bool:
        return bool(user and user.is_authenticated and user.has_perm(self.permission))

    def __call__(self, actor, *, latitude: Decimal | float, longitude: Decimal | float, title: str, text: str):
        return self.run(actor, latitude=float(latitude), longitude=float(longitude), title=title, text=text)


_actions: dict[str, PlaceAction] = {}


def register(action: PlaceAction) -> None:
    _actions[action.code] = action


def unregister(code: str) -> None:
    _actions.pop(code, None)


def get(code: str) -> PlaceAction | None:
    return _actions.get(code)


def available_to(user, codes=None) -> list[PlaceAction]:
    """The registered actions `user` may start (only those named in `codes`, when given)."""
    return [action for code, action in _actions.items() if (codes is None or code in codes) and action.visible_to(user)]
