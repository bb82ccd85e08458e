"""Which office answers a report: a routing rule of the smallest area that holds the place, else the
category's level (the commune or district of the place, or the category's office of the province)."""

import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.units.choices import OrganisationKind, UnitLevel
from tinhso.units.models import Organisation, Unit
from tinhso.units.snapshot import snapshot_on
from tinhso.units.succession import representative_on

from .choices import Level
from .models import RoutingRule, ServiceCategory

EARTH_RADIUS_M = 6_371_000.0
NEAREST_WINDOW_DEGREES = Decimal("0.1")  # ≈ 11 km: a pin farther from every village is not placed


def distance_m(lat1, lon1, lat2, lon2) -> float:
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    dphi, dlambda = phi2 - phi1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def nearest_place(latitude, longitude) -> Unit | None:
    """The village (else commune) of today whose centre is nearest to the pin, within about 11 km."""
    today = timezone.localdate()
    window = Q(
        latitude__range=(latitude - NEAREST_WINDOW_DEGREES, latitude + NEAREST_WINDOW_DEGREES),
        longitude__range=(longitude - NEAREST_WINDOW_DEGREES, longitude + NEAREST_WINDOW_DEGREES),
    )
    valid = Q(valid_from__lte=today) & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    for level in (UnitLevel.VILLAGE, UnitLevel.COMMUNE):
        candidates = list(Unit.objects.filter(window, valid, level=level))
        if candidates:
            return min(candidates, key=lambda unit: distance_m(latitude, longitude, unit.latitude, unit.longitude))
    return None


def _ancestor_at(place: Unit, level: str) -> Unit | None:
    unit: Unit | None = place
    while unit is not None and unit.level != level:
        unit = unit.parent
    return unit


def _committee_of(unit: Unit | None) -> Organisation | None:
    if unit is None:
        return None
    today = timezone.localdate()
    standing = representative_on(unit, today) or unit
    offices = Organisation.objects.filter(unit=standing, kind=OrganisationKind.PEOPLES_COMMITTEE, is_active=True)
    offices = offices.select_related("unit")
    return offices.order_by("id").first()


def route(service: ServiceCategory, place: Unit | None) -> Organisation:
    """The office that answers `service` at `place`; ValidationError when none is known."""
    if place is not None:
        rules = RoutingRule.objects.filter(
            Q(category=service) | Q(category__isnull=True), unit__path__in=_prefixes(place.path)
        )
        rules = rules.select_related("organisation__unit", "unit").filter(organisation__is_active=True)
        best = max(rules, key=lambda rule: (len(rule.unit.path), rule.category_id is not None), default=None)
        if best is not None:
            return best.organisation
    office = None
    if service.level == Level.PROVINCE:
        office = service.organisation
    elif place is not None:
        # After the 2025 reform there are no districts: a district matter goes to the commune, and a commune
        # without a People's Committee on record borrows its district's.
        levels = [UnitLevel.COMMUNE, UnitLevel.DISTRICT]
        for level in levels if service.level == Level.COMMUNE else reversed(levels):
            office = office or _committee_of(_ancestor_at(place, level))
    office = office or service.organisation
    if office is None:
        raise ValidationError({"service": _("No office answers this category at this place yet.")})
    return office


def _prefixes(path: str) -> list[str]:
    return [path[: index + 1] for index, char in enumerate(path) if char == "/"]


def _owners_placed_in(place: Unit | None) -> list[int]:
    """Owner units of categories that stand today inside the units holding `place` (the province's without a
    place). An owner that ended in a reorganisation (a commune merged in the 2025 reform) stands where the
    units app places it today (`snapshot.placed`: its successor, or its parent's place)."""
    today = snapshot_on(timezone.localdate())
    owners = ServiceCategory.objects.filter(is_active=True).values_list("unit_id", flat=True).distinct()
    if place is None:
        return [owner for owner in owners if _placed_level(today, owner) == UnitLevel.PROVINCE]
    standing = today.placed(place.pk)
    holding = set(standing.lineage) if standing is not None else set()
    return [owner for owner in owners if _placed_id(today, owner) in holding]


def _placed_id(today, unit_id: int) -> int | None:
    placed = today.placed(unit_id)
    return placed.id if placed is not None else None


def _placed_level(today, unit_id: int) -> str | None:
    placed = today.placed(unit_id)
    return placed.level if placed is not None else None


def offered_at(place: Unit | None):
    """The active categories a citizen may file at `place`: those whose owner unit holds it today (a commune's
    own category only inside the commune, or the commune it merged into); without a place, the province's."""
    return ServiceCategory.objects.filter(is_active=True, unit_id__in=_owners_placed_in(place))


def is_offered(service: ServiceCategory, place: Unit | None) -> bool:
    if not service.is_active:
        return False
    today = snapshot_on(timezone.localdate())
    if place is None:
        return _placed_level(today, service.unit_id) == UnitLevel.PROVINCE
    standing = today.placed(place.pk)
    return standing is not None and _placed_id(today, service.unit_id) in standing.lineage
