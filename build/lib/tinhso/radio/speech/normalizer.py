"""normalize(): government and commune-radio text -> the words an announcer would say.

Each rule is a regular expression and a function that returns Vietnamese words. The rules run in a
fixed order, from the most specific (a commune's own dictionary, web addresses, document codes,
dates) to the most general (plain numbers, abbreviations, and finally any Latin-script word left,
which is rewritten so that espeak-ng's Vietnamese voice never switches to English).
"""

import re
import unicodedata
from collections.abc import Mapping

from .rules import build

PLACEHOLDER_BASE = 0xF0000  # Supplementary Private Use Area A: room for any number of dictionary hits
PLACEHOLDER = re.compile("[\U000f0000-\U000ffffd]")
SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")


def normalize(text: str, lexicon: Mapping[str, str] | None = None, *, southern: bool = False) -> str:
    """The reading of `text` for espeak-ng's Vietnamese voice; see docs/radio-speech.md for the rules."""
    text = _prepare(text)
    readings: list[str] = []
    if lexicon:
        text = _apply_dictionary(text, lexicon, readings)
    for pattern, replace in build(southern):
        text = pattern.sub(replace, text)
    text = PLACEHOLDER.sub(lambda m: readings[ord(m[0]) - PLACEHOLDER_BASE], text)
    return _tidy(text)


def _prepare(text: str) -> str:
    text = PLACEHOLDER.sub(" ", unicodedata.normalize("NFC", text)).replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(character if _readable(character) else " " for character in text.replace("×", " nhân "))
    text = text.replace("\u2010", "-").replace("\u2011", "-").replace("\u2212", "-")
    text = re.sub(r"[“”„\"«»‘’`´]", " ", text)
    text = SPACES.sub(" ", text)
    # A spaced dash between words is a pause ("Giám đốc Sở - ông Hà"); between numbers it is a range.
    return re.sub(r"\s[-–—]\s(?!\d)|(?<=[^\W\d_])[–—](?=[^\W\d_])", ", ", text)


def _readable(character: str) -> bool:
    """Latin script, digits, punctuation and the symbols the rules read; other scripts and emoji would make
    espeak-ng switch language (Cyrillic to Russian, Han to Chinese), so they are left out."""
    if character.isascii() or character in "°º²³‰–—…“”‘’«»±≥≤\u00a0\u2009\u202f\u2010\u2011\u2212":
        return True
    return "LATIN" in unicodedata.name(character, "")


def _apply_dictionary(text: str, dictionary: Mapping[str, str], readings: list[str]) -> str:
    """Whole words or phrases; all-caps keys are matched case-sensitively, others in any case.

    A commune's reading is the commune's decision: it is set aside behind a placeholder (a private-use
    character no rule matches) and put back after the built-in rules."""
    for sensitive in (True, False):
        entries = {key: value for key, value in dictionary.items() if key.strip() and (key.upper() == key) == sensitive}
        if entries:
            text = _replace_words(text, entries, sensitive, readings)
    return text


def _replace_words(text: str, entries: Mapping[str, str], sensitive: bool, readings: list[str]) -> str:
    by_lower = {key.lower(): value for key, value in entries.items()}
    alternatives = "|".join(re.escape(key) for key in sorted(entries, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w&])(?:{alternatives})(?![\w&])", 0 if sensitive else re.IGNORECASE)

    def set_aside(match: re.Match) -> str:
        readings.append(entries.get(match[0]) or by_lower[match[0].lower()])
        return f" {chr(PLACEHOLDER_BASE + len(readings) - 1)} "

    return pattern.sub(set_aside, text)


def _tidy(text: str) -> str:
    text = SPACES.sub(" ", text)
    text = re.sub(r"\s+([,.;:!?])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"[,;:]\s*([.!?])", r"\1", text)
    text = re.sub(r"^[\s,;:.]+", "", text)
    text = re.sub(r"([,;:!?])(?=\w)", r"\1 ", text)
    text = re.sub(r" *\n *", "\n", text).strip()
    # Sentences start with a capital, also when their first word was an abbreviation or a number.
    return re.sub(r"(^|[.!?]\s+)(\w)", lambda m: m[1] + m[2].upper(), text)
