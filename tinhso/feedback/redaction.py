"""What the public pages may show of a citizen's text: phone numbers, ID numbers and e-mail addresses
are replaced before publication (a person often writes "gọi cho tôi 0912 345 678")."""

import re

from django.utils.translation import gettext as _

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
# A run of digits, possibly grouped by spaces, dots or dashes, optionally starting with +84.
DIGITS = re.compile(r"(?<![\w])(\+?84[\s.-]?|0)?\d(?:[\s.-]?\d){7,12}(?![\w])")


def _mask(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    # 8 to 13 digits: a phone (10, or 11 with 84), an ID card (9 or 12), a tax or insurance number...
    return _("[hidden]") if 8 <= len(digits) <= 13 else match.group(0)


def redact(text: str) -> str:
    text = EMAIL.sub(lambda _match: _("[hidden]"), text or "")
    return DIGITS.sub(_mask, text)
