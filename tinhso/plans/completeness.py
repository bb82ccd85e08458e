"""Completeness and timeliness of reporting: "160/173 communes reported, 92,5%; 151 on time".

Expected are the units of the data set's level that existed at the end of the period and lie in
the area (as placed on the chosen day); reported are those whose report was submitted or
approved; on time, those first submitted by the due date.
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Count, F, Q
from django.utils.translation import gettext as _

from tinhso.units.choices import UnitLevel
from tinhso.units.snapshot import UnitSnapshot

from . import display, periods
from .choices import REPORTED_STATUSES, ReportStatus
from .models import DataSet, Report


@dataclass
class Completeness:
    data_set: DataSet
    period: periods.Period
    expected: int
    reported: int = 0
    on_time: int = 0
    approved: int = 0

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.reported) * 100 / self.expected if self.expected else None

    @property
    def rate_display(self) -> str:
        return display.figure(self.rate, display_format="percent", decimals=1)

    @property
    def summary(self) -> str:
        return _("%(reported)s/%(expected)s %(units)s reported, %(rate)s; %(on_time)s on time") % {
            "reported": display.whole(self.reported),
            "expected": display.whole(self.expected),
            "units": level_words(self.data_set.unit_level),
            "rate": self.rate_display,
            "on_time": display.whole(self.on_time),
        }


def level_words(level: str) -> str:
    words: dict[str, str] = {
        UnitLevel.PROVINCE: _("provinces"),
        UnitLevel.DISTRICT: _("districts"),
        UnitLevel.COMMUNE: _("communes"),
        UnitLevel.VILLAGE: _("villages"),
    }
    return str(words.get(level, level))


MANY_SOURCES = 200  # beyond this, a list of ids beats an OR of path prefixes (SQLite caps expression depth)


def area_filter(structure: UnitSnapshot, unit_id: int, field: str = "unit__path") -> Q:
    """The units inside `unit_id` as placed on the structure's day: the subtrees of its sources."""
    sources = structure.sources_of(unit_id)
    if not sources:
        return Q(pk__in=[])
    if len(sources) > MANY_SOURCES:
        inside = set(sources)
        ids = [unit.id for unit in structure.units.values() if inside.intersection(unit.lineage)]
        return Q(**{f"{field.removesuffix('__path')}__in": ids})
    return reduce(or_, (Q(**{f"{field}__startswith": structure.units[each].path}) for each in sources))


def completeness(structure: UnitSnapshot, unit_id: int, data_set: DataSet, period: periods.Period) -> Completeness:
    expected = len(structure.valid_within(unit_id, data_set.unit_level, period.end))
    result = Completeness(data_set, period, expected)
    reports = Report.objects.filter(area_filter(structure, unit_id), data_set=data_set, period=period.code)
    counts = reports.filter(status__in=REPORTED_STATUSES).aggregate(
        reported=Count("pk"),
        on_time=Count("pk", filter=Q(first_submitted_at__date__lte=F("due_date"))),
        approved=Count("pk", filter=Q(status=ReportStatus.APPROVED)),
    )
    result.reported, result.on_time, result.approved = counts["reported"], counts["on_time"], counts["approved"]
    return result


def by_child(structure: UnitSnapshot, unit_id: int, data_set: DataSet, period: periods.Period) -> list[tuple]:
    """(child unit, Completeness) for each unit below `unit_id` on the structure's day, from one query."""
    children = structure.children_of(unit_id)
    results = {
        child.id: Completeness(data_set, period, len(structure.valid_within(child.id, data_set.unit_level, period.end)))
        for child in children
    }
    owner = _owners(structure, children)
    rows = Report.objects.filter(
        area_filter(structure, unit_id), data_set=data_set, period=period.code, status__in=REPORTED_STATUSES
    ).values_list("unit__path", "status", "first_submitted_at", "due_date")
    from django.utils import timezone

    for path, status, first, due in rows:
        child = next((owner[prefix] for prefix in path_prefixes(path) if prefix in owner), None)
        if child is None:
            continue
        result = results[child]
        result.reported += 1
        result.approved += status == ReportStatus.APPROVED
        result.on_time += bool(first and timezone.localtime(first).date() <= due)
    return [(child, results[child.id]) for child in children]


def _owners(structure: UnitSnapshot, children) -> dict[str, int]:
    """Path of every source unit → the child of the structure it belongs to."""
    return {structure.units[source].path: child.id for child in children for source in structure.sources_of(child.id)}


def path_prefixes(path: str) -> list[str]:
    """'/1/2/3/' → ['/1/2/3/', '/1/2/', '/1/']: the unit and its ancestors, nearest first."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: index + 1]) + "/" for index in range(len(parts) - 1, -1, -1)]
