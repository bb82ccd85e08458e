"""Where scoring finds the inputs of criteria that other modules compute: a registry of input providers.

A module that computes figures registers a provider for a source key at start-up (`ready()`):

    inputs.register(Source.INDICATOR, indicator_inputs)   # tinhso/plans/apps.py

and a module that scores asks here, never the provider's module (teams asks for indicator inputs
without importing plans). A provider is `provider(criteria, subjects, period_code)` returning
`{(criterion.pk, subject.obj.pk): Inputs}`, like the `provide_inputs` that `services.evaluate` takes.
"""

from collections.abc import Callable, Sequence

from .rules import Inputs

Provider = Callable[[Sequence, Sequence, str], dict[tuple[int, int], Inputs]]

_providers: dict[str, Provider] = {}


class NoInputProvider(LookupError):
    """No installed module provides inputs for this source."""


def register(key: str, provider: Provider) -> None:
    """Make `provider` the one that computes inputs for criteria of source `key` (last registration wins)."""
    _providers[str(key)] = provider


def registered() -> list[str]:
    return sorted(_providers)


def provider_for(key: str) -> Provider:
    try:
        return _providers[str(key)]
    except KeyError:
        raise NoInputProvider(f"no module registered inputs for {key!r}; registered: {registered()}") from None


def inputs_from(key: str, criteria: Sequence, subjects: Sequence, period_code: str) -> dict[tuple[int, int], Inputs]:
    """The inputs of `criteria` (all of source `key`) for `subjects` in the period, from the registered provider."""
    if not criteria or not subjects:
        return {}
    return provider_for(key)(criteria, subjects, period_code)
