from django import template

register = template.Library()


@register.filter
def item(sequence, index):
    """sequence[index], or None when there is no such item (matching answers not given yet)."""
    try:
        return sequence[index]
    except (IndexError, KeyError, TypeError):
        return None
