"""normalize(): government and commune-radio text -> the words an announcer would say.

Each rule is a regular expression and a function that returns Vietnamese words. The rules run in a
fixed order, from the most specific (a commune's own dictionary, web addresses, document codes,
dates) to the most general (plain numbers, abbreviations, and finally any Latin-script word left,
which is rewritten so that espeak-ng's Vietnamese voice never switches to English).
"""

import re
import unicodedata
from collections.abc import Callable, Mapping

from . import numbers, words
from .syllables import is_syllable, segment

Rule = tuple[re.Pattern, Callable[[re.Match], str]]

NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
NUMBER = re.compile(rf"(?<![\w.,])(?:{NUM})(?![\w]|[.,]\d)")
PLACEHOLDER_BASE = 0xF0000  # Supplementary Private Use Area A: room for any number of dictionary hits
PLACEHOLDER = re.compile("[\U000f0000-\U000ffffd]")
SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
DATE_CUES = (
    r"ngày|hôm|sáng|trưa|chiều|tối|đêm|khuya|từ|đến|tới|trước|sau|hết|hạn|mùng|mồng|nay|thứ \w+,|nhật,|"
    r"quốc khánh|tháng \w+\s+và|tháng \w+\s*,"
)
# A short number is a phone line only near one of these words: "gọi ngay 115", not "115 hộ".
PHONE_CUES = re.compile(
    r"(?:\b(?:gọi|tổng đài|đường dây nóng|hotline|điện thoại|SĐT|ĐT|liên hệ|nhắn tin)\b(?:\s+\S+){0,5}|\bsố)\s*$",
    re.IGNORECASE,
)
ROMAN_CUES = (
    r"khóa|khoá|đại hội|kỳ họp|thế kỷ|quân khu|vùng|quý|phần|chương|mục|giai đoạn|lần thứ|loại|hạng|cấp độ|cấp|"
    r"khu vực|nhóm|tiểu khu|đợt|báo động"
)


class Reader:
    """Number readings in one dialect: northern 'linh, nghìn' or southern 'lẻ, ngàn'."""

    def __init__(self, southern: bool = False):
        self.southern = southern

    def number(self, text: str) -> str:
        text = text.strip()
        if len(text) > 18:
            return numbers.read_digits(text)  # no amount is that long: an identifier, read digit by digit
        if "," in text:
            integer, fraction = text.split(",", 1)
            return numbers.read_decimal(integer.replace(".", ""), fraction, southern=self.southern)
        digits = text.replace(".", "")
        if digits.startswith("0") and len(digits) > 2:
            return numbers.read_digits(digits)  # 007, 0216: codes, not quantities
        return numbers.read_number(int(digits), southern=self.southern)


def normalize(text: str, lexicon: Mapping[str, str] | None = None, *, southern: bool = False) -> str:
    """The reading of `text` for espeak-ng's Vietnamese voice; see docs/radio-speech.md for the rules."""
    reader = Reader(southern)
    text = _prepare(text)
    readings: list[str] = []
    if lexicon:
        text = _apply_dictionary(text, lexicon, readings)
    for pattern, replace in _rules(reader):
        text = pattern.sub(replace, text)
    text = PLACEHOLDER.sub(lambda m: readings[ord(m[0]) - PLACEHOLDER_BASE], text)
    return _tidy(text)


def _prepare(text: str) -> str:
    text = PLACEHOLDER.sub(" ", unicodedata.normalize("NFC", text))
    text = text.replace("\u2010", "-").replace("\u2011", "-").replace("\u2212", "-")
    text = re.sub(r"[“”„\"«»‘’`´]", " ", text)
    text = SPACES.sub(" ", text)
    # A spaced dash between words is a pause ("Giám đốc Sở - ông Hà"); between numbers it is a range.
    return re.sub(r"\s[-–—]\s(?!\d)|(?<=[^\W\d_])[–—](?=[^\W\d_])", ", ", text)


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


def _rules(reader: Reader) -> list[Rule]:
    from . import rules

    return rules.build(reader)


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


def spell(token: str, reader: Reader) -> str:
    """Letters the Vietnamese way, digit runs as numbers: H5N1 -> hát năm nờ một."""
    parts = []
    for run in re.findall(r"\d+|[^\W\d_]+", token):
        if run.isdigit():
            parts.append(reader.number(run))
        else:
            parts.extend(_letter_names(run))
    return " ".join(parts)


def _letter_names(run: str) -> list[str]:
    names = []
    for letter in run:
        base = unicodedata.normalize("NFD", letter.lower())
        key = letter.lower() if letter.lower() in words.LETTERS else base[0]
        names.append(words.LETTERS.get(key, key))
    return names


def read_word(token: str, reader: Reader) -> str:
    """A Latin-script token left after the rules: Vietnamese stays, anything else is made sayable."""
    if token.isdigit():
        return reader.number(token)
    if is_syllable(token) and not (token.isascii() and token.isupper() and len(token) > 1):
        return token
    known = words.FOREIGN_WORDS.get(token.lower())
    if known is not None:
        return known
    if re.search(r"[ắặ]k$|[ắặấậéẹếệóọốộớợúụứựíị]k$", token.lower()):
        return token[:-1] + "c"  # Đắk Lắk: highland names write the final c as k
    if token.isascii() and token.isupper() and len(token) <= 4:
        return spell(token, reader)  # AM, FM: letters, even where they look like a syllable
    if any(character.isdigit() for character in token):
        return " ".join(read_word(run, reader) for run in re.findall(r"\d+|[^\W\d_]+", token))
    if token.isascii() and token.isalpha() and not token.isupper():
        syllables = segment(token)  # yenbai, YenBai: a name written without diacritics
        if syllables:
            return " ".join(syllables)
    return spell(token, reader)
