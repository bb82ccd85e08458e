"""Validation rules across the values of one report (DHIS2's validation rules), declared as data on the
data set: left side, comparison, right side, importance and message. They are checked on entry, on
submission and on import; each violation names both sides in words, with their values, in the reader's
language. Blocking rules refuse the values; warnings are shown and let the report go."""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _

from . import display, expressions
from .choices import Comparison

REFERENCE = re.compile(r"([#CU])\{([A-Za-z0-9_.\-]+)\}")


@dataclass(frozen=True)
class Violation:
    field: str  # the code of the element the message belongs to (first of the left side), or NON_FIELD_ERRORS
    message: str
    blocking: bool
    rule: object = None  # the ValidationRule broken, with the values of both sides (for the approvers' list)
    left_value: Decimal | None = None
    right_value: Decimal | None = None


def check(rules, numbers: dict[str, Decimal | None], unit, names: dict[str, str]) -> list[Violation]:
    """The rules of `rules` that the values `numbers` ({code: number or None}) of `unit` break.
    A rule whose side needs an empty value is not judged (completeness speaks for the missing value)."""
    from .figures import COMPARE

    found = []
    for rule in rules:
        sides = expressions.parse(rule.left), expressions.parse(rule.right)
        left, right = (_value(node, numbers, unit) for node in sides)
        if left is None or right is None or COMPARE[rule.operator](left, right):
            continue
        message = _("%(rule)s: %(left)s (%(left_value)s) must be %(comparison)s %(right)s (%(right_value)s).") % {
            "rule": rule.message or rule.name,
            "left": describe(rule.left, names, unit),
            "left_value": display.whole(left),
            "comparison": Comparison(rule.operator).label,
            "right": describe(rule.right, names, unit),
            "right_value": display.whole(right),
        }
        found.append(Violation(_field(sides, names), message, rule.is_blocking, rule, left, right))
    return found


def _value(node, numbers: dict, unit) -> Decimal | None:
    for reference in expressions.references(node):
        if reference.kind == "#" and numbers.get(reference.name) is None:
            return None
        if reference.kind == "U" and getattr(unit, reference.name, None) is None:
            return None
        if reference.kind == "N":
            return None  # counts of units belong to indicators, not to one report

    def resolve(reference):
        if reference.kind == "C":
            return Decimal(1 if numbers.get(reference.name) is not None else 0)
        if reference.kind == "U":
            return Decimal(getattr(unit, reference.name))
        return Decimal(numbers[reference.name])

    return expressions.evaluate(node, resolve)


def describe(text: str, names: dict[str, str], unit) -> str:
    """A side of a rule in words: element names instead of codes, the unit's own figures named."""

    def word(match) -> str:
        kind, name = match.groups()
        if kind == "U":
            figure = {"households": _("households"), "population": _("population")}.get(name, name)
            return _("%(figure)s of %(unit)s") % {"figure": figure, "unit": unit.name}
        if kind == "C":
            return _("whether %(name)s was reported") % {"name": names.get(name, name)}
        return names.get(name, name)

    return REFERENCE.sub(word, text.strip())


def _field(sides, names: dict[str, str]) -> str:
    for node in sides:
        codes = sorted(ref.name for ref in expressions.references(node) if ref.kind == "#" and ref.name in names)
        if codes:
            return codes[0]
    return NON_FIELD_ERRORS
