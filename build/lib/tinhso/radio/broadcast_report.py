"""The monthly broadcasting report of a commune, read from the append-only play log.

Per speaker cluster: plays by level of the chain, minutes on air, pre-emptions, cancellations and failures.
Minutes on air pair each "play" with the next "stop" of the same item on the same cluster, so pre-empted
and cancelled plays count for the time they actually sounded.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from tinhso.core.periods import Period
from tinhso.units.models import Unit
from tinhso.units.succession import extend_across_reorganisations

from .chain import CHAIN
from .models import PlayEvent, SpeakerCluster

# A play without its stop (device switched off mid-play) or a very long relay counts at most this long.
LONGEST_PLAY = datetime.timedelta(hours=6)


@dataclass
class Line:
    label: str
    unit: str = ""
    plays: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHAIN, 0))
    seconds: float = 0.0
    preempted: int = 0
    cancelled: int = 0
    failures: int = 0

    @property
    def total_plays(self) -> int:
        return sum(self.plays.values())

    @property
    def minutes(self) -> float:
        return round(self.seconds / 60, 1)

    @property
    def plays_in_chain_order(self) -> list[int]:
        return [self.plays[level] for level in CHAIN]

    def add(self, other: "Line") -> None:
        for level in CHAIN:
            self.plays[level] += other.plays[level]
        self.seconds += other.seconds
        self.preempted += other.preempted
        self.cancelled += other.cancelled
        self.failures += other.failures


@dataclass
class BroadcastReport:
    commune: Unit
    period: Period  # a month
    lines: list[Line]
    total: Line


def month_bounds(period) -> tuple[datetime.datetime, datetime.datetime]:
    """The month as aware datetimes in Vietnam time: [first day 00:00, day after the last 00:00)."""
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(period.start, datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    return start, end


def monthly_report(commune, period, events=None) -> BroadcastReport:
    """``events``: the play log the reader may see (restricted queryset); default all."""
    events = PlayEvent.objects.all() if events is None else events
    start, end = month_bounds(period)
    clusters = list(
        SpeakerCluster.objects.filter(_territory(commune)).select_related("unit").order_by("unit__path", "name")
    )
    rows = (
        events.filter(cluster__in=clusters, at__gte=start, at__lt=end)
        .order_by("cluster_id", "at", "pk")
        .values_list("cluster_id", "item", "event", "reason", "detail", "level", "at")
    )
    lines = {cluster.pk: Line(label=cluster.name, unit=cluster.unit.name) for cluster in clusters}
    started: dict[tuple[int, str], datetime.datetime] = {}
    for cluster_id, item, event, reason, detail, level, at in rows:
        _count(lines[cluster_id], started, (cluster_id, item), event, reason, detail, level, at)
    total = Line(label="")
    for line in lines.values():
        total.add(line)
    return BroadcastReport(commune=commune, period=period, lines=list(lines.values()), total=total)


def _territory(commune) -> Q:
    """The commune's subtree and, across a reorganisation, the units whose territory it took over: the
    clusters of Yên Hợp (merged into Xuân Ái in 2025) belong to Xuân Ái's history."""
    subtrees, _exact = extend_across_reorganisations({commune.path}, set())
    condition = Q(pk__in=[])
    for path in sorted(subtrees):
        condition |= Q(unit__path__startswith=path)
    return condition


def _count(line: Line, started: dict, key, event, reason, detail, level, at) -> None:
    if event == "play":
        line.plays[level if level in line.plays else "normal"] += 1
        started[key] = at
    elif event == "stop":
        began = started.pop(key, None)
        if began is not None:
            line.seconds += min(at - began, LONGEST_PLAY).total_seconds()
        line.preempted += reason == "preempted"
        line.cancelled += reason == "cancelled"
        line.failures += reason == "error"
    elif event == "failed" or (event == "download" and detail and detail != "ok"):
        line.failures += 1
