from . import aiken, gift, moodlexml
from .common import Framework, ParsedQuestion

FORMATS = {"gift": gift, "aiken": aiken, "moodlexml": moodlexml}
CONTENT_TYPES = {"gift": "text/plain", "aiken": "text/plain", "moodlexml": "application/xml"}
EXTENSIONS = {"gift": "gift.txt", "aiken": "aiken.txt", "moodlexml": "xml"}


def parse(format_name: str, text: str, framework: Framework) -> list[ParsedQuestion]:
    """`framework`: the tags accepted (the caller reads the framework's tables once: `framework.current()`)."""
    return FORMATS[format_name].parse(text, framework)


CARRIES_IMAGES = {"moodlexml"}  # GIFT and Aiken are plain text: a picture cannot travel in them


def export_questions(format_name: str, questions, left_out: list | None = None) -> str:
    """The questions as text; the questions whose picture did not go with them are appended to `left_out`."""
    if format_name in CARRIES_IMAGES:
        return FORMATS[format_name].export(questions, left_out)
    if left_out is not None:
        left_out.extend(question for question in questions if getattr(question, "image", None))
    return FORMATS[format_name].export(questions)
