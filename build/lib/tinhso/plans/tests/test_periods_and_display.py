"""Periods are read as DHIS2 writes them, and figures come out exactly as published."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tinhso.plans import display, expressions, periods
from tinhso.plans.choices import DisplayFormat, Rounding


@pytest.mark.parametrize(
    ("code", "start", "end"),
    [
        ("202401", datetime.date(2024, 1, 1), datetime.date(2024, 1, 31)),
        ("202402", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        ("2024Q3", datetime.date(2024, 7, 1), datetime.date(2024, 9, 30)),
        ("2024", datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
    ],
)
def test_dhis2_period_codes_name_their_days(code, start, end):
    period = periods.parse(code)
    assert (period.start, period.end, period.code) == (start, end, code)


@pytest.mark.parametrize("code", ["2024-01", "202413", "24Q1", "2024Q5", "tháng 1", "20241"])
def test_wrong_period_formats_are_refused_in_vietnamese(code):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        periods.parse(code)
    assert code in refused.value.messages[0] and "2024Q1" in refused.value.messages[0]


def test_a_year_is_made_of_twelve_months_and_four_quarters():
    year = periods.parse("2024")
    assert [month.code for month in periods.sub_periods(year, "month")][::11] == ["202401", "202412"]
    assert [quarter.code for quarter in periods.sub_periods(year, "quarter")] == [
        "2024Q1",
        "2024Q2",
        "2024Q3",
        "2024Q4",
    ]
    assert periods.sub_periods(periods.parse("202403"), "year") == []


def test_periods_step_back_across_years():
    assert periods.previous(periods.parse("202401")).code == "202312"
    assert periods.previous(periods.parse("2024Q1"), 4).code == "2023Q1"
    assert periods.previous(periods.parse("2024"), -1).code == "2025"
    assert periods.latest_ended(datetime.date(2026, 11, 23), "month").code == "202610"


def test_broadband_in_1340_of_1356_villages_reads_98_8_percent():
    value = Decimal(1340) / Decimal(1356) * 100
    with translation.override("vi"):
        assert display.figure(value, display_format=DisplayFormat.PERCENT, decimals=1) == "98,8%"


def test_16_of_22_targets_truncated_reads_72_percent_not_73():
    value = Decimal(16) / Decimal(22) * 100
    with translation.override("vi"):
        assert display.figure(value, display_format=DisplayFormat.PERCENT, decimals=0, rounding=Rounding.TRUNCATE) == (
            "72%"
        )
        assert display.figure(value, display_format=DisplayFormat.PERCENT, decimals=0) == "73%"


def test_fractions_and_thousands_in_vietnamese_and_english():
    with translation.override("vi"):
        assert display.figure(None, numerator=Decimal(4), denominator=Decimal(9), display_format="fraction") == "4/9"
        assert display.whole(Decimal(1356)) == "1.356"
        assert display.figure(Decimal("92.4855"), display_format=DisplayFormat.PERCENT, decimals=1) == "92,5%"
    with translation.override("en"):
        assert display.whole(Decimal(1356)) == "1,356"


def test_formulas_are_parsed_without_eval_and_divide_safely():
    node = expressions.parse("(#{A} + #{B}) * 2 / N{village}")
    values = {"A": Decimal(3), "B": Decimal(1)}

    def resolve(reference):
        return Decimal(8) if reference.kind == "N" else values[reference.name]

    assert expressions.evaluate(node, resolve) == Decimal(1)
    assert expressions.evaluate(expressions.parse("#{A} / 0"), resolve) is None


@pytest.mark.parametrize("formula", ["#{A} +", "__import__('os')", "(#{A}", "#{A} #{B}", ""])
def test_malformed_formulas_are_refused(formula):
    with pytest.raises(ValidationError):
        expressions.parse(formula)


def test_unknown_codes_in_a_formula_are_named():
    with pytest.raises(ValidationError) as refused:
        expressions.check("#{A} / N{hamlet} + C{ZZ}", {"A"})
    assert "ZZ" in refused.value.messages[0] and "hamlet" in refused.value.messages[0]
