"""Moodle GIFT (https://docs.moodle.org/en/GIFT_format): the kinds this platform knows, strictly.

Competence domain, component competences and level travel as Moodle's tag comments
(`// [tag:domain-2] [tag:competence-2.1] [tag:level-1]`), the topic as `$CATEGORY:`.
"""

import re

from django.utils.translation import gettext as _

from ..choices import QuestionKind
from .common import FormatError, Framework, LineError, ParsedQuestion, apply_tags, check_data, tags_of

SPECIAL = "~=#{}:"
# Escaped characters are swapped for private-use code points while parsing, then swapped back.
_HIDE = {f"\\{char}": chr(0xE000 + index) for index, char in enumerate(SPECIAL)}
_SHOW = {hidden: escaped[1] for escaped, hidden in _HIDE.items()}
_HIDE["\\n"] = "\n"
_TAG = re.compile(r"\[tag:([^\]]+)\]")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_NUMBER = r"-?\d+(?:[.,]\d+)?"


def _hide(text: str) -> str:
    for escaped, hidden in _HIDE.items():
        text = text.replace(escaped, hidden)
    return text


def _show(text: str) -> str:
    for hidden, char in _SHOW.items():
        text = text.replace(hidden, char)
    return text.strip()


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _blocks(text: str):
    """(first line number, [(line number, line)]) of each group of lines between blank lines."""
    block: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            block.append((number, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _tokens(body: str) -> list[tuple[str, float | None, str]]:
    """'=a ~%50%b' → [('=', None, 'a'), ('~', 50.0, 'b')], feedback after '#' dropped."""
    found = []
    for match in re.finditer(r"([=~])([^=~]*)", body):
        marker, rest = match.group(1), match.group(2)
        weight = _WEIGHT.match(rest.strip())
        rest = rest.strip()[weight.end() :] if weight else rest
        found.append((marker, float(weight.group(1)) if weight else None, _show(rest.split("#", 1)[0])))
    return found


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _numeric(body: str) -> dict:
    answers = []
    entries = [entry for entry in re.split(r"(?<![\d.])=", body) if entry.strip()] or [body]
    for entry in entries:
        weight = _WEIGHT.match(entry.strip())
        entry = (entry.strip()[weight.end() :] if weight else entry).split("#", 1)[0].strip()
        if match := re.fullmatch(rf"({_NUMBER})\.\.({_NUMBER})", entry):
            low, high = _number(match.group(1)), _number(match.group(2))
            value, tolerance = (low + high) / 2, (high - low) / 2
        elif match := re.fullmatch(rf"({_NUMBER})(?::({_NUMBER}))?", entry):
            value, tolerance = _number(match.group(1)), _number(match.group(2) or "0")
        else:
            raise ValueError(_("“%(text)s” is not a number (write #value or #value:tolerance).") % {"text": entry})
        answers.append({"value": value, "tolerance": tolerance, "fraction": float(weight.group(1)) if weight else 100})
    return {"answers": answers}


def _answers(body: str) -> tuple[str, dict]:
    stripped = body.strip()
    if stripped.split("#", 1)[0].strip().upper() in _TRUE_FALSE:
        return QuestionKind.TRUE_FALSE, {"answer": _TRUE_FALSE[stripped.split("#", 1)[0].strip().upper()]}
    if stripped.startswith("#"):
        return QuestionKind.NUMERIC, _numeric(stripped[1:])
    if stripped and stripped[0] not in "=~":
        raise ValueError(_("The answers must start with = (right) or ~ (wrong)."))
    tokens = _tokens(stripped)
    markers = {marker for marker, _weight, _text in tokens}
    if markers == {"="} and all("->" in text for _m, _w, text in tokens):
        pairs = [dict(zip(("left", "right"), map(str.strip, text.split("->", 1)), strict=True)) for *_, text in tokens]
        return QuestionKind.MATCHING, {"pairs": pairs}
    if markers == {"="}:
        return QuestionKind.SHORT, {
            "answers": [{"text": t, "fraction": w if w is not None else 100} for _m, w, t in tokens]
        }
    if any(weight is not None for _m, weight, _t in tokens):
        choices = [{"text": t, "fraction": w if w is not None else (100 if m == "=" else 0)} for m, w, t in tokens]
        return QuestionKind.MULTIPLE, {"choices": choices}
    return QuestionKind.SINGLE, {"choices": [{"text": t, "fraction": 100 if m == "=" else 0} for m, _w, t in tokens]}


def _question(lines: list[tuple[int, str]], topic: str, tags: list[str], errors: list[LineError], framework):
    line = lines[0][0]
    source = _hide("\n".join(text for _number, text in lines))
    name = ""
    if source.startswith("::"):
        name, sep, source = source[2:].partition("::")
        if not sep:
            errors.append(LineError(line, _("The question title is not closed with ::.")))
            return None
    if source.count("{") != 1 or source.count("}") != 1 or source.index("{") > source.index("}"):
        errors.append(LineError(line, _("A question needs exactly one {…} block of answers.")))
        return None
    before, rest = source.split("{", 1)
    body, after = rest.split("}", 1)
    text = _show(before) if not after.strip() else f"{_show(before)} _____ {_show(after)}"
    text = re.sub(r"^\[(html|moodle|plain|markdown)\]", "", text).strip()
    if not text:
        errors.append(LineError(line, _("The question has no text.")))
        return None
    try:
        kind, data = _answers(body)
    except ValueError as error:
        errors.append(LineError(line, str(error)))
        return None
    for problem in check_data(kind, data):
        errors.append(LineError(line, problem))
    question = ParsedQuestion(kind=kind, text=text, data=data, name=_show(name), topic=topic, line=line)
    apply_tags(question, tags, line, errors, framework)
    return question


def parse(text: str, framework: Framework) -> list[ParsedQuestion]:
    questions: list[ParsedQuestion] = []
    errors: list[LineError] = []
    topic = ""
    for block in _blocks(text):
        tags: list[str] = []
        content = []
        for number, line in block:
            stripped = line.strip()
            if stripped.startswith("//"):
                tags += _TAG.findall(stripped)
            elif stripped.startswith("$CATEGORY:"):
                path = stripped.removeprefix("$CATEGORY:").strip()
                topic = re.sub(r"^(\$\w+\$/)?(top/)?", "", path).strip()
            else:
                content.append((number, line))
        if content and (question := _question(content, topic, tags, errors, framework)):
            questions.append(question)
    if errors:
        raise FormatError(errors)
    if not questions:
        raise FormatError([LineError(1, _("The file holds no question."))])
    return questions


def _weight(fraction: float, default: float) -> str:
    return "" if fraction == default else f"%{fraction:.10g}%"


def _body(question) -> str:
    data = question.data
    if question.kind == QuestionKind.TRUE_FALSE:
        return "TRUE" if data["answer"] else "FALSE"
    if question.kind == QuestionKind.NUMERIC:
        return "#" + " ".join(
            f"={_weight(a['fraction'], 100)}{a['value']:.10g}:{a.get('tolerance', 0):.10g}" for a in data["answers"]
        )
    if question.kind == QuestionKind.MATCHING:
        return " ".join(f"={_escape(p['left'])} -> {_escape(p['right'])}" for p in data["pairs"])
    if question.kind == QuestionKind.SHORT:
        return " ".join(f"={_weight(a.get('fraction', 100), 100)}{_escape(a['text'])}" for a in data["answers"])
    if question.kind == QuestionKind.SINGLE:
        return " ".join(("=" if c["fraction"] == 100 else "~") + _escape(c["text"]) for c in data["choices"])
    return " ".join(f"~%{c['fraction']:.10g}%{_escape(c['text'])}" for c in data["choices"])


def export(questions) -> str:
    out, topic = [], None
    for question in questions:
        if question.topic != topic:
            topic = question.topic
            out.append(f"$CATEGORY: $course$/top/{topic}\n")
        tags = " ".join(f"[tag:{tag}]" for tag in tags_of(question))
        head = f"// {tags}\n" if tags else ""
        name = f"::{_escape(question.name)}::" if question.name else ""
        out.append(f"{head}{name}{_escape(question.text)} {{{_body(question)}}}\n")
    return "\n".join(out)
