"""GS1 identifiers and Digital Link URIs: GTIN check digits, GIAI (AI 8004), parsing of resolver paths."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

# GS1 General Specifications, figure 7.11-1: the 82 characters allowed in alphanumeric AIs.
CSET82 = re.compile(r"^[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$")
SUPPORTED_KEYS = {"01": "gtin", "8004": "giai"}
QUALIFIERS = {"10": "lot", "21": "serial"}


class MalformedLink(ValueError):
    """A Digital Link path that breaks the syntax: the resolver answers 400 with this reason."""


def gtin_check_digit(body: str) -> int:
    total = sum(int(digit) * (3 if index % 2 == 0 else 1) for index, digit in enumerate(reversed(body)))
    return (10 - total % 10) % 10


def normalise_gtin(value: str) -> str:
    """GTIN-8/12/13/14 as 14 digits; MalformedLink if it is not digits or the check digit is wrong."""
    if not value.isdigit() or len(value) not in (8, 12, 13, 14):
        raise MalformedLink(_("A GTIN has 8, 12, 13 or 14 digits."))
    if gtin_check_digit(value[:-1]) != int(value[-1]):
        raise MalformedLink(_("The GTIN's check digit is wrong."))
    return value.zfill(14)


def with_check_digit(body: str) -> str:
    return body + str(gtin_check_digit(body))


def validate_giai(value: str) -> str:
    if not 1 <= len(value) <= 30 or not CSET82.match(value):
        raise MalformedLink(_("A GIAI has 1 to 30 characters of the GS1 character set."))
    if not value[:6].isdigit():
        raise MalformedLink(_("A GIAI starts with a GS1 company prefix (digits)."))
    return value


@dataclass(frozen=True)
class DigitalLink:
    key: str  # "gtin" or "giai"
    value: str
    lot: str = ""


def parse_path(path: str) -> DigitalLink:
    """`01/<gtin>/10/<lot>` or `8004/<giai>` (no leading slash) → DigitalLink, else MalformedLink."""
    parts = path.strip("/").split("/")
    if len(parts) % 2:
        raise MalformedLink(_("A Digital Link path is made of application identifier and value pairs."))
    ai, value = parts[0], parts[1]
    if ai not in SUPPORTED_KEYS:
        raise MalformedLink(_("“%(ai)s” is not a primary key this resolver knows (01 GTIN, 8004 GIAI).") % {"ai": ai})
    pairs = dict(zip(parts[2::2], parts[3::2], strict=True))
    unknown = [qualifier for qualifier in pairs if qualifier not in QUALIFIERS]
    if unknown:
        raise MalformedLink(_("“%(ai)s” is not a key qualifier allowed here.") % {"ai": unknown[0]})
    if ai == "8004":
        if pairs:
            raise MalformedLink(_("A GIAI takes no key qualifier."))
        return DigitalLink("giai", validate_giai(value))
    lot = pairs.get("10", "")
    if lot and (len(lot) > 20 or not CSET82.match(lot)):
        raise MalformedLink(_("A lot has 1 to 20 characters of the GS1 character set."))
    return DigitalLink("gtin", normalise_gtin(value), lot)


def company_prefix() -> str:
    return settings.TRACE_GS1_COMPANY_PREFIX


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def tree_giai(tree) -> str:
    # Company prefix + "T" + the tree's id: unique within the prefix, never reused.
    return f"{company_prefix()}T{tree.pk}"


def tree_link(tree) -> str:
    if company_prefix():
        return f"{site_url()}/8004/{tree_giai(tree)}"
    return f"{site_url()}/t/{tree.short_code}"


def batch_link(batch) -> str:
    if company_prefix():
        return f"{site_url()}/01/{batch.product.gtin}/10/{batch.lot}"
    return f"{site_url()}/t/{batch.short_code}"
