"""Reading a value as typed by a person (98,8 · 1.356 · có) or sent by a machine (98.8 · true)."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import display
from .choices import ValueType

TRUE_WORDS = {"true", "1", "yes", "y", "có", "co", "x", "đạt"}
FALSE_WORDS = {"false", "0", "no", "n", "không", "khong", "chưa", "chua"}
VIETNAMESE_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
MAX_TEXT = 1000
# A stored number has 24 digits, 6 after the point (DataValue.number): anything larger cannot be kept.
LARGEST_NUMBER = Decimal(10) ** 18


def _decimal(raw: str, *, localized: bool) -> Decimal:
    text = raw.strip().replace(" ", "").replace("\u00a0", "")
    if localized:
        if VIETNAMESE_GROUPED.match(text):
            text = text.replace(".", "")
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": raw}) from error
    if not number.is_finite():
        raise ValidationError(_("“%(value)s” is not a number.") % {"value": raw})
    if abs(number) >= LARGEST_NUMBER:
        raise ValidationError(_("“%(value)s” is too large to be a reported value.") % {"value": raw})
    return number


def parse(element, raw, *, localized: bool = False) -> tuple[str, Decimal | None]:
    """(stored text, number for arithmetic) of a raw value for `element`; ValidationError if it does not fit."""
    text = "" if raw is None else str(raw).strip()
    if element.value_type == ValueType.TEXT:
        if len(text) > MAX_TEXT:
            raise ValidationError(_("The text is longer than %(count)d characters.") % {"count": MAX_TEXT})
        return text, None
    if element.value_type == ValueType.BOOLEAN:
        return _boolean(text)
    number = _decimal(text, localized=localized)
    _check_number(element, number, text)
    return format(number.normalize(), "f"), number


def _boolean(text: str) -> tuple[str, Decimal]:
    word = text.casefold()
    if word in TRUE_WORDS:
        return "true", Decimal(1)
    if word in FALSE_WORDS:
        return "false", Decimal(0)
    raise ValidationError(_("“%(value)s” is not yes or no.") % {"value": text})


def _check_number(element, number: Decimal, text: str) -> None:
    if element.value_type == ValueType.INTEGER and number != number.to_integral_value():
        raise ValidationError(_("“%(value)s” is not a whole number.") % {"value": text})
    if element.value_type == ValueType.PERCENTAGE and not (0 <= number <= 100):
        raise ValidationError(_("A percentage must be between 0 and 100."))
    if element.min_value is not None and number < element.min_value:
        raise ValidationError(
            _("%(value)s is below the smallest allowed value, %(limit)s.")
            % {"value": display.whole(number), "limit": display.whole(element.min_value)}
        )
    if element.max_value is not None and number > element.max_value:
        raise ValidationError(
            _("%(value)s is above the largest allowed value, %(limit)s.")
            % {"value": display.whole(number), "limit": display.whole(element.max_value)}
        )


def is_outlier(number: Decimal | None, history: list[Decimal]) -> bool:
    """Far from the unit's earlier values: more than three standard deviations from their mean,
    or, when they never varied, more than double or less than half of them."""
    if number is None or len(history) < 3:
        return False
    mean = sum(history, Decimal(0)) / len(history)
    variance = sum(((value - mean) ** 2 for value in history), Decimal(0)) / len(history)
    if variance == 0:
        return mean > 0 and not (mean / 2 <= number <= mean * 2)
    return abs(number - mean) > 3 * variance.sqrt()


def shown(element, value: str) -> str:
    """A stored value written for people: yes/no in words, numbers with Vietnamese digits."""
    if element.value_type == ValueType.BOOLEAN:
        return _("yes") if value == "true" else _("no")
    if element.value_type == ValueType.TEXT or value == "":
        return value
    try:
        return display.whole(Decimal(value))
    except InvalidOperation:
        return value
