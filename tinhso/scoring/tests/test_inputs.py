"""Scoring's input registry: modules register who computes which inputs; scoring modules ask it."""

import pytest

from tinhso.scoring import inputs
from tinhso.scoring.rules import Inputs


@pytest.fixture
def clean_registry(monkeypatch):
    monkeypatch.setattr(inputs, "_providers", dict(inputs._providers))


def test_plans_registers_the_indicator_inputs_at_start_up():
    assert "indicator" in inputs.registered()


def test_a_registered_provider_answers_for_its_source(clean_registry):
    inputs.register("trial", lambda criteria, subjects, period: {(1, 2): Inputs(value=7)})
    assert inputs.inputs_from("trial", ["criterion"], ["subject"], "2024") == {(1, 2): Inputs(value=7)}


def test_nothing_to_score_asks_no_provider(clean_registry):
    assert inputs.inputs_from("nobody", [], ["subject"], "2024") == {}


def test_a_source_nobody_provides_is_named_in_the_error(clean_registry):
    with pytest.raises(inputs.NoInputProvider, match="nobody"):
        inputs.inputs_from("nobody", ["criterion"], ["subject"], "2024")
