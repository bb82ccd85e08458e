"""Subject kinds whose evaluations are personal (an official's KPI): scoring's own pages and API leave them
out entirely; the module that owns them shows them under its own, narrower, rule."""

from django.db.models import QuerySet

PRIVATE_SUBJECT_KINDS: set[str] = set()


def keep_private(subject_kind: str) -> None:
    PRIVATE_SUBJECT_KINDS.add(subject_kind)


def shared_only(queryset: QuerySet, lookup: str = "criteria_set__subject_kind") -> QuerySet:
    if not PRIVATE_SUBJECT_KINDS:
        return queryset
    return queryset.exclude(**{f"{lookup}__in": sorted(PRIVATE_SUBJECT_KINDS)})
