"""The kinds of message the platform sends, each registered with a label by the module that sends it.

    register_kind("plans.task_reminder", _("Task due soon"), channels=("in_app", "email", "zalo"))

`channels` are the channels a person receives this kind on until they choose otherwise
(see preferences.py); in-app is always on, because the inbox is the record. A kind with
`choosable=False` is sent only by send_now() (a one-time code), whatever the person chose, and is
not offered on the preferences page.
"""

from dataclasses import dataclass

DEFAULT_CHANNELS = ("in_app", "email")


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    channels: tuple[str, ...] = DEFAULT_CHANNELS
    choosable: bool = True


class KindRegistry:
    def __init__(self):
        self._kinds: dict[str, Kind] = {}

    def add(self, name: str, label, *, channels: tuple[str, ...] = DEFAULT_CHANNELS, choosable: bool = True) -> Kind:
        kind = Kind(name, label, tuple(channels), choosable)
        self._kinds[name] = kind
        return kind

    def get(self, name: str) -> Kind:
        try:
            return self._kinds[name]
        except KeyError:
            raise ValueError(f"Unknown notification kind {name!r}: register_kind() it in ready()") from None

    def all(self) -> list[Kind]:
        return sorted(self._kinds.values(), key=lambda kind: kind.name)

    def choosable(self) -> list[Kind]:
        """The kinds a person may choose channels for (the preferences page)."""
        return [kind for kind in self.all() if kind.choosable]

    def choices(self) -> list[tuple[str, str]]:
        return [(kind.name, kind.label) for kind in self.all()]


kinds = KindRegistry()
register_kind = kinds.add
