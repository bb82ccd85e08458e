"""Aiken (https://docs.moodle.org/en/Aiken_format): single-choice questions only, one line each part.

Question text
A. choice
B) choice
ANSWER: B
TAGS: domain-4 competence-4.2 level-2

The `TAGS:` line right after `ANSWER:` is this platform's addition (Aiken has no place for tags): it keeps the
competence domain, component competences and level through an export and an import here. Moodle's own Aiken
import does not know it; a bank meant for Moodle goes out as GIFT or Moodle XML, which carry the same tags.
"""

import re

from django.utils.translation import gettext as _

from ..choices import QuestionKind
from .common import FormatError, Framework, LineError, ParsedQuestion, apply_tags, tags_of

_CHOICE = re.compile(r"^([A-Z])[.)]\s+(.+)$")
_ANSWER = re.compile(r"^ANSWER:\s*([A-Z])\s*$")
_TAGS = "TAGS:"


def _finish(start: int, lines: list[tuple[int, str]], errors: list[LineError]):
    text = lines[0][1].strip()
    letters: list[str] = []
    choices: list = []
    for number, line in lines[1:-1]:
        match = _CHOICE.match(line.strip())
        if not match:
            errors.append(LineError(number, _("Expected a choice such as “A. text”.")))
            return None
        if match.group(1) != chr(ord("A") + len(letters)):
            errors.append(LineError(number, _("Choices must be lettered A, B, C… in order.")))
            return None
        letters.append(match.group(1))
        choices.append(match.group(2).strip())
    number, last = lines[-1]
    answer = _ANSWER.match(last.strip())
    if not answer:
        errors.append(LineError(number, _("A question must end with a line “ANSWER: X”.")))
        return None
    if len(choices) < 2:
        errors.append(LineError(start, _("A choice question needs at least two choices.")))
        return None
    if answer.group(1) not in letters:
        errors.append(
            LineError(number, _("The answer %(letter)s is not one of the choices.") % {"letter": answer.group(1)})
        )
        return None
    correct = letters.index(answer.group(1))
    data = {"choices": [{"text": c, "fraction": 100 if i == correct else 0} for i, c in enumerate(choices)]}
    return ParsedQuestion(kind=QuestionKind.SINGLE, text=text, data=data, line=start)


def parse(text: str, framework: Framework) -> list[ParsedQuestion]:
    questions: list[ParsedQuestion] = []
    errors: list[LineError] = []
    lines: list[tuple[int, str]] = []
    finished: ParsedQuestion | None = None  # the question whose ANSWER line came just before
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            if lines:
                errors.append(LineError(lines[0][0], _("The question has no “ANSWER:” line.")))
                lines = []
            finished = None
            continue
        if not lines and line.strip().startswith(_TAGS):
            if finished is None:
                errors.append(LineError(number, _("A “TAGS:” line belongs right after a question's “ANSWER:” line.")))
            else:
                apply_tags(finished, line.strip().removeprefix(_TAGS).split(), number, errors, framework)
            finished = None
            continue
        finished = None
        lines.append((number, line))
        if _ANSWER.match(line.strip()):
            if question := _finish(lines[0][0], lines, errors):
                questions.append(question)
                finished = question
            lines = []
    if lines:
        errors.append(LineError(lines[0][0], _("The question has no “ANSWER:” line.")))
    if errors:
        raise FormatError(errors)
    if not questions:
        raise FormatError([LineError(1, _("The file holds no question."))])
    return questions


def exportable(question) -> bool:
    return question.kind == QuestionKind.SINGLE and len(question.data["choices"]) <= 26


def export(questions) -> str:
    out = []
    for question in questions:
        if not exportable(question):
            continue
        lines = [" ".join(question.text.split())]
        correct = "A"
        for index, choice in enumerate(question.data["choices"]):
            letter = chr(ord("A") + index)
            lines.append(f"{letter}. {' '.join(choice['text'].split())}")
            if choice["fraction"] == 100:
                correct = letter
        lines.append(f"ANSWER: {correct}")
        if tags := tags_of(question):
            lines.append(f"{_TAGS} {' '.join(tags)}")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)
