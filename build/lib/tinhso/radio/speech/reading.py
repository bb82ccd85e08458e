"""How single things are read: numbers in a dialect, letters, and any Latin-script word left after the
rules (Vietnamese syllables stay; foreign words and unknown abbreviations are made sayable)."""

import re
import unicodedata

from . import numbers, words
from .syllables import is_syllable, segment

NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
NUMBER = re.compile(rf"(?<![\w.,])(?:{NUM})(?![\w]|[.,]\d)")
DATE_CUES = (
    r"ngày|hôm|sáng|trưa|chiều|tối|đêm|khuya|từ|đến|tới|trước|sau|hết|hạn|mùng|mồng|nay|thứ \w+,|nhật,|"
    r"quốc khánh|lễ|dịp|kỷ niệm|tháng \w+\s+và|tháng \w+\s*,"
)
# A short number is a phone line only near one of these words: "gọi ngay 115", not "115 hộ".
PHONE_CUES = re.compile(
    r"\b(?:gọi|tổng đài|đường dây nóng|hotline|điện thoại|SĐT|ĐT|liên hệ|nhắn tin)\b(?:\s+\S+){0,5}\s*$",
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
    """Vietnamese names of the letters; a foreign accent is dropped (ñ is n), a letter with no name (æ) too."""
    names = []
    for letter in run:
        base = unicodedata.normalize("NFD", letter.lower())
        key = letter.lower() if letter.lower() in words.LETTERS else base[0]
        if key in words.LETTERS:
            names.append(words.LETTERS[key])
    return names


def read_word(token: str, reader: Reader, *, in_capitals: bool = False) -> str:
    """A Latin-script token left after the rules: Vietnamese stays, anything else is made sayable.

    An all-caps ASCII syllable (AM, TIN) is spelled unless it stands among other capitals, as in a
    headline: "TIN BÃO KHẨN" is words, "sóng AM và FM" is letters."""
    if token.isdigit():
        return reader.number(token)
    looks_abbreviated = token.isascii() and token.isupper() and len(token) > 1 and not in_capitals
    if is_syllable(token) and not looks_abbreviated:
        return token
    known = words.FOREIGN_WORDS.get(token.lower())
    if known is not None:
        return known
    if re.search(r"[ắặ]k$|[ắặấậéẹếệóọốộớợúụứựíị]k$", token.lower()):
        return token[:-1] + "c"  # Đắk Lắk: highland names write the final c as k
    if looks_abbreviated and len(token) <= 4:
        return spell(token, reader)  # AM, FM: letters, even where they look like a syllable
    if any(character.isdigit() for character in token):
        return " ".join(read_word(run, reader) for run in re.findall(r"\d+|[^\W\d_]+", token))
    if token.isascii() and token.isalpha() and not token.isupper():
        syllables = segment(token)  # yenbai, YenBai: a name written without diacritics
        if syllables:
            return " ".join(syllables)
    return spell(token, reader)


def foreign_words(text: str) -> list[str]:
    """The words of `text` that are not Vietnamese syllables: for checking a commune's dictionary reading,
    which is spoken as written (a foreign word in it could make espeak-ng switch language)."""
    return [word for word in re.findall(r"[^\W\d_]+", text) if not is_syllable(word)]
