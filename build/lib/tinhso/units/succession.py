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


def representative_on(unit, day: datetime.date):
    """The unit that stands for `unit` in the tree valid on `day` (following primary successions)."""
    seen = set()
    while unit is not None and not unit.is_valid_on(day) and unit.pk not in seen:
        seen.add(unit.pk)
        if day > (unit.valid_to or day):
            link = unit.successor_links.select_related("successor").order_by("-is_primary", "pk").first()
            unit = link.successor if link else None
        else:
            link = unit.predecessor_links.select_related("predecessor").order_by("-is_primary", "pk").first()
            unit = link.predecessor if link else None
    return unit


@receiver(post_save, sender="units.Unit")
@receiver(post_delete, sender="units.Unit")
@receiver(post_save, sender="units.UnitSuccession")
@receiver(post_delete, sender="units.UnitSuccession")
def _tree_changed(sender, **kwargs):
    bump_tree_version()
