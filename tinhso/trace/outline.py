"""A commune's outline imported as GeoJSON: validation, point in polygon and the box around it.

Pure Python (no GEOS): an outline is a Polygon or MultiPolygon in WGS84 longitude/latitude, checked
whole before anything is stored. Point in polygon uses the even-odd rule over every ring of a polygon, so
holes (an enclave) are outside."""

import json
import math

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
MAX_POSITIONS = 100_000
# Vietnam with its islands (Trường Sa reaches 117.8° E), a little margin.
LATITUDE_RANGE = (6.0, 23.6)
LONGITUDE_RANGE = (102.0, 118.0)


def parse(data: bytes) -> dict:
    """The GeoJSON geometry (Polygon or MultiPolygon) in `data`, or ValidationError listing every problem."""
    if len(data) > MAX_BYTES:
        raise too_large()
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValidationError(_("The file is not GeoJSON (JSON text in UTF-8).")) from None
    geometry = _geometry(document)
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    errors: list[str] = []
    positions = 0
    if not isinstance(polygons, list) or not polygons:
        raise ValidationError(_("The outline has no polygon."))
    for p, polygon in enumerate(polygons, start=1):
        if not isinstance(polygon, list) or not polygon:
            errors.append(_("Polygon %(polygon)d has no ring.") % {"polygon": p})
            continue
        for r, ring in enumerate(polygon, start=1):
            where = {"polygon": p, "ring": r}
            if not isinstance(ring, list) or len(ring) < 4:
                errors.append(_("Polygon %(polygon)d, ring %(ring)d: a ring needs at least 4 points.") % where)
                continue
            positions += len(ring)
            bad = [position for position in ring if not _is_position(position)]
            if bad:
                errors.append(_("Polygon %(polygon)d, ring %(ring)d: a point is not [longitude, latitude].") % where)
                continue
            if list(ring[0][:2]) != list(ring[-1][:2]):
                errors.append(_("Polygon %(polygon)d, ring %(ring)d: the ring is not closed.") % where)
            outside = [pos for pos in ring if not _in_vietnam(pos)]
            if outside:
                errors.append(
                    _(
                        "Polygon %(polygon)d, ring %(ring)d: the point %(point)s is outside Vietnam "
                        "(coordinates must be WGS84 longitude, latitude in degrees)."
                    )
                    % {**where, "point": f"[{outside[0][0]}, {outside[0][1]}]"}
                )
    if positions > MAX_POSITIONS:
        limit = {"count": f"{MAX_POSITIONS:,}"}
        errors.append(_("The outline has more than %(count)s points; simplify it first.") % limit)
    if errors:
        raise ValidationError(errors)
    return {
        "type": "MultiPolygon",
        "coordinates": [[[[float(x), float(y)] for x, y, *_rest in ring] for ring in polygon] for polygon in polygons],
    }


def too_large() -> ValidationError:
    return ValidationError(_("The outline file is larger than %(size)d MB.") % {"size": MAX_BYTES // 1024 // 1024})


def _geometry(document) -> dict:
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise ValidationError(_("The file must hold exactly one outline (one feature)."))
        document = features[0]
    if isinstance(document, dict) and document.get("type") == "Feature":
        document = document.get("geometry")
    if not isinstance(document, dict) or document.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(_("The outline must be a Polygon or MultiPolygon."))
    if not isinstance(document.get("coordinates"), list):
        raise ValidationError(_("The outline has no coordinates."))
    return document


def _is_position(position) -> bool:
    return (
        isinstance(position, list)
        and len(position) in (2, 3)
        and all(isinstance(value, int | float) and not isinstance(value, bool) for value in position)
        and all(math.isfinite(value) for value in position)
    )


def _in_vietnam(position) -> bool:
    longitude, latitude = position[0], position[1]
    return LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1] and LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]


def contains(geometry: dict, latitude, longitude) -> bool:
    """Whether the point lies inside the (Multi)Polygon (on an edge counts as either)."""
    x, y = float(longitude), float(latitude)
    for polygon in geometry["coordinates"]:
        inside = False
        for ring in polygon:
            j = len(ring) - 1
            for i in range(len(ring)):
                xi, yi = ring[i][0], ring[i][1]
                xj, yj = ring[j][0], ring[j][1]
                if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                    inside = not inside
                j = i
        if inside:
            return True
    return False


def bounds(geometry: dict) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the outer rings."""
    xs = [position[0] for polygon in geometry["coordinates"] for position in polygon[0]]
    ys = [position[1] for polygon in geometry["coordinates"] for position in polygon[0]]
    return min(xs), min(ys), max(xs), max(ys)
