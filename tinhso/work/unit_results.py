"""A body's results in a period, which its leaders are also scored on (Decree 335/2025: a leader's task
results include the results of the unit they lead).

Work measures the line's own work items itself (`evaluation.leader_results`). Domains above work add
what they know of a body — plans registers the plan tasks the body leads — in their `AppConfig.ready()`:

    from tinhso.work.unit_results import register
    register("plan_tasks", _("Plan tasks of the body"), provide)

`provide(organisation_ids, period)` returns `{organisation id: (ratio 0..1, note)}` for the bodies it
has something to say about (a body with nothing to measure is left out, not given 0).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from tinhso.core.periods import Period

Provide = Callable[[list[int], Period], dict[int, tuple[Decimal, str]]]


@dataclass(frozen=True)
class Provider:
    code: str
    label: str
    provide: Provide


_providers: dict[str, Provider] = {}


def register(code: str, label, provide: Provide) -> None:
    _providers[code] = Provider(code, label, provide)


def unregister(code: str) -> None:
    _providers.pop(code, None)


def providers() -> list[Provider]:
    return list(_providers.values())


@dataclass(frozen=True)
class Component:
    label: str
    ratio: Decimal
    note: str


@dataclass
class UnitResult:
    """What a leader's unit achieved: one component per measure, the ratio is their mean (0..1)."""

    components: list[Component] = field(default_factory=list)

    @property
    def ratio(self) -> Decimal | None:
        if not self.components:
            return None
        return sum((c.ratio for c in self.components), Decimal(0)) / len(self.components)


def from_providers(organisation_ids: Iterable[int], period: Period) -> dict[int, list[Component]]:
    """{organisation id: [components...]} from every registered provider."""
    wanted = sorted(set(organisation_ids))
    found: dict[int, list[Component]] = {}
    if not wanted:
        return found
    for provider in providers():
        for organisation_id, (ratio, note) in provider.provide(wanted, period).items():
            ratio = min(max(Decimal(ratio), Decimal(0)), Decimal(1))
            found.setdefault(organisation_id, []).append(Component(str(provider.label), ratio, note))
    return found
