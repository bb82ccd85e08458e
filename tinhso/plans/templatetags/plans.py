from django import template
from django.core.exceptions import ValidationError

from .. import charts, periods

register = template.Library()


@register.simple_tag
def trend_chart(figures):
    """An SVG chart of figures over periods (the values as published above each bar)."""
    return charts.bar_chart([(figure.period.code, figure.value, figure.display) for figure in figures])


@register.filter
def bar_width(figure, peak=None):
    if figure is None:
        return 0
    if figure.indicator.display_format in ("percent", "fraction"):
        return charts.share_width(figure.value)
    return charts.share_width(figure.value, peak)


@register.simple_tag
def peak_of(rows):
    values = [figure.value for _unit, figure in rows if figure.value is not None]
    return max(values) if values else None


@register.filter
def period_words(code):
    """A period as people say it (“Tháng 11/2024”, “Quý 1/2024”) instead of its code; an unreadable code as is."""
    try:
        return periods.parse(code).label()
    except ValidationError:
        return code
