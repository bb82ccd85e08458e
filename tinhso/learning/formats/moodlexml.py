"""Moodle XML (https://docs.moodle.org/en/Moodle_XML_format) for the kinds this platform knows.

Read with lxml with entities, DTDs and the network off; a document declaring a DOCTYPE or an ENTITY is
refused before parsing (the billion-laughs and external-entity attacks need one).

A question's picture travels the way Moodle writes it: the question text (HTML) holds
`<img src="@@PLUGINFILE@@/name.png" alt="…">` and the <questiontext> holds `<file name="name.png" path="/"
encoding="base64">…</file>`. The reader hands the decoded bytes and the alt text on (the import service checks
them to be a picture, as an upload is); a reference without its <file>, a <file> that is not base64 or a second
picture in one question is an error on its line.
"""

import base64
import binascii
import html
import re
from html.parser import HTMLParser
from urllib.parse import unquote

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


PLUGINFILE = "@@PLUGINFILE@@/"


class _Images(HTMLParser):
    """The <img> tags of a question's HTML text: (src, alt) of each."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            values = dict(attrs)
            self.found.append(((values.get("src") or "").strip(), (values.get("alt") or "").strip()))


def _question_text(element) -> str:
    holder = element.find("questiontext")
    if holder is None:
        return ""
    text = _text(holder)
    if holder.get("format", "html") in ("html", "moodle_auto_format"):
        text = html.unescape(strip_tags(text))
    return " ".join(text.split()) if "\n" not in text.strip() else text.strip()


def _file_key(path: str | None, name: str) -> str:
    folder = (path or "/").strip("/")
    return f"{folder}/{name}" if folder else name


def _read_picture(element, question: ParsedQuestion, errors: list[LineError]) -> None:
    """The picture the question text shows from its own files (@@PLUGINFILE@@), decoded; pictures from
    elsewhere (a web address) are not fetched and stay out, as before."""
    holder = element.find("questiontext")
    if holder is None or holder.get("format", "html") not in ("html", "moodle_auto_format"):
        return
    reader = _Images()
    reader.feed(_text(holder))
    reader.close()
    pictures = [(unquote(src[len(PLUGINFILE) :]), alt) for src, alt in reader.found if src.startswith(PLUGINFILE)]
    if not pictures:
        return
    line = holder.sourceline or question.line
    if len({name for name, _alt in pictures}) > 1:
        errors.append(LineError(line, _("A question may carry one picture only.")))
        return
    name, alt = pictures[0]
    # Moodle names a file by its folder and name (the folder "/" mostly) and refers to it, URL-encoded, as
    # @@PLUGINFILE@@/folder/name.
    files = {_file_key(f.get("path"), f.get("name", "")): f for f in holder.findall("file")}
    name = name.lstrip("/")
    file = files.get(name)
    if file is None:
        errors.append(LineError(line, _("The picture “%(name)s” is not in the file.") % {"name": name[:100]}))
        return
    question.image_line = file.sourceline or line
    if file.get("encoding", "base64") != "base64":
        errors.append(LineError(question.image_line, _("A picture must be written in base64.")))
        return
    try:
        question.image = base64.b64decode("".join((file.text or "").split()), validate=True)
    except (binascii.Error, ValueError):
        message = _("The picture “%(name)s” is not valid base64.") % {"name": name[:100]}
        errors.append(LineError(question.image_line, message))
        return
    question.image_caption = " ".join(html.unescape(alt).split())[:200]


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
    _read_picture(element, question, errors)
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


def _picture(question) -> tuple[bytes, str] | None:
    """The question's picture as bytes and its caption: a ParsedQuestion's bytes, or a stored question's file
    (None when it has none, or its file cannot be read: the caller counts it as left out)."""
    image = getattr(question, "image", None)
    if not image:
        return None
    if isinstance(image, bytes | bytearray):
        return bytes(image), getattr(question, "image_caption", "")
    try:
        with image.open("rb") as stored:
            return stored.read(), question.image_caption
    except OSError:
        return None


def _write_text(element, question, picture: tuple[bytes, str] | None) -> None:
    if picture is None:
        _sub(element, "questiontext", question.text, format="plain_text")
        return
    data, caption = picture
    name = f"question-{question.pk}.jpg" if getattr(question, "pk", None) else "question.jpg"
    width, height = getattr(question, "image_width", None), getattr(question, "image_height", None)
    size = f' width="{width}" height="{height}"' if width and height else ""
    body = (
        f'<p>{html.escape(question.text)}</p>\n<p><img src="{PLUGINFILE}{name}" alt="{html.escape(caption)}"{size}></p>'
    )
    holder = _sub(element, "questiontext", format="html")
    etree.SubElement(holder, "text").text = etree.CDATA(body)
    file = etree.SubElement(holder, "file", name=name, path="/", encoding="base64")
    file.text = base64.b64encode(data).decode("ascii")


def export(questions, left_out: list | None = None) -> str:
    """The questions as Moodle XML, each picture inside its question; those whose picture could not be read
    are appended to `left_out`."""
    root = etree.Element("quiz")
    topic = None
    for question in questions:
        if question.topic != topic:
            topic = question.topic
            _sub(_sub(root, "question", type="category"), "category", f"$course$/top/{topic}")
        element = _sub(root, "question", type=_WRITE_KIND[question.kind])
        _sub(element, "name", question.name or question.text[:60])
        picture = _picture(question)
        if picture is None and getattr(question, "image", None) and left_out is not None:
            left_out.append(question)
        _write_text(element, question, picture)
        _write_answers(element, question)
        tags = tags_of(question)
        if tags:
            holder = _sub(element, "tags")
            for tag in tags:
                _sub(holder, "tag", tag)
    return etree.tostring(root, encoding="unicode", pretty_print=True, xml_declaration=False)
