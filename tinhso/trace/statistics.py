"""Figures for the cooperative and the commune: trees by garden and age class, harvests by month, scans,
and a map per commune of where the trees are.

Scans are day counters per tree or batch: nothing is kept about who scanned."""

from collections import Counter, defaultdict

from django.db.models import Case, CharField, Count, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tinhso.units.models import Unit
from tinhso.units.succession import representative_on

from .choices import EventKind
from .maps import Point, svg_plot
from .models import Event, ScanCount, Tree, rounded
from .public import flush_scans

MAP_DECIMALS = 3  # cells of about 110 m: gardens apart, a count per cell instead of 400 dots
MAP_LIMIT = 12  # communes drawn; a province-wide reader gets the tables for the rest

AGE_CLASSES = [(300, "300+"), (200, "200–299"), (150, "150–199"), (100, "100–149"), (0, "< 100")]


def age_class():
    return Case(
        *[When(estimated_age__gte=low, then=Value(label)) for low, label in AGE_CLASSES],
        default=Value("?"),
        output_field=CharField(),
    )


def for_user(user, producer=None) -> dict:
    """The user's communes, or one cooperative / household of them (`producer`, already checked)."""
    flush_scans(timezone.localdate())
    trees = Tree.objects.restrict(user, "view")
    harvests = Event.objects.restrict(user, "view").filter(kind=EventKind.HARVEST)
    if producer is not None:
        trees = trees.filter(garden__producer=producer)
        harvests = harvests.filter(tree__garden__producer=producer)
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
        "maps": commune_maps(trees),
    }


def commune_maps(trees) -> list[dict]:
    """One map per commune standing today (the trees of the old communes it took over drawn on it): its
    outline when imported, else the circle the registry checks; the trees as counted cells."""
    today = timezone.localdate()
    cells: dict[int, Counter] = defaultdict(Counter)
    for unit_id, latitude, longitude in trees.exclude(latitude=None).values_list("unit_id", "latitude", "longitude"):
        cells[unit_id][(rounded(latitude, MAP_DECIMALS), rounded(longitude, MAP_DECIMALS))] += 1
    communes: dict[int, tuple[Unit, list[Unit], Counter]] = {}
    for unit in Unit.objects.filter(pk__in=list(cells)).order_by("name"):
        standing = representative_on(unit, today) or unit
        communes.setdefault(standing.pk, (standing, [], Counter()))[1].append(unit)
        communes[standing.pk][2].update(cells[unit.pk])
    maps = []
    for commune, old_units, counted in list(communes.values())[:MAP_LIMIT]:
        outline, centre = _first_outline_and_centre([commune, *old_units])
        if not outline and centre is None:
            continue
        points = [
            Point(latitude, longitude, count=count, label=_trees(count))
            for (latitude, longitude), count in counted.items()
        ]
        svg = svg_plot(points, centre, title=_("Trees of %(commune)s") % {"commune": commune.name}, outline=outline)
        maps.append({"commune": commune, "svg": svg, "outline": bool(outline)})
    return maps


def _first_outline_and_centre(units: list[Unit]):
    """The commune standing today may have no outline or centre of its own yet: take its old communes'."""
    from .services import commune_centre, commune_outline

    outline = next((found for unit in units if (found := commune_outline(unit))), None)
    centre = next((found for unit in units if (found := commune_centre(unit)) is not None), None)
    return outline, centre


def _trees(count: int) -> str:
    return ngettext("%(count)d tree", "%(count)d trees", count) % {"count": count}
