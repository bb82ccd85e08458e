"""Figures for the cooperative and the commune: trees by garden and age class, harvests by month, scans.

Scans are day counters per tree or batch: nothing is kept about who scanned."""

from django.db.models import Case, CharField, Count, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .choices import EventKind
from .models import Event, ScanCount, Tree
from .public import flush_scans

AGE_CLASSES = [(300, "300+"), (200, "200–299"), (150, "150–199"), (100, "100–149"), (0, "< 100")]


def age_class():
    return Case(
        *[When(estimated_age__gte=low, then=Value(label)) for low, label in AGE_CLASSES],
        default=Value("?"),
        output_field=CharField(),
    )


def for_user(user) -> dict:
    flush_scans(timezone.localdate())
    trees = Tree.objects.restrict(user, "view")
    harvests = Event.objects.restrict(user, "view").filter(kind=EventKind.HARVEST)
    scans = ScanCount.objects.filter(tree__in=trees)
    return {
        "tree_total": trees.count(),
        "by_garden": trees.values("garden__name", "garden__producer__name")
        .annotate(count=Count("id"))
        .order_by("garden__name"),
        "by_age": trees.annotate(age_class=age_class())
        .values("age_class")
        .annotate(count=Count("id"))
        .order_by("-age_class"),
        "harvest_by_month": harvests.annotate(month=TruncMonth("event_time"))
        .values("month")
        .annotate(kg=Sum("quantity_kg"), count=Count("id"))
        .order_by("month"),
        "scans_by_day": scans.values("day").annotate(count=Sum("count")).order_by("-day")[:14],
        "top_trees": scans.values("tree__number").annotate(count=Sum("count")).order_by("-count")[:10],
    }
