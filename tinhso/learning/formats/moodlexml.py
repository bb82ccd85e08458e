"""Moodle XML (https://docs.moodle.org/en/Moodle_XML_format) for the kinds this platform knows.

Read with lxml with entities, DTDs and the network off; a document declaring a DOCTYPE or an ENTITY is
refused before parsing (the billion-laughs and external-entity attacks need one).
"""

import html
import re

from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from lxml import etree

from ..choices import QuestionKind
from .common import FormatError, Framework, LineError, ParsedQuestion, apply_tags, check_data, tags_of

_DECLARATION = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_READ_KIND = {"shortanswer": QuestionKind.SHORT, "numerical": QuestionKind.NUMERIC, "matching": QuestionKind.MATCHING}


def _text(element, path: str = "text") -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _question_text(element) -> str:
    holder = element.find("questiontext")
    if holder is None:
        return ""
    text = _text(holder)
    if holder.get("format", "html") in ("html", "moodle_auto_format"):
        text = html.unescape(strip_tags(text))
    return " ".join(text.split()) if "\n" not in text.strip() else text.strip()


def _fraction(answer) -> float:
    return float(answer.get("fraction", "0"))


def _data(kind: str, element) -> tuple[str, dict]:
    answers = element.findall("answer")
    if kind == "multichoice":
        single = _text(element, "single").lower() in ("true", "1")
        choices = [{"text": html.unescape(strip_tags(_text(a))), "fraction": _fraction(a)} for a in answers]
        return (QuestionKind.SINGLE if single else QuestionKind.MULTIPLE), {"choices": choices}
    if kind == "truefalse":
        right = [a for a in answers if _fraction(a) == 100]
        return QuestionKind.TRUE_FALSE, {"answer": _text(right[0]).lower() == "true" if right else None}
    if kind == "shortanswer":
        return QuestionKind.SHORT, {"answers": [{"text": _text(a), "fraction": _fraction(a)} for a in answers]}
    if kind == "numerical":
        values = [
            {"value": float(_text(a)), "tolerance": float(_text(a, "tolerance") or 0), "fraction": _fraction(a)}
            for a in answers
        ]
        return QuestionKind.NUMERIC, {"answers": values}
    pairs = [{"left": _text(s), "right": _text(s, "answer/text")} for s in element.findall("subquestion")]
    return QuestionKind.MATCHING, {"pairs": pairs}


def _read_question(element, topic: str, errors: list[LineError], framework):
    line = element.sourceline or 1
    kind = element.get("type", "")
    if kind not in ("multichoice", "truefalse", *_READ_KIND):
        errors.append(LineError(line, _("The question type “%(type)s” is not supported.") % {"type": kind}))
        return None
    try:
        question_kind, data = _data(kind, element)
    except ValueError:
        errors.append(LineError(line, _("A number in this question cannot be read.")))
        return None
    text = _question_text(element)
    if not text:
        errors.append(LineError(line, _("The question has no text.")))
        return None
    for problem in check_data(question_kind, data):
        errors.append(LineError(line, problem))
    question = ParsedQuestion(question_kind, text, data, name=_text(element, "name/text"), topic=topic, line=line)
    apply_tags(question, [t.text or "" for t in element.findall("tags/tag/text")], line, errors, framework)
    return question


def parse(text: str, framework: Framework) -> list[ParsedQuestion]:
    if match := _DECLARATION.search(text):
        line = text.count("\n", 0, match.start()) + 1
        raise FormatError([LineError(line, _("Document type and entity declarations are not accepted."))])
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as error:
        raise FormatError(
            [LineError(error.lineno or 1, _("The XML is not well formed: %(e)s") % {"e": error.msg})]
        ) from None
    if root.tag != "quiz":
        raise FormatError([LineError(root.sourceline or 1, _("The document must start with <quiz>."))])
    questions: list[ParsedQuestion] = []
    errors: list[LineError] = []
    topic = ""
    for element in root.iterchildren("question"):
        if element.get("type") == "category":
            topic = re.sub(r"^(\$\w+\$/)?(top/)?", "", _text(element, "category/text"))
        elif question := _read_question(element, topic, errors, framework):
            questions.append(question)
    if errors:
        raise FormatError(errors)
    if not questions:
        raise FormatError([LineError(1, _("The file holds no question."))])
    return questions


def _sub(parent, tag: str, text: str | None = None, **attributes):
    element = etree.SubElement(parent, tag, **attributes)
    if text is not None:
        etree.SubElement(element, "text").text = text
    return element


def _number(value: float) -> str:
    return f"{value:.10g}"


def _write_answers(element, question) -> None:
    data = question.data
    if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        _sub(element, "single").text = "true" if question.kind == QuestionKind.SINGLE else "false"
        _sub(element, "shuffleanswers").text = "1"
        for choice in data["choices"]:
            _sub(element, "answer", choice["text"], fraction=_number(choice["fraction"]), format="plain_text")
    elif question.kind == QuestionKind.TRUE_FALSE:
        _sub(element, "answer", "true", fraction="100" if data["answer"] else "0")
        _sub(element, "answer", "false", fraction="0" if data["answer"] else "100")
    elif question.kind == QuestionKind.SHORT:
        for answer in data["answers"]:
            _sub(element, "answer", answer["text"], fraction=_number(answer.get("fraction", 100)))
    elif question.kind == QuestionKind.NUMERIC:
        for answer in data["answers"]:
            written = _sub(element, "answer", _number(answer["value"]), fraction=_number(answer.get("fraction", 100)))
            _sub(written, "tolerance").text = _number(answer.get("tolerance", 0))
    else:
        for pair in data["pairs"]:
            _sub(_sub(element, "subquestion", pair["left"], format="plain_text"), "answer", pair["right"])


_WRITE_KIND = {
    QuestionKind.SINGLE: "multichoice",
    QuestionKind.MULTIPLE: "multichoice",
    QuestionKind.TRUE_FALSE: "truefalse",
    QuestionKind.SHORT: "shortanswer",
    QuestionKind.NUMERIC: "numerical",
    QuestionKind.MATCHING: "matching",
}


def export(questions) -> str:
    root = etree.Element("quiz")
    topic = None
    for question in questions:
        if question.topic != topic:
            topic = question.topic
            _sub(_sub(root, "question", type="category"), "category", f"$course$/top/{topic}")
        element = _sub(root, "question", type=_WRITE_KIND[question.kind])
        _sub(element, "name", question.name or question.text[:60])
        _sub(element, "questiontext", question.text, format="plain_text")
        _write_answers(element, question)
        tags = tags_of(question)
        if tags:
            holder = _sub(element, "tags")
            for tag in tags:
                _sub(holder, "tag", tag)
    return etree.tostring(root, encoding="unicode", pretty_print=True, xml_declaration=False)
