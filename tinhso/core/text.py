import unicodedata

# The longest text a search looks for: what a person types. SQLite refuses LIKE patterns over 50 KB, and a
# search of 100 KB is a crafted request, not a question.
LONGEST_SEARCH = 200


def search_words(text: str | None) -> str:
    """What a search box sent, stripped and cut to LONGEST_SEARCH characters, without NUL bytes (which
    PostgreSQL refuses in any text it is given)."""
    return (text or "").replace("\x00", "").strip()[:LONGEST_SEARCH]


def fold(text: str) -> str:
    """Lower-case text without Vietnamese marks, for search that forgives missing accents.

    'Xã Xuân Ái' → 'xa xuan ai'; 'Đồng' → 'dong'.
    """
    return " ".join(without_marks(text).lower().split())


def without_marks(text: str | None) -> str:
    """Vietnamese text without its marks, case kept: 'Biên bản Đồng' → 'Bien ban Dong'."""
    decomposed = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def short_date(day) -> str:
    """27/3/2024 — the way Vietnamese documents write a date."""
    return f"{day.day}/{day.month}/{day.year}"


# Characters that change how text looks or reads without being seen: zero-width spaces and joiners, the
# direction overrides and isolates (U+202A–U+202E, U+2066–U+2069), marks, soft hyphen, BOM — Unicode's
# "format" category — and control characters. "Khe Dứa" with a zero-width space is a second village that
# looks like the first. A line break or tab stays allowed in multi-line text.
_REFUSED_CATEGORIES = {"Cf", "Cc", "Cs"}
_LINE_BREAKS = {"\n", "\r", "\t"}


# What a decoder puts where bytes were not UTF-8 (Django decodes a form body that way): stored, it would keep
# "H��p" for "Họp" for good. No keyboard types it.
REPLACEMENT = "\ufffd"


def refused_characters(text: str, *, multiline: bool = False) -> list[str]:
    """The invisible or direction-control characters of `text`, as U+XXXX codes (none: an empty list)."""
    allowed = _LINE_BREAKS if multiline else set()
    found = {ch for ch in text if unicodedata.category(ch) in _REFUSED_CATEGORIES and ch not in allowed}
    return sorted(f"U+{ord(ch):04X}" for ch in found)


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Text as stored: Unicode NFC (one code point for “ứ”, however the keyboard sent it); ValidationError
    naming the characters when it holds invisible or direction-control ones."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if REPLACEMENT in text:
        raise ValidationError(
            _(
                "The text holds characters that could not be read (U+FFFD): it was not sent as UTF-8. "
                "Please type it again."
            ),
            code="unreadable_characters",
        )
    refused = refused_characters(text, multiline=multiline)
    if refused:
        raise ValidationError(
            _("The text contains invisible or text-direction characters (%(codes)s); please type it again.")
            % {"codes": ", ".join(refused)},
            code="invisible_characters",
        )
    return unicodedata.normalize("NFC", text)
