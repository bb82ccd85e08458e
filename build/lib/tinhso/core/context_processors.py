from django.conf import settings

from .registry import menu


def platform(request):
    user = getattr(request, "user", None)
    return {
        "main_menu": menu.for_user(user) if user is not None else [],
        "site_url": settings.SITE_URL,
        "as_of": getattr(request, "as_of", None),
    }
