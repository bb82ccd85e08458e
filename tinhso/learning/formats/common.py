from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..choices import QuestionKind


@dataclass(frozen=True)
class Framework:
    """What the competence framework's tables hold now (framework.current()): the tags a file may carry."""

    domains: frozenset[int]
    competences: dict[str, int]  # code → its domain's number
    levels: frozenset[int]

    def hint(self) -> str:
        """ "domain-1…6, competence-1.1…6.3, level-1…8" from the data, for an error message."""
        parts = []
        for prefix, values in (
            ("domain", sorted(self.domains)),
            ("competence", sorted(self.competences, key=_code_order)),
            ("level", sorted(self.levels)),
        ):
            if values:
                parts.append(f"{prefix}-{values[0]}…{values[-1]}" if len(values) > 1 else f"{prefix}-{values[0]}")
        return ", ".join(parts)


def _code_order(code: str) -> list:
    return [int(part) if part.isdigit() else part for part in code.split(".")]


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
    competence_codes: list[str] = field(default_factory=list)
    # A picture the file carries (Moodle XML's <file>): its bytes as read, not yet checked to be a picture (the
    # import service does, the upload's way), its words for those who cannot see it, and the line of its <file>.
    image: bytes | None = None
    image_caption: str = ""
    image_line: int = 0


def tags_of(question) -> list[str]:
    """domain-N, competence-N.N (each component competence), level-N: what a written file carries."""
    tags = []
    if question.domain:
        tags.append(f"domain-{question.domain}")
    tags += [f"competence-{code}" for code in sorted(question.competence_codes, key=_code_order)]
    if question.level:
        tags.append(f"level-{question.level}")
    return tags


def _read_tag(question: ParsedQuestion, tag: str, framework: Framework) -> str | None:
    """Set what one tag says; the message for people when the framework has no such thing."""
    prefix, _sep, value = tag.strip().partition("-")
    if prefix == "competence" and value:
        if value not in framework.competences:
            return _("The framework has no component competence %(code)s.") % {"code": value}
        question.competence_codes.append(value)
        return None
    if prefix not in ("domain", "level") or not value.isdigit():
        return _("Unknown tag “%(tag)s” (use %(hint)s).") % {"tag": tag.strip(), "hint": framework.hint()}
    if prefix == "domain" and int(value) not in framework.domains:
        return _("The framework has no competence domain %(number)s.") % {"number": value}
    if prefix == "level" and int(value) not in framework.levels:
        return _("The framework has no level %(number)s.") % {"number": value}
    setattr(question, prefix, int(value))
    return None


def apply_tags(
    question: ParsedQuestion, tags: list[str], line: int, errors: list[LineError], framework: Framework
) -> None:
    """Tags domain-N, competence-N.N and level-N set what the framework's tables hold; other tags are refused.
    A competence's domain is the question's domain (set from it when no domain tag is given)."""
    for tag in tags:
        if problem := _read_tag(question, tag, framework):
            errors.append(LineError(line, problem))
    for code in question.competence_codes:
        domain = framework.competences[code]
        if question.domain is None:
            question.domain = domain
        elif domain != question.domain:
            errors.append(
                LineError(
                    line,
                    _("The competence %(code)s is not in competence domain %(domain)s.")
                    % {"code": code, "domain": question.domain},
                )
            )


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
