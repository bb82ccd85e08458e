"""The seam between the ground floor and the scope rules.

core knows no app of tinhso: it asks "which of these rows may this user act on, for this permission"
through the one scope backend that accounts registers at start-up (`AccountsConfig.ready()`), the way
the domains register their API URLs. Modules never call the backend: they use
`Model.objects.restrict(user, permission_or_action, path=...)`.
"""

from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

ACTIONS = ("view", "add", "change", "delete")


class ScopeBackend(Protocol):
    def restrict(self, queryset, user, permission: str, path: str, distinct: bool): ...


_backend: ScopeBackend | None = None


def register_scope_backend(backend: ScopeBackend) -> None:
    global _backend
    _backend = backend


def scope_backend() -> ScopeBackend:
    if _backend is None:
        raise ImproperlyConfigured("No scope backend registered: is tinhso.accounts in INSTALLED_APPS?")
    return _backend


def permission_name(model, action: str) -> str:
    """'view' on plans.Report is 'plans.view_report'."""
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def resolve_permission(model, permission_or_action: str) -> str:
    """An action ("view", "add", "change", "delete", or any custom action of the model) or a full name."""
    if "." in permission_or_action:
        return permission_or_action
    return permission_name(model, permission_or_action)
