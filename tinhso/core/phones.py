"""Vietnamese phone numbers, read once for the whole platform (accounts stores them, senders dial them)."""

import phonenumbers

PHONE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


def parse_phone(raw: str | None) -> phonenumbers.PhoneNumber | None:
    """A Vietnamese number in any common spelling, or None when it is not one in service today."""
    if not raw or not any(ch.isdigit() for ch in raw):
        return None
    try:
        number = phonenumbers.parse(raw.strip(), "VN")
    except phonenumbers.NumberParseException:
        return None
    valid = number.country_code == 84 and phonenumbers.is_valid_number(number)
    return number if valid and phonenumbers.number_type(number) in PHONE_TYPES else None


def e164(raw: str | None) -> str:
    """'0912 345 678' → '+84912345678'; "" when there is no number in service."""
    number = parse_phone(raw)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if number else ""
