"""Following administrative units across reorganisations (mergers, splits, the 2025 reform)."""

import datetime
import hashlib
from collections import defaultdict

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

TREE_VERSION_KEY = "units:tree-version"


def tree_version() -> int:
    return int(cache.get_or_set(TREE_VERSION_KEY, 1, None) or 1)


def bump_tree_version() -> None:
    try:
        cache.incr(TREE_VERSION_KEY)
    except ValueError:
        cache.set(TREE_VERSION_KEY, 2, None)


def succession_graph() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(predecessor paths of each successor path, successor paths of each predecessor path), cached."""
    from .models import UnitSuccession

    key = f"units:succession-graph:{tree_version()}"
    graph = cache.get(key)
    if graph is None:
        before, after = defaultdict(list), defaultdict(list)
        for predecessor, successor in UnitSuccession.objects.values_list("predecessor__path", "successor__path"):
            before[successor].append(predecessor)
            after[predecessor].append(successor)
        graph = (dict(before), dict(after))
        cache.set(key, graph, 60 * 60)
    return graph


def extend_across_reorganisations(subtrees: set[str], exact: set[str]) -> tuple[set[str], set[str]]:
    """Add units whose whole territory is already covered: all predecessors, or all successors."""
    digest = hashlib.sha1(repr((sorted(subtrees), sorted(exact))).encode()).hexdigest()
    key = f"units:extended:{tree_version()}:{digest}"
    result = cache.get(key)
    if result is None:
        result = _extend(set(subtrees), set(exact))
        cache.set(key, result, 60 * 60)
    return result


def _prefixes(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: index + 1]) + "/" for index in range(len(parts))]


def _extend(subtrees: set[str], exact: set[str]) -> tuple[set[str], set[str]]:
    predecessors_of, successors_of = succession_graph()

    def in_subtree(path: str) -> bool:
        return any(prefix in subtrees for prefix in _prefixes(path))

    def covered(path: str) -> bool:
        return path in exact or in_subtree(path)

    changed = True
    while changed:
        changed = False
        for neighbours in (predecessors_of, successors_of):
            for path, others in neighbours.items():
                if not covered(path) and all(covered(other) for other in others):
                    (subtrees if all(in_subtree(other) for other in others) else exact).add(path)
                    changed = True
    return subtrees, exact


def follow(unit_id: int, day: datetime.date, version_of, successors_of, predecessors_of) -> int | None:
    """The one rule for "which unit stands for `unit_id` on `day`" (used by the snapshot and below).

    A unit valid on the day stands for itself. Otherwise follow its first succession link (primary
    links first, then the oldest): forward to a successor when the day is after it ended, backward to
    a predecessor when the day is before it began, until a unit valid on the day is reached; None when
    the chain ends or loops. `version_of(id)` gives an object with `valid_to` and `is_valid_on(day)`;
    `successors_of(id)` / `predecessors_of(id)` give linked ids in that order (or None).
    """
    seen: set[int] = set()
    current: int | None = unit_id
    while current is not None and current not in seen:
        unit = version_of(current)
        if unit.is_valid_on(day):
            return current
        seen.add(current)
        later = unit.valid_to is not None and day > unit.valid_to
        following = (successors_of if later else predecessors_of)(current)
        current = following[0] if following else None
    return None


def primary_successor(unit):
    """The successor marked primary on `unit`'s first link (primary first, then the oldest), or None.

    What a role follows when its unit ends (tinhso.accounts.continuity); figures and teams follow
    `representative_on` / the snapshot, which also take a non-primary link when it is the only one."""
    from .models import UnitSuccession

    link = (
        UnitSuccession.objects.filter(predecessor=unit)
        .select_related("successor")
        .order_by("-is_primary", "pk")
        .first()
    )
    return link.successor if link is not None and link.is_primary else None


def representative_on(unit, day: datetime.date):
    """The unit that stands for `unit` in the tree valid on `day` (`follow`'s rule, read row by row;
    `tinhso.units.snapshot` answers the same for every unit at once)."""
    from .models import Unit, UnitSuccession

    if unit is None or unit.is_valid_on(day):
        return unit
    loaded = {unit.pk: unit}

    def version_of(pk: int):
        if pk not in loaded:
            loaded[pk] = Unit.objects.get(pk=pk)
        return loaded[pk]

    def linked(field: str, other: str):
        return lambda pk: list(
            UnitSuccession.objects.filter(**{field: pk}).order_by("-is_primary", "pk").values_list(other, flat=True)[:1]
        )

    found = follow(
        unit.pk, day, version_of, linked("predecessor_id", "successor_id"), linked("successor_id", "predecessor_id")
    )
    return version_of(found) if found is not None else None


@receiver(post_save, sender="units.Unit")
@receiver(post_delete, sender="units.Unit")
@receiver(post_save, sender="units.UnitSuccession")
@receiver(post_delete, sender="units.UnitSuccession")
def _tree_changed(sender, **kwargs):
    bump_tree_version()
