from . import aiken, gift, moodlexml
from .common import Framework, ParsedQuestion

FORMATS = {"gift": gift, "aiken": aiken, "moodlexml": moodlexml}
CONTENT_TYPES = {"gift": "text/plain", "aiken": "text/plain", "moodlexml": "application/xml"}
EXTENSIONS = {"gift": "gift.txt", "aiken": "aiken.txt", "moodlexml": "xml"}


def parse(format_name: str, text: str, framework: Framework) -> list[ParsedQuestion]:
    """`framework`: the tags accepted (the caller reads the framework's tables once: `framework.current()`)."""
    return FORMATS[format_name].parse(text, framework)


def export_questions(format_name: str, questions) -> str:
    return FORMATS[format_name].export(questions)
