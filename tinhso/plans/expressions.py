"""Indicator formulas in DHIS2's style, parsed without eval.

    #{CODE}     the total of a data element over the units and periods asked for
    C{CODE}     how many units reported that data element
    N{village}  how many units of that level (village, commune, district) the area has
    U{households}  a figure recorded on the reporting unit itself (households, population): validation rules only
    numbers, + - * / and parentheses

Example: numerator "#{HT_BANGRONG}", denominator "N{village}", factor 100.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

TOKEN = re.compile(
    r"\s*(?:(?P<ref>[#CNU])\{(?P<name>[A-Za-z0-9_.\-]+)\}"  # #{CODE}, C{CODE}, N{level}, U{households}
    r"|(?P<number>\d+(?:\.\d+)?)"
    r"|(?P<op>[-+*/()]))"
)
LEVELS = ("province", "district", "commune", "village")
UNIT_FIGURES = ("households", "population")


@dataclass(frozen=True)
class Reference:
    kind: str  # "#" total, "C" count of reporting units, "N" number of units of a level, "U" a unit's own figure
    name: str


Node = tuple  # ("num", Decimal) | ("ref", Reference) | ("neg", node) | (op, left, right)


def _tokens(text: str) -> list[tuple[str, object]]:
    position, found = 0, []  # type: tuple[int, list[tuple[str, object]]]
    text = text.strip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ValidationError(
                _("The formula cannot be read near “%(part)s”.") % {"part": text[position : position + 12]}
            )
        position = match.end()
        if match.group("ref"):
            found.append(("ref", Reference(match.group("ref"), match.group("name"))))
        elif match.group("number"):
            found.append(("num", Decimal(match.group("number"))))
        elif match.group("op"):
            found.append(("op", match.group("op")))
    return found


class _Parser:
    def __init__(self, tokens):
        self.tokens, self.position = tokens, 0

    def peek(self):
        return self.tokens[self.position] if self.position < len(self.tokens) else (None, None)

    def take(self):
        token = self.peek()
        self.position += 1
        return token

    def expression(self) -> Node:
        node = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            node = (self.take()[1], node, self.term())
        return node

    def term(self) -> Node:
        node = self.factor()
        while self.peek() in (("op", "*"), ("op", "/")):
            node = (self.take()[1], node, self.factor())
        return node

    def factor(self) -> Node:
        kind, value = self.take()
        if kind in ("num", "ref"):
            return (kind, value)
        if (kind, value) == ("op", "-"):
            return ("neg", self.factor())
        if (kind, value) == ("op", "("):
            node = self.expression()
            if self.take() != ("op", ")"):
                raise ValidationError(_("A parenthesis is not closed in the formula."))
            return node
        raise ValidationError(_("The formula is incomplete."))


def parse(text: str) -> Node:
    tokens = _tokens(text)
    if not tokens:
        raise ValidationError(_("The formula is empty."))
    parser = _Parser(tokens)
    node = parser.expression()
    if parser.position != len(tokens):
        raise ValidationError(_("The formula has something extra at its end."))
    return node


def references(node: Node) -> set[Reference]:
    if node[0] == "ref":
        return {node[1]}
    if node[0] == "num":
        return set()
    return set().union(*(references(child) for child in node[1:]))


def check(text: str, known_codes: set[str], *, unit_figures: bool = False) -> None:
    """Raise a ValidationError naming each unknown data element or level of a formula (and unit figure,
    which only validation rules may use)."""
    unknown = []
    for reference in references(parse(text)):
        known = {"N": LEVELS, "U": UNIT_FIGURES if unit_figures else ()}.get(reference.kind, known_codes)
        if reference.name not in known:
            unknown.append(reference.name)
    if unknown:
        raise ValidationError(_("Unknown in the formula: %(names)s.") % {"names": ", ".join(sorted(unknown))})


def evaluate(node: Node, resolve: Callable[[Reference], Decimal]) -> Decimal | None:
    """The value of a parsed formula; None when it divides by zero."""
    try:
        return _evaluate(node, resolve)
    except (DivisionByZero, InvalidOperation, ZeroDivisionError):
        return None


def _evaluate(node: Node, resolve) -> Decimal:
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "ref":
        return resolve(node[1])
    if kind == "neg":
        return -_evaluate(node[1], resolve)
    left, right = _evaluate(node[1], resolve), _evaluate(node[2], resolve)
    if kind == "+":
        return left + right
    if kind == "-":
        return left - right
    if kind == "*":
        return left * right
    if right == 0:
        raise DivisionByZero
    return left / right
