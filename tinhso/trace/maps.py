"""A map without tiles: an SVG plot of points on the commune's circle, drawn on the server.

No tile server, no map library, nothing fetched from a CDN, a few hundred bytes in the page. The
commune's outline is drawn when an officer has imported one (GeoJSON, `CommuneOutline`); otherwise the
plot draws the circle the registry checks coordinates against (`TRACE_COMMUNE_RADIUS_KM` around the
centre), since the unit data has a centre only. Public pages pass rounded points
only (cells of `TRACE_PUBLIC_COORDINATE_DECIMALS`), counted per cell, so the plot shows where the trees
are without showing any tree's exact point; officers' pages may pass exact points."""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.html import escape

from .outline import bounds

SIZE = 100  # the commune's radius in SVG units
KM_PER_DEGREE_LATITUDE = 110.574


@dataclass(frozen=True)
class Point:
    latitude: Decimal
    longitude: Decimal
    label: str = ""
    count: int = 1
    highlight: bool = False


def _project(point: Point, centre: tuple[Decimal, Decimal], scale: float) -> tuple[float, float]:
    lat0, lon0 = float(centre[0]), float(centre[1])
    east_km = (float(point.longitude) - lon0) * 111.320 * math.cos(math.radians(lat0))
    north_km = (float(point.latitude) - lat0) * KM_PER_DEGREE_LATITUDE
    return round(east_km * scale, 1), round(-north_km * scale, 1)


def svg_plot(
    points: list[Point],
    centre: tuple[Decimal, Decimal] | None,
    *,
    title: str,
    scale_label: str = "km",
    outline: dict | None = None,
) -> str:
    """An inline <svg> (a string, already escaped) of the points on the commune's outline (fitted to the
    drawing) or, without one, on the circle around `centre`."""
    shape = ""
    if outline:
        west, south, east, north = bounds(outline)
        centre = (Decimal(str((south + north) / 2)), Decimal(str((west + east) / 2)))
        half_width_km = (east - west) / 2 * 111.320 * math.cos(math.radians(float(centre[0])))
        half_height_km = (north - south) / 2 * KM_PER_DEGREE_LATITUDE
        radius_km = max(half_width_km, half_height_km, 0.1)
        scale = SIZE / radius_km
        rings = []
        for polygon in outline["coordinates"]:
            for ring in polygon:
                projected = [_project(Point(Decimal(str(y)), Decimal(str(x))), centre, scale) for x, y, *_ in ring]
                rings.append("M" + "L".join(f"{px} {py}" for px, py in projected) + "Z")
        shape = f'<path d="{"".join(rings)}" fill="#f2f7ee" fill-rule="evenodd" stroke="#7a9a6a" stroke-width="1.2"/>'
    else:
        radius_km = float(settings.TRACE_COMMUNE_RADIUS_KM)
        scale = SIZE / radius_km
        shape = f'<circle r="{SIZE}" fill="#f2f7ee" stroke="#7a9a6a" stroke-dasharray="4 3"/>'
    assert centre is not None
    bar_km = max(1, round(radius_km / 4)) if radius_km >= 2 else round(radius_km / 4, 1) or 0.1
    parts = [
        f'<svg class="plot" viewBox="-110 -110 220 220" width="100%" role="img" aria-label="{escape(title)}" '
        'xmlns="http://www.w3.org/2000/svg"><title>' + escape(title) + "</title>",
        shape,
        '<path d="M-4 0H4M0 -4V4" stroke="#7a9a6a"/>',
    ]
    biggest = max((point.count for point in points), default=1)
    for point in sorted(points, key=lambda p: p.highlight):
        x, y = _project(point, centre, scale)
        if abs(x) > 108 or abs(y) > 108:
            continue
        r = round(2.5 + 5 * math.sqrt(point.count / biggest), 1)
        colour = "#c0392b" if point.highlight else "#2e7d32"
        tip = f"<title>{escape(point.label)}</title>" if point.label else ""
        parts.append(f'<circle cx="{x}" cy="{y}" r="{r}" fill="{colour}" fill-opacity=".75">{tip}</circle>')
    bar = round(bar_km * scale, 1)
    parts.append(f'<path d="M-104 104h{bar}" stroke="#333" stroke-width="1.5"/>')
    parts.append(f'<text x="-104" y="100" font-size="8">{bar_km} {escape(scale_label)}</text>')
    parts.append('<text x="0" y="-102" font-size="8" text-anchor="middle">N</text></svg>')
    return "".join(parts)
