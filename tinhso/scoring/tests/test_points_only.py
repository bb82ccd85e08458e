"""The bulk run stores `rules.points`: it must give exactly the points of `rules.score` in every case."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from tinhso.scoring import rules
from tinhso.scoring.choices import Rule
from tinhso.scoring.rules import Inputs

STEPS = [{"at_least": 90, "points": 10}, {"at_least": 70, "points": "7.5"}, {"at_least": 50, "points": 5}]
CASES = [
    (Rule.STEPPED, Inputs()),
    (Rule.STEPPED, Inputs(value=Decimal("90"))),
    (Rule.STEPPED, Inputs(value=Decimal("89.99"))),
    (Rule.STEPPED, Inputs(value=Decimal("49"))),
    (Rule.RATIO, Inputs()),
    (Rule.RATIO, Inputs(numerator=Decimal(6), denominator=Decimal(9))),
    (Rule.RATIO, Inputs(numerator=Decimal(12), denominator=Decimal(9))),
    (Rule.RATIO, Inputs(numerator=Decimal(1), denominator=Decimal(0))),
    (Rule.BOOLEAN, Inputs()),
    (Rule.BOOLEAN, Inputs(answer=True)),
    (Rule.BOOLEAN, Inputs(answer=False)),
    (Rule.MANUAL, Inputs()),
    (Rule.MANUAL, Inputs(points=Decimal("8.555"))),
    (Rule.MANUAL, Inputs(points=Decimal("-3"))),
    (Rule.MANUAL, Inputs(points=Decimal("40"))),
]


@pytest.mark.parametrize(("rule", "inputs"), CASES)
def test_points_without_explanation_are_the_explained_points(rule, inputs):
    criterion = SimpleNamespace(rule=rule, max_points=Decimal(20), thresholds=STEPS)
    assert rules.points(criterion, inputs) == rules.score(criterion, inputs).points
