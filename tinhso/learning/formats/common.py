from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..choices import Domain, QuestionKind

MAX_LEVEL = 8  # the framework's levels 1–8 (basic 1–2, intermediate 3–4, advanced 5–6, specialised 7–8)


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def as_dict(self) -> dict:
        return {"line": self.line, "message": self.message}


class FormatError(Exception):
    def __init__(self, errors: list[LineError]):
        self.errors = errors
        super().__init__("; ".join(f"{error.line}: {error.message}" for error in errors))


@dataclass
class ParsedQuestion:
    kind: str
    text: str
    data: dict
    name: str = ""
    topic: str = ""
    domain: int | None = None
    level: int | None = None
    line: int = 0
    tags: list[str] = field(default_factory=list)


def tags_of(question) -> list[str]:
    tags = []
    if question.domain:
        tags.append(f"domain-{question.domain}")
    if question.level:
        tags.append(f"level-{question.level}")
    return tags


def apply_tags(question: ParsedQuestion, tags: list[str], line: int, errors: list[LineError]) -> None:
    """Tags "domain-N" and "level-N" set the competence domain and level; other tags are refused."""
    for tag in tags:
        prefix, _sep, number = tag.strip().partition("-")
        if prefix not in ("domain", "level") or not number.isdigit():
            errors.append(LineError(line, _("Unknown tag “%(tag)s” (use domain-1…6 or level-1…8).") % {"tag": tag}))
            continue
        setattr(question, prefix, int(number))
    if question.domain is not None and question.domain not in Domain.values:
        errors.append(LineError(line, _("The competence domain must be 1 to 6.")))
    if question.level is not None and not 1 <= question.level <= MAX_LEVEL:
        errors.append(LineError(line, _("The level must be 1 to 8.")))


def _choices_problems(data: dict, *, single: bool) -> list[str]:
    choices = data.get("choices")
    if not isinstance(choices, list) or len(choices) < 2:
        return [_("A choice question needs at least two choices.")]
    if any(not isinstance(c, dict) or not str(c.get("text", "")).strip() for c in choices):
        return [_("Every choice needs a text.")]
    fractions = [c.get("fraction", 0) for c in choices]
    if any(not isinstance(f, int | float) or not -100 <= f <= 100 for f in fractions):
        return [_("A choice's weight must be between -100 and 100 per cent.")]
    if single and sorted(fractions)[-1] != 100:
        return [_("A single-choice question needs one choice marked correct.")]
    if not single and sum(f for f in fractions if f > 0) < 99.9:
        return [_("The correct choices of a multiple-choice question must add up to 100 per cent.")]
    return []


def check_data(kind: str, data: dict) -> list[str]:
    """What is wrong with a question's answer data, as messages for people (empty when it is sound)."""
    if not isinstance(data, dict):
        return [_("The answer data is not readable.")]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return _choices_problems(data, single=kind == QuestionKind.SINGLE)
    if kind == QuestionKind.TRUE_FALSE:
        return [] if isinstance(data.get("answer"), bool) else [_("A true/false question needs its answer.")]
    if kind == QuestionKind.SHORT:
        answers = data.get("answers")
        if not isinstance(answers, list) or not answers or any(not str(a.get("text", "")).strip() for a in answers):
            return [_("A short-answer question needs at least one accepted answer.")]
        return []
    if kind == QuestionKind.NUMERIC:
        answers = data.get("answers")
        if not isinstance(answers, list) or not answers:
            return [_("A numeric question needs its answer.")]
        for answer in answers:
            if not isinstance(answer.get("value"), int | float) or not isinstance(
                answer.get("tolerance", 0), int | float
            ):
                return [_("A numeric answer must be a number.")]
        return []
    if kind == QuestionKind.MATCHING:
        pairs = data.get("pairs")
        if not isinstance(pairs, list) or len(pairs) < 2:
            return [_("A matching question needs at least two pairs.")]
        if any(not str(p.get("left", "")).strip() or not str(p.get("right", "")).strip() for p in pairs):
            return [_("Every pair needs both sides.")]
        return []
    return [_("Unknown question kind.")]
