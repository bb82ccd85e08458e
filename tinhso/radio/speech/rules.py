"""The ordered rules of the normaliser. Each returns Vietnamese words (with spaces around them so
that neighbouring rules never glue onto them)."""

import re
from collections.abc import Callable
from functools import lru_cache

from . import numbers, words
from .reading import DATE_CUES, NUM, NUMBER, PHONE_CUES, ROMAN_CUES, Reader, read_word

Rule = tuple[re.Pattern, Callable[[re.Match], str]]
LETTER = r"A-Za-zĐđÀ-ỹ"
HOST = r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:vn|com|net|org|gov|edu|info|int)\b"


@lru_cache(maxsize=2)
def build(southern: bool = False) -> list[Rule]:
    """The rules in the order they apply; earlier rules see the raw text, later ones its remains."""
    reader = Reader(southern)
    return [
        *_addresses(reader),
        _document_codes(reader),
        *_dotted_abbreviations(),
        *_dates(reader),
        *_times(reader),
        *_phones(reader),
        *_quantities(reader),
        *_ordinals_and_roman(reader),
        *_fractions(reader),
        (NUMBER, lambda m: f" {reader.number(m[0])} "),
        _version_numbers(reader),
        _abbreviations(),
        *_symbols(),
        (re.compile(rf"[{LETTER}0-9]+"), lambda m: read_word(m[0], reader, in_capitals=_among_capitals(m))),
    ]


def _among_capitals(match: re.Match) -> bool:
    """Is the word next to this one (before or after) also written in capitals, as in a headline?"""
    before = re.findall(r"[^\W\d_]+", match.string[max(0, match.start() - 30) : match.start()])
    after = re.findall(r"[^\W\d_]+", match.string[match.end() : match.end() + 30])
    neighbours = before[-1:] + after[:1]
    return any(len(word) > 1 and word.isupper() for word in neighbours)


# Web and e-mail addresses -------------------------------------------------------------------------


def _addresses(reader: Reader) -> list:
    email = re.compile(rf"\b([\w.+-]+)@({HOST})", re.IGNORECASE)
    url = re.compile(rf"(?:https?://)?(?:www\.)?({HOST})((?:/[\w.\-?=&%]*[\w])*)/?", re.IGNORECASE)
    return [
        (email, lambda m: f" {_address_part(m[1], reader)} a còng {_address_part(m[2], reader)} "),
        (url, lambda m: f" {_address(m, reader)} "),
    ]


def _address(match: re.Match, reader: Reader) -> str:
    reading = _address_part(match[1], reader)
    if match[0].lower().split("//")[-1].startswith("www."):
        reading = "vê kép vê kép vê kép chấm " + reading
    for piece in filter(None, match[2].split("/")):
        reading += " gạch chéo " + _address_part(piece, reader)
    return reading


def _address_part(text: str, reader: Reader) -> str:
    labels = re.split(r"([.\-_])", text)
    spoken = {".": "chấm", "-": "gạch ngang", "_": "gạch dưới"}
    return " ".join(spoken.get(label) or read_word(label.lower(), reader) for label in labels if label)


# Document codes: 80/KH-UBND, 51-NQ/TU, 30/2020/NĐ-CP ------------------------------------------------

CODE_PART = r"[A-ZĐ][A-Za-zĐđ]*"


def _document_codes(reader: Reader):
    pattern = re.compile(rf"(?<![\w/.,])(\d{{1,5}})(?:/(\d{{4}}))?[/-]({CODE_PART}(?:[-/&]{CODE_PART})*)(?![\w/])")

    def replace(match: re.Match) -> str:
        before = match.string[: match.start()].rstrip().lower()
        reading = "" if before.endswith("số") else "số "
        reading += reader.number(match[1])
        if match[2]:
            reading += ", năm " + reader.number(match[2])
        for position, part in enumerate(re.split(r"[-/&]", match[3])):
            kind = words.CODE_KINDS.get(part) if position == 0 else None
            reading += ", " + (kind or words.CODE_ISSUERS.get(part) or " ".join(_letter_names(part)))
        return f" {reading} "

    return pattern, replace


def _letter_names(text: str) -> list[str]:
    return [words.LETTERS.get(letter.lower(), letter.lower()) for letter in text]


def _dotted_abbreviations() -> list:
    keys = sorted(words.DOTTED, key=len, reverse=True)
    pattern = re.compile(rf"(?<![\w.])({'|'.join(re.escape(key) for key in keys)})(?=\s*[A-ZĐÀ-Ỹ0-9])")
    money = re.compile(r"(?<![\w.])tr\.đ(?!\w)")
    return [(money, lambda m: " triệu đồng "), (pattern, lambda m: f" {words.DOTTED[m[1]]} ")]


# Dates --------------------------------------------------------------------------------------------

DAY = r"(0?[1-9]|[12]\d|3[01])"
MONTH = r"(0?[1-9]|1[0-2])"
YEAR = r"(\d{4})"


def _dates(reader: Reader) -> list:
    def day_month(day: str, month: str) -> str:
        return f"{reader.number(day)} tháng {numbers.read_month(int(month))}"

    def year(text: str | None) -> str:
        return f" năm {reader.number(text)}" if text else ""

    full = rf"{DAY}[/.-]{MONTH}[/.-]{YEAR}"
    short_date = re.compile(rf"(?<![\w])((?:{DATE_CUES})\s+){DAY}/{MONTH}(?![\d/])", re.IGNORECASE)
    return [
        (  # 27/3-2/4/2024
            re.compile(rf"(?<![\d/]){DAY}/{MONTH}\s*[-–]\s*{DAY}/{MONTH}(?:/{YEAR})?(?![\d/])"),
            lambda m: f" {day_month(m[1], m[2])} đến {day_month(m[3], m[4])}{year(m[5])} ",
        ),
        (  # 27-30/3/2024
            re.compile(rf"(?<![\d/.,]){DAY}\s*[-–]\s*{DAY}/{MONTH}/{YEAR}(?![\d/])"),
            lambda m: f" {reader.number(m[1])} đến {day_month(m[2], m[3])}{year(m[4])} ",
        ),
        (
            re.compile(rf"(?<![\d/.,]){full}(?![\d/])"),
            lambda m: f" {day_month(m[1], m[2])}{year(m[3])} ",
        ),
        (  # quý I/2024, quý 1/2024
            re.compile(r"\b([Qq]uý) (I{1,3}|IV|[1-4])/(\d{4})\b"),
            lambda m: f" {m[1]} {_quarter(m[2], reader)} năm {reader.number(m[3])} ",
        ),
        (  # tháng 3/2024, 3/2024
            re.compile(rf"(?:\b([Tt]háng) )?(?<![\d/.,]){MONTH}/((?:19|20)\d\d)(?![\d/])"),
            lambda m: f" {m[1] or 'tháng'} {numbers.read_month(int(m[2]))} năm {reader.number(m[3])} ",
        ),
        (  # hai ngày 26 và 27/6
            re.compile(rf"\b((?:ngày|các ngày|hai ngày) ){DAY}( và |, ){DAY}/{MONTH}(?![\d/])", re.IGNORECASE),
            lambda m: f" {m[1]}{reader.number(m[2])}{m[3]}{day_month(m[4], m[5])} ",
        ),
        # ngày 27/3, từ 2/9: a day and month only after a word that announces a date; twice, so that
        # "ngày 1/6 và 2/6" finds its second date after the first one was read.
        *[(short_date, lambda m: f" {m[1]}{day_month(m[2], m[3])} ")] * 2,
        (
            re.compile(r"\b([Tt]háng) (0?[1-9]|1[0-2])\b(?![.,]\d)"),
            lambda m: f" {m[1]} {numbers.read_month(int(m[2]))} ",
        ),
    ]


def _quarter(text: str, reader: Reader) -> str:
    value = numbers.roman_value(text) or int(text)
    return reader.number(str(value))


# Times: 6h30, 06:00, 17h, 7h-9h -------------------------------------------------------------------

TIME = r"([01]?\d|2[0-4])(?:h|g|:)([0-5]\d)?(?![\w:])'?"


def _times(reader: Reader) -> list:
    def clock(hour: str, minute: str | None) -> str:
        spoken = f"{reader.number(str(int(hour)))} giờ"
        if minute and int(minute):
            spoken += f" {reader.number(str(int(minute)))} phút"
        return spoken

    def colon_or_h(match: re.Match, offset: int = 0) -> str:
        return clock(match[1 + offset], match[2 + offset])

    time = r"(?<![\w.,:])([01]?\d|2[0-4])(?:h|[g:](?=\d\d))([0-5]\d)?(?![\w:])"
    return [
        (
            re.compile(rf"{time}\s*[-–]\s*{time}"),
            lambda m: f" {clock(m[1], m[2])} đến {clock(m[3], m[4])} ",
        ),
        (re.compile(time), lambda m: f" {colon_or_h(m)} "),
    ]


# Phone numbers ------------------------------------------------------------------------------------


def _phones(reader: Reader) -> list:
    separated = re.compile(r"(?<![\w.,])(0\d{2,3})[ .-](\d{3,4})[ .-](\d{3,4})(?![\w]|[.,]\d)")
    joined = re.compile(r"(?<![\w.,])(0\d{9,10})(?![\w]|[.,]\d)")
    short = re.compile(r"(?<![\w.,])(11[1-5]|1022|1900 ?\d{4}|1800 ?\d{4})(?![\w]|[.,]\d)")

    def groups(*parts: str) -> str:
        return " " + ", ".join(numbers.read_digits(part) for part in parts) + " "

    def split_joined(match: re.Match) -> str:
        digits = match[1]
        return groups(digits[:4], digits[4:7], digits[7:])

    def hotline(match: re.Match) -> str:
        if not PHONE_CUES.search(match.string[max(0, match.start() - 40) : match.start()]):
            return match[0]  # 113 households, not the police line
        return groups(*match[1].split())

    international = re.compile(r"\+84[ .]?(\d{2,3})[ .]?(\d{3,4})[ .]?(\d{3,4})(?![\w]|[.,]\d)")
    return [
        (international, lambda m: " cộng tám tư," + groups(m[1], m[2], m[3])),
        (separated, lambda m: groups(m[1], m[2], m[3])),
        (joined, split_joined),
        (short, hotline),
    ]


# Quantities: numbers with units, percentages, money, ranges ---------------------------------------


def _quantities(reader: Reader) -> list:
    units = "|".join(re.escape(unit) for unit in sorted(words.UNITS, key=len, reverse=True))
    unit_after = rf"(?:\s?({units})(?![\w²³]))?"
    value = rf"(?<![\w.,/])(-?)({NUM})"

    def amount(sign: str, number: str) -> str:
        return ("âm " if sign else "") + reader.number(number)

    def with_unit(unit: str | None) -> str:
        return f" {words.UNITS[unit]}" if unit else ""

    per = "|".join(re.escape(word) for word in sorted(words.PER_WORDS, key=len, reverse=True))
    per_pattern = re.compile(rf"(?<=[\w%])\s?/\s?({per})(?![\w²])")
    chainage = re.compile(r"\b[Kk]m ?(\d+) ?\+ ?(\d+)\b")
    range_pattern = re.compile(rf"{value}{unit_after}\s*[-–]\s*({NUM}){unit_after}(?![\w]|[.,]\d)")
    single = re.compile(rf"{value}\s?({units})(?![\w²³])")
    money = re.compile(r"\b(tỷ|triệu|nghìn|ngàn|trăm) (đ|VNĐ|VND)(?!\w)")
    minus = re.compile(r"(?<![\w.,])-(\d)")
    return [
        (chainage, lambda m: f" ki lô mét {reader.number(m[1])} cộng {reader.number(m[2])} "),
        (
            range_pattern,
            lambda m: f" {amount(m[1], m[2])}{with_unit(m[3])} đến {reader.number(m[4])}{with_unit(m[5])} ",
        ),
        (single, lambda m: f" {amount(m[1], m[2])} {words.UNITS[m[3]]} "),
        (money, lambda m: f" {m[1]} đồng "),
        (minus, lambda m: f" âm {m[1]}"),
        (per_pattern, lambda m: f" một {words.UNITS.get(m[1], m[1])} "),
    ]


def _ordinals_and_roman(reader: Reader) -> list:
    ordinal = re.compile(r"\b([Tt]hứ) (\d{1,3})(?![\w/]|[.,]\d)")
    roman = re.compile(rf"\b((?:{ROMAN_CUES}) )([IVXLCDM]+)(?![\w/])", re.IGNORECASE)

    def roman_number(match: re.Match) -> str:
        value = numbers.roman_value(match[2])
        if value is None or match[2] != match[2].upper():
            return match[0]
        return f" {match[1]}{reader.number(str(value))} "

    return [
        (ordinal, lambda m: f" {m[1]} {numbers.read_ordinal(int(m[2]), southern=reader.southern)} "),
        (roman, roman_number),
    ]


def _fractions(reader: Reader) -> list:
    """160/173 xã, 4/9 huyện: what is left of number/number after dates is a ratio, unless it can only be a
    date (30/4: a ratio is not above one); thuê bao/100 dân."""
    pattern = re.compile(rf"(?<![\w.,/])({NUM})/({NUM})(?![\w/]|[.,]\d)")
    per = re.compile(r"(?<=[^\W\d_])/(?=\d)")

    def ratio_or_date(match: re.Match) -> str:
        first, second = match[1], match[2]
        if _only_a_date(first, second):
            return f" {reader.number(first)} tháng {numbers.read_month(int(second))} "
        return f" {reader.number(first)} trên {reader.number(second)} "

    return [
        (pattern, ratio_or_date),
        (per, lambda m: " trên "),
    ]


def _only_a_date(first: str, second: str) -> bool:
    """30/4, 19/5 cannot be ratios (a ratio is not above one); "24/7" is round the clock."""
    if not (first.isdigit() and second.isdigit()) or (first, second) == ("24", "7"):
        return False
    return 12 >= int(second) >= 1 and 31 >= int(first) > int(second)


def _version_numbers(reader: Reader):
    """4.0, 1.5: a dot not followed by a group of three digits is said 'chấm'."""
    pattern = re.compile(r"(?<![\w.,])(\d+)((?:\.\d+)+)(?![\w])")

    def replace(match: re.Match) -> str:
        parts = [match[1], *match[2].strip(".").split(".")]
        return " " + " chấm ".join(reader.number(part) for part in parts) + " "

    return pattern, replace


def _abbreviations():
    keys = sorted(words.ABBREVIATIONS, key=len, reverse=True)
    pattern = re.compile(rf"(?<![\w&])({'|'.join(re.escape(key) for key in keys)})(?![\w&])")
    return pattern, lambda m: f" {words.ABBREVIATIONS[m[1]]} "


SYMBOLS = {
    "&": "và",
    "%": "phần trăm",
    "+": "cộng",
    "=": "bằng",
    ">": "lớn hơn",
    "<": "nhỏ hơn",
    "≥": "lớn hơn hoặc bằng",
    "≤": "nhỏ hơn hoặc bằng",
    "~": "khoảng",
    "@": "a còng",
    "±": "cộng trừ",
}


def _symbols() -> list:
    return [
        (re.compile(r"[&%+=><≥≤~@±]"), lambda m: f" {SYMBOLS[m[0]]} "),
        (re.compile(r"/\s*(?=\d)"), lambda m: " trên "),
        (re.compile(r"[–—()\[\]{}/|•·*]"), lambda m: ", "),
        (re.compile(r"…|\.{2,}"), lambda m: ". "),
        (re.compile(r"[-_#'^]"), lambda m: " "),
    ]
