from django import template
from django.utils.formats import get_format

from tinhso.core import qr

register = template.Library()


@register.filter
def item(sequence, index):
    """sequence[index], or None when there is no such item (matching answers not given yet)."""
    try:
        return sequence[index]
    except (IndexError, KeyError, TypeError):
        return None


@register.filter
def number_answer(value):
    """A saved numeric answer as a participant types it and the form reads it back: no thousands separator
    (Vietnamese "1.356,0" would come back as no number at all and block the submission), the decimal comma."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "" if value is None else value
    text = f"{value:.15g}"
    return text if "e" in text else text.replace(".", get_format("DECIMAL_SEPARATOR"))


@register.filter
def qr_svg(url: str):
    """The QR code of a link as inline SVG (segno) that scales to its box, for an organiser to print or project."""
    return qr.qr_svg(url, fit=True, title=str(url))
