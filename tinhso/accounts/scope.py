"""Which administrative units a user may act on, for one permission: the one place of scoping.

Internals of accounts. Other modules ask through `Model.objects.restrict(user, permission, path=...)`
(this module's RoleScopeBackend, registered with core at start-up) and `tinhso.accounts.access`
(`unit_scope` for in-memory trees, `home_unit`); a test keeps them from importing this module.

A role held on a unit covers that unit, and its whole subtree when the assignment includes
descendants. Across a reorganisation, coverage follows succession links: a unit whose every
predecessor is covered is covered too (the same territory), and likewise backwards. That is
how a commune officer keeps seeing the villages of the commune after the 2025 reform.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from tinhso.units.succession import extend_across_reorganisations

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
    """Roles held are extended across reorganisations (same territory); a role that continues an ended one
    on the unit's successor (tinhso.accounts.continuity) adds its unit only, so the territory the successor
    absorbed from elsewhere stays out of reach before the reorganisation day."""
    subtrees: set[str] = set()
    exact: set[str] = set()
    continued_subtrees: set[str] = set()
    continued_exact: set[str] = set()
    for assignment in _assignments(user):
        if role_grants(assignment.role, permission):
            if assignment.continues_id is None:
                (subtrees if assignment.include_descendants else exact).add(assignment.unit.path)
            else:
                (continued_subtrees if assignment.include_descendants else continued_exact).add(assignment.unit.path)
    if not subtrees and not exact and not continued_subtrees and not continued_exact:
        return NOTHING
    if subtrees or exact:
        subtrees, exact = extend_across_reorganisations(subtrees, exact)
    subtrees, exact = set(subtrees) | continued_subtrees, set(exact) | continued_exact
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


def restrict_queryset(queryset, user, permission: str, path: str, distinct: bool = False):
    """Rows of `queryset` whose unit path (reached by the ORM lookup `path`) the user's roles cover for `permission`."""
    scope = user_scope(user, permission)
    if scope.everything:
        return queryset
    if scope.is_empty:
        return queryset.none()
    restricted = queryset.filter(scope.as_q(path))
    return restricted.distinct() if distinct else restricted


class RoleScopeBackend:
    """What core's RestrictedQuerySet.restrict() calls (registered in AccountsConfig.ready())."""

    def restrict(self, queryset, user, permission: str, path: str, distinct: bool):
        return restrict_queryset(queryset, user, permission, path, distinct)
