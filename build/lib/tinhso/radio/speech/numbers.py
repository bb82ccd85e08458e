"""Vietnamese readings of numbers, digits, ordinals and Roman numerals.

Northern conventions by default ("linh", "nghìn"); the southern voice may ask for "lẻ", "ngàn".
The irregular forms are the whole difficulty: "mốt" (21), "tư" (24), "lăm" (15, 25), "mười" (10..19).
"""

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu", "tỷ")
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def read_digits(digits: str) -> str:
    """Digit by digit, as phone numbers and codes are read: 113 -> một một ba."""
    return " ".join(DIGITS[int(digit)] for digit in digits if digit.isdigit())


def _tens_and_units(tens: int, units: int) -> list[str]:
    if tens == 0:
        return [DIGITS[units]] if units else []
    words = ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if units == 1 and tens > 1:
        words.append("mốt")
    elif units == 4 and tens > 1:
        words.append("tư")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _hundreds(value: int, *, leading: bool, southern: bool) -> list[str]:
    """One group of three digits. A group after a bigger one says its zero hundreds: 2.024."""
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or not leading:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0 and units and words:
        words += ["lẻ" if southern else "linh", DIGITS[units]]
    else:
        words += _tens_and_units(tens, units)
    return words


def read_number(value: int, *, southern: bool = False) -> str:
    """An integer in words: 1356 -> một nghìn ba trăm năm mươi sáu; 2024 -> ... không trăm hai mươi tư."""
    if value < 0:
        return "âm " + read_number(-value, southern=southern)
    if value == 0:
        return DIGITS[0]
    if value >= 10**12:
        billions, rest = divmod(value, 10**9)
        head = read_number(billions, southern=southern) + " tỷ"
        return head + (" " + _below_billion(rest, leading=False, southern=southern) if rest else "")
    return _below_billion(value, leading=True, southern=southern)


def _below_billion(value: int, *, leading: bool, southern: bool) -> str:
    groups = []
    while value:
        value, group = divmod(value, 1000)
        groups.append(group)
    scales = ("", "ngàn" if southern else "nghìn", "triệu", "tỷ")
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if not group:
            continue  # 1.000.500: "một triệu năm trăm", the empty thousands are not said
        is_first = leading and not words
        words += _hundreds(group, leading=is_first, southern=southern)
        if scales[index]:
            words.append(scales[index])
    return " ".join(words)


def read_decimal(integer: str, fraction: str, *, southern: bool = False) -> str:
    """98,8 -> chín mươi tám phẩy tám. A fraction with a leading zero or over 3 digits goes digit by digit."""
    head = read_number(int(integer), southern=southern)
    if fraction.startswith("0") or len(fraction) > 3:
        tail = read_digits(fraction)
    else:
        tail = read_number(int(fraction), southern=southern)
    return f"{head} phẩy {tail}"


def read_ordinal(value: int, *, southern: bool = False) -> str:
    """thứ 1 -> thứ nhất, thứ 4 -> thứ tư; above that ordinals are plain numbers."""
    if value == 1:
        return "nhất"
    if value == 4:
        return "tư"
    return read_number(value, southern=southern)


def read_month(value: int) -> str:
    """Months: tháng tư, never tháng bốn."""
    return "tư" if value == 4 else read_number(value)


def roman_value(numeral: str) -> int | None:
    """XIX -> 19; None for anything that is not a well-formed Roman numeral up to 3999."""
    if not numeral or any(letter not in ROMAN for letter in numeral):
        return None
    total = 0
    for letter, following in zip(numeral, numeral[1:] + " ", strict=True):
        value = ROMAN[letter]
        total += -value if following in ROMAN and ROMAN[following] > value else value
    if not 0 < total < 4000 or to_roman(total) != numeral:
        return None
    return total


def to_roman(value: int) -> str:
    parts = []
    for number, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        count, value = divmod(value, number)
        parts.append(letters * count)
    return "".join(parts)
