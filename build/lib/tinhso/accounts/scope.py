"""Which administrative units a user may act on, for one permission: the one place of scoping.

A role held on a unit covers that unit, and its whole subtree when the assignment includes
descendants. Across a reorganisation, coverage follows succession links: a unit whose every
predecessor is covered is covered too (the same territory), and likewise backwards. That is
how a commune officer keeps seeing the villages of the commune after the 2025 reform.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from .roles import role_grants


@dataclass(frozen=True)
class UnitScope:
    everything: bool = False
    subtrees: frozenset[str] = field(default_factory=frozenset)
    exact: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not self.everything and not self.subtrees and not self.exact

    def covers(self, path: str) -> bool:
        if self.everything:
            return True
        return path in self.exact or any(path.startswith(prefix) for prefix in self.subtrees)

    def as_q(self, lookup: str) -> Q:
        condition = Q(pk__in=[])
        for prefix in sorted(self.subtrees):
            condition |= Q(**{f"{lookup}__startswith": prefix})
        if self.exact:
            condition |= Q(**{f"{lookup}__in": sorted(self.exact)})
        return condition


EVERYTHING = UnitScope(everything=True)
NOTHING = UnitScope()


def _assignments(user) -> list:
    cached = getattr(user, "_role_assignments_cache", None)
    if cached is None:
        cached = list(user.role_assignments.select_related("unit"))
        user._role_assignments_cache = cached
    return cached


def forget_cached_scope(user) -> None:
    for name in ("_role_assignments_cache", "_scope_cache"):
        user.__dict__.pop(name, None)


def user_scope(user, permission: str) -> UnitScope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    cache = user.__dict__.setdefault("_scope_cache", {})
    if permission not in cache:
        cache[permission] = _compute_scope(user, permission)
    return cache[permission]


def _compute_scope(user, permission: str) -> UnitScope:
    from tinhso.units.succession import extend_across_reorganisations

    subtrees: set[str] = set()
    exact: set[str] = set()
    for assignment in _assignments(user):
        if role_grants(assignment.role, permission):
            (subtrees if assignment.include_descendants else exact).add(assignment.unit.path)
    if not subtrees and not exact:
        return NOTHING
    subtrees, exact = extend_across_reorganisations(subtrees, exact)
    return UnitScope(subtrees=frozenset(_outermost(subtrees)), exact=frozenset(exact))


def _outermost(prefixes: set[str]) -> set[str]:
    ordered = sorted(prefixes, key=len)
    kept: list[str] = []
    for prefix in ordered:
        if not any(prefix.startswith(outer) for outer in kept):
            kept.append(prefix)
    return set(kept)


def has_permission_somewhere(user, permission: str) -> bool:
    return not user_scope(user, permission).is_empty


def has_permission_on(user, permission: str, obj) -> bool:
    scope = user_scope(user, permission)
    if scope.everything:
        return True
    paths = obj.unit_paths() if hasattr(obj, "unit_paths") else []
    return any(scope.covers(path) for path in paths)


def permission_name(model, action: str) -> str:
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def restrict_queryset(queryset, user, action: str = "view"):
    model = queryset.model
    scope = user_scope(user, permission_name(model, action))
    if scope.everything:
        return queryset
    if scope.is_empty:
        return queryset.none()
    restricted = queryset.filter(scope.as_q(model.scope_path))
    return restricted.distinct() if getattr(model, "scope_distinct", False) else restricted
