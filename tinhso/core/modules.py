"""Discovery of what the domain modules (plans, teams, radio...) plug into the platform.

A module `tinhso.<name>` may provide:
    urls.py        `urlpatterns` for its pages, mounted at /<name>/ (namespace = app label)
    api/urls.py    `register(router)` adding its viewsets to /api/v1/, returning extra paths
                   (the foundation apps accounts and units register theirs the same way)
    public_urls.py `urlpatterns` mounted at the site's root, for addresses fixed by a standard
                   (e.g. GS1 Digital Link paths /01/..., /.well-known/...); namespace <label>_public
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

FOUNDATION = {"core", "accounts", "units"}


def domain_apps():
    return [
        config
        for config in apps.get_app_configs()
        if config.name.startswith("tinhso.") and config.label not in FOUNDATION
    ]


def _exists(module: str) -> bool:
    try:
        return find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def tinhso_apps():
    """Every app of tinhso but core, in INSTALLED_APPS order (foundation first)."""
    return [config for config in apps.get_app_configs() if config.name.startswith("tinhso.") and config.label != "core"]


def module_api_registrations():
    for config in tinhso_apps():
        if _exists(f"{config.name}.api.urls"):
            yield import_module(f"{config.name}.api.urls").register


def module_page_urls():
    for config in domain_apps():
        if _exists(f"{config.name}.urls"):
            yield config.label, f"{config.name}.urls"


def module_root_urls():
    for config in domain_apps():
        if _exists(f"{config.name}.public_urls"):
            yield config.label, f"{config.name}.public_urls"
