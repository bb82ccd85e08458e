from decimal import Decimal as D
from types import SimpleNamespace

from django.utils import translation

from tinhso.scoring.choices import DEFAULT_CLASSIFICATION
from tinhso.scoring.rules import Inputs, classify, competition_ranks, number, score


def criterion(rule, max_points="10", thresholds=()):
    return SimpleNamespace(rule=rule, max_points=D(max_points), thresholds=list(thresholds))


def test_ratio_gives_proportional_points_and_says_how():
    with translation.override("vi"):
        result = score(criterion("ratio"), Inputs(numerator=D(151), denominator=D(173)))
    assert result.points == D("8.73")
    assert result.explanation == "151/173 = 87,3% × 10 = 8,73 điểm"


def test_ratio_is_capped_at_the_maximum_and_needs_a_denominator():
    assert score(criterion("ratio"), Inputs(numerator=D(12), denominator=D(10))).points == D(10)
    assert score(criterion("ratio"), Inputs(numerator=D(3), denominator=D(0))).points == D(0)


def test_stepped_rule_takes_the_highest_step_reached():
    stepped = criterion(
        "stepped",
        thresholds=[
            {"at_least": "50", "points": "5"},
            {"at_least": "90", "points": "10"},
            {"at_least": "80", "points": "8"},
        ],
    )
    assert score(stepped, Inputs(value=D("85.5"))).points == D(8)
    assert score(stepped, Inputs(value=D(90))).points == D(10)
    with translation.override("vi"):
        below = score(stepped, Inputs(value=D(40)))
    assert below.points == D(0)
    assert "40" in below.explanation and "50" in below.explanation


def test_yes_no_and_manual_rules():
    assert score(criterion("boolean", "5"), Inputs(answer=True)).points == D(5)
    assert score(criterion("boolean", "5"), Inputs(answer=False)).points == D(0)
    assert score(criterion("manual", "5"), Inputs(points=D("7"))).points == D(5)
    assert score(criterion("manual", "5"), Inputs()).points == D(0)


def test_classification_uses_the_highest_band_reached():
    assert classify(D("90"), DEFAULT_CLASSIFICATION) == "Xuất sắc"
    assert classify(D("79.99"), DEFAULT_CLASSIFICATION) == "Khá"
    assert classify(D("12"), DEFAULT_CLASSIFICATION) == "Yếu"


def test_equal_totals_share_a_rank():
    assert competition_ranks({"a": D(90), "b": D(80), "c": D(80), "d": D(70)}) == {"a": 1, "b": 2, "c": 2, "d": 4}


def test_numbers_are_written_the_vietnamese_way():
    with translation.override("vi"):
        assert number(D("1356")) == "1.356"
        assert number(D("98.80")) == "98,8"
        assert number(D("10.00")) == "10"
