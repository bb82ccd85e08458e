"""How figures are written, so that official numbers come out exactly as published.

1,340/1,356 villages, one decimal, rounded → “98,8%”; 16/22, no decimals, truncated → “72%”;
5G in 4 of 9 districts as a fraction → “4/9”. Digits follow the active language (1.356 and 98,8 in
Vietnamese).
"""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

from .choices import DisplayFormat, Rounding

MODES: dict[str, str] = {Rounding.ROUND: ROUND_HALF_UP, Rounding.TRUNCATE: ROUND_DOWN}


def rounded(value: Decimal, decimals: int, rounding: str = Rounding.ROUND) -> Decimal:
    step = Decimal(1).scaleb(-decimals)
    return value.quantize(step, rounding=MODES.get(rounding, ROUND_HALF_UP))


def number(value: Decimal | int | None, decimals: int = 0, rounding: str = Rounding.ROUND) -> str:
    if value is None:
        return "—"
    return number_format(rounded(Decimal(value), decimals, rounding), decimals, force_grouping=True)


def whole(value: Decimal | int | None) -> str:
    """A count or a total as a whole number when it is one (1.356), else with its decimals."""
    if value is None:
        return "—"
    value = Decimal(value)
    exponent = int(value.normalize().as_tuple().exponent)
    decimals = 0 if value == value.to_integral_value() else min(2, -exponent)
    return number(value, decimals)


def figure(
    value: Decimal | None,
    *,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    display_format: str = DisplayFormat.NUMBER,
    decimals: int = 0,
    rounding: str = Rounding.ROUND,
) -> str:
    if display_format == DisplayFormat.FRACTION:
        if numerator is None or denominator is None:
            return "—"
        return f"{whole(numerator)}/{whole(denominator)}"
    if value is None:
        return "—"
    text = number(value, decimals, rounding)
    return f"{text}%" if display_format == DisplayFormat.PERCENT else text
