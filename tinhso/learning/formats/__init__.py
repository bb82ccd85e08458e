"""Question bank exchange formats: Moodle GIFT, Aiken and Moodle XML.

Each parser reads text into `ParsedQuestion`s or raises `FormatError` listing every problem with its line
number; each writer turns questions (anything with kind, name, text, data, topic, domain, level,
competence_codes) back into text; tags are checked against a `Framework` (the framework's tables as they are).
The parsers are strict on purpose: a file that is half understood imports nothing.
"""

from .common import FormatError, Framework, LineError, ParsedQuestion, check_data
from .registry import FORMATS, export_questions, parse

__all__ = [
    "FORMATS",
    "FormatError",
    "Framework",
    "LineError",
    "ParsedQuestion",
    "check_data",
    "export_questions",
    "parse",
]
