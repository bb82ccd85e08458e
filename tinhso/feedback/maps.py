"""The map of open reports: an SVG drawn on the server (no tiles, no map library, nothing from a CDN), as
trace's maps do. Officers see the exact points of the open reports in their scope (overdue in red); the
public map only counts reports per cell of FEEDBACK_PUBLIC_COORDINATE_DECIMALS (3 ≈ 110 m), so no point
of a house can be read from it. A report without a pin is drawn at its village."""

import math
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import escape

from .choices import WAITING
from .publication import rounded

WIDTH = 200
MARGIN = 8
LIMIT = 5000  # points drawn at most (the newest open reports)


@dataclass(frozen=True)
class Point:
    latitude: Decimal
    longitude: Decimal
    label: str = ""
    count: int = 1
    highlight: bool = False


def open_points(reports) -> list[dict]:
    """Plain rows (latitude, longitude, pk, deadline, category) of the waiting reports with a known point."""
    located = (
        reports.filter(status__in=WAITING)
        .annotate(
            lat=Coalesce(F("latitude"), F("place__latitude")), lon=Coalesce(F("longitude"), F("place__longitude"))
        )
        .filter(lat__isnull=False, lon__isnull=False)
        .order_by("-submitted_at")
    )
    return list(located.values("pk", "lat", "lon", "deadline", "service__name")[:LIMIT])


def office_points(rows: list[dict]) -> list[Point]:
    today = timezone.localdate()
    return [
        Point(row["lat"], row["lon"], f"#{row['pk']} {row['service__name']}", highlight=row["deadline"] < today)
        for row in rows
    ]


def public_points(rows: list[dict]) -> list[Point]:
    cells = Counter((rounded(row["lat"]), rounded(row["lon"])) for row in rows)
    return [Point(lat, lon, str(count), count=count) for (lat, lon), count in cells.items()]


def svg_map(points: list[Point], *, title: str, scale_label: str = "km") -> str:
    """An inline <svg> (a string, already escaped) of the points, framed on their extent."""
    if not points:
        return ""
    lats = [float(point.latitude) for point in points]
    lons = [float(point.longitude) for point in points]
    mid = math.radians((min(lats) + max(lats)) / 2)
    east = [lon * 111.320 * math.cos(mid) for lon in lons]  # km
    north = [lat * 110.574 for lat in lats]
    span = max(max(east) - min(east), max(north) - min(north), 1.0)
    scale = (WIDTH - 2 * MARGIN) / span
    height = round((max(north) - min(north)) * scale + 2 * MARGIN, 1)
    parts = [
        f'<svg class="plot" viewBox="0 0 {WIDTH} {max(height, 40)}" width="100%" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
        f'<rect width="{WIDTH}" height="{max(height, 40)}" fill="#f2f7ee" stroke="#7a9a6a"/>',
    ]
    biggest = max(point.count for point in points)
    for point, x_km, y_km in sorted(zip(points, east, north, strict=True), key=lambda item: item[0].highlight):
        x = round(MARGIN + (x_km - min(east)) * scale, 1)
        y = round(MARGIN + (max(north) - y_km) * scale, 1)
        r = round(1.5 + 4 * math.sqrt(point.count / biggest), 1)
        colour = "#c0392b" if point.highlight else "#1f6fb2"
        tip = f"<title>{escape(point.label)}</title>" if point.label else ""
        parts.append(f'<circle cx="{x}" cy="{y}" r="{r}" fill="{colour}" fill-opacity=".7">{tip}</circle>')
    bar_km = max(1, round(span / 5))
    parts.append(f'<path d="M{MARGIN} {max(height, 40) - 3}h{round(bar_km * scale, 1)}" stroke="#333"/>')
    parts.append(f'<text x="{MARGIN}" y="{max(height, 40) - 5}" font-size="6">{bar_km} {escape(scale_label)}</text>')
    parts.append(f'<text x="{WIDTH / 2}" y="6" font-size="6" text-anchor="middle">N</text></svg>')
    return "".join(parts)
