from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .registry import menu


def platform(request):
    user = getattr(request, "user", None)
    return {
        "main_menu": menu.for_user(user) if user is not None else [],
        "site_url": settings.SITE_URL,
        "as_of": getattr(request, "as_of", None),
        "unread_notifications": SimpleLazyObject(lambda: _unread(user)),
    }


def _unread(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    from .notifications import unread_count

    return unread_count(user)
