"""How a saved answer scores (0..1 of the question's point) and what a participant may see of a question."""

import random
import unicodedata

from django.utils.translation import gettext as _

from .choices import QuestionKind

MAX_TEXT_ANSWER = 200


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


def _number(value) -> float | None:
    try:
        return float(str(value).replace(",", ".")) if not isinstance(value, bool) else None
    except ValueError:
        return None


def paper_entry(question, rng: random.Random, *, shuffle_choices: bool) -> dict:
    """What is fixed for this attempt: the question, and the order its choices or right-hand items appear in."""
    entry: dict = {"id": question.pk}
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        order = list(range(len(question.data["choices"])))
        if shuffle_choices:
            rng.shuffle(order)
        entry["order"] = order
    elif question.kind == QuestionKind.MATCHING:
        rights = sorted({pair["right"] for pair in question.data["pairs"]})
        rng.shuffle(rights)
        entry["rights"] = rights
    return entry


def public_question(question, entry: dict) -> dict:
    """The question as the participant sees it: never its answers."""
    shown = {"id": question.pk, "kind": question.kind, "text": question.text}
    if "order" in entry:
        shown["choices"] = [{"key": key, "text": question.data["choices"][key]["text"]} for key in entry["order"]]
    if question.kind == QuestionKind.MATCHING:
        shown["lefts"] = [pair["left"] for pair in question.data["pairs"]]
        shown["rights"] = entry["rights"]
    return shown


def clean_answer(question, value):
    """The answer in canonical form, or ValueError with a message for the participant."""
    kind, data = question.kind, question.data
    if value is None:
        return None
    if kind == QuestionKind.SINGLE:
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < len(data["choices"]):
            raise ValueError(_("Choose one of the choices."))
        return value
    if kind == QuestionKind.MULTIPLE:
        if not isinstance(value, list) or any(
            not isinstance(v, int) or isinstance(v, bool) or not 0 <= v < len(data["choices"]) for v in value
        ):
            raise ValueError(_("Choose among the choices."))
        return sorted(set(value))
    if kind == QuestionKind.TRUE_FALSE:
        if not isinstance(value, bool):
            raise ValueError(_("Answer true or false."))
        return value
    if kind == QuestionKind.SHORT:
        if not isinstance(value, str) or len(value) > MAX_TEXT_ANSWER:
            raise ValueError(_("Write a short answer (at most 200 characters)."))
        return value.strip()
    if kind == QuestionKind.NUMERIC:
        number = _number(value) if isinstance(value, int | float | str) else None
        if number is None or number != number or number in (float("inf"), float("-inf")):
            raise ValueError(_("Write a number."))
        return number
    if (
        not isinstance(value, list)
        or len(value) != len(data["pairs"])
        or any(v is not None and not isinstance(v, str) for v in value)
    ):
        raise ValueError(_("Match every item on the left."))
    return value


def score_answer(question, value) -> float:
    kind, data = question.kind, question.data
    if value is None:
        return 0.0
    if kind == QuestionKind.SINGLE:
        return max(0.0, data["choices"][value]["fraction"] / 100)
    if kind == QuestionKind.MULTIPLE:
        total = sum(data["choices"][index]["fraction"] for index in value)
        return min(1.0, max(0.0, total / 100))
    if kind == QuestionKind.TRUE_FALSE:
        return 1.0 if value == data["answer"] else 0.0
    if kind == QuestionKind.SHORT:
        fractions = [a.get("fraction", 100) for a in data["answers"] if _normal(a["text"]) == _normal(value)]
        return max(fractions, default=0) / 100
    if kind == QuestionKind.NUMERIC:
        fractions = [
            a.get("fraction", 100) for a in data["answers"] if abs(value - a["value"]) <= a.get("tolerance", 0)
        ]
        return max(fractions, default=0) / 100
    pairs = data["pairs"]
    right = sum(1 for pair, given in zip(pairs, value, strict=True) if given == pair["right"])
    return right / len(pairs)


def correct_answer(question):
    """The right answer in the same form a participant sends it (shown in review)."""
    kind, data = question.kind, question.data
    if kind == QuestionKind.SINGLE:
        return next(i for i, choice in enumerate(data["choices"]) if choice["fraction"] == 100)
    if kind == QuestionKind.MULTIPLE:
        return [i for i, choice in enumerate(data["choices"]) if choice["fraction"] > 0]
    if kind == QuestionKind.TRUE_FALSE:
        return data["answer"]
    if kind == QuestionKind.SHORT:
        return data["answers"][0]["text"]
    if kind == QuestionKind.NUMERIC:
        return data["answers"][0]["value"]
    return [pair["right"] for pair in data["pairs"]]
