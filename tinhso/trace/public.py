"""Public side: the GS1 Digital Link resolver, short links and the light pages a phone camera opens.

No login, no session, no cookie: pages are cached whole (per object, language and last change) and
carry Cache-Control, so a proxy or the phone keeps them too. Only rounded coordinates are published.
"""

import atexit
import datetime
import json
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tinhso.core import public_cache
from tinhso.units.succession import representative_on

from . import identifiers, weather
from .models import Batch, Tree, rounded

ALLOWED = "GET, HEAD, OPTIONS"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": ALLOWED,
    "Access-Control-Allow-Headers": "Accept, Accept-Language, Content-Type",
    "Access-Control-Expose-Headers": "Link, Content-Type",
}
LINKSET_TYPE = "application/linkset+json"
GS1 = "https://gs1.org/voc/"
LINK_TYPES = ["gs1:pip", "gs1:defaultLink"]


def _with_cors(response: HttpResponse) -> HttpResponse:
    for header, value in CORS.items():
        response[header] = value
    return response


def _language(request) -> str:
    return "en" if request.GET.get("lang") == "en" else "vi"


def _problem(request, status: int, message: str) -> HttpResponse:
    language = _language(request)
    with translation.override(language):
        html = render_to_string("trace/public/problem.html", {"status": status, "message": message, "lang": language})
    return _with_cors(HttpResponse(html, status=status))


# --- Resolver -----------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def digital_link(request, path: str):
    if request.method == "OPTIONS":
        return _options()
    with translation.override(_language(request)):
        try:
            link = identifiers.parse_path(path)
        except identifiers.MalformedLink as error:
            return _problem(request, 400, str(error))
        if link.key == "giai":
            target = _tree_by_giai(link.value)
        elif link.lot:
            target = Batch.objects.select_related("product").filter(product__gtin=link.value, lot=link.lot).first()
        else:
            target = None
        if target is None:
            return _problem(request, 404, _("No tree or batch has this code. Check the label, or ask the cooperative."))
        return _answer(request, target)


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def short_link(request, short: str):
    if request.method == "OPTIONS":
        return _options()
    target = Tree.objects.filter(short_code=short).first() or Batch.objects.filter(short_code=short).first()
    if target is None:
        with translation.override(_language(request)):
            return _problem(request, 404, _("No tree or batch has this code. Check the label, or ask the cooperative."))
    return _answer(request, target)


@require_http_methods(["GET", "HEAD", "OPTIONS"])
def well_known(request):
    if request.method == "OPTIONS":
        return _options()
    root = identifiers.site_url()
    document = {
        "name": "Tỉnh Số — truy xuất nguồn gốc",
        "resolverRoot": root,
        "supportedPrimaryKeys": ["gtin", "giai"],
        "supportedLinkType": [{"namespace": GS1, "prefix": "gs1:", "profile": f"{GS1}pip"}],
        "linkTypeDefaultCanBeLinkset": False,
        "supportsLinksetFormat": True,
        "contact": root,
    }
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=86400"
    return _with_cors(response)


def _options() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ALLOWED
    return _with_cors(response)


def _tree_by_giai(giai: str) -> Tree | None:
    prefix = identifiers.company_prefix()
    serial = giai[len(prefix) :] if prefix and giai.startswith(prefix) else ""
    if not serial.startswith("T") or not serial[1:].isdigit():
        return None
    return Tree.objects.filter(pk=int(serial[1:])).first()


def _answer(request, target) -> HttpResponse:
    if request.GET.get("linkType") == "all":
        return _linkset(request, target)
    language = _language(request)
    count_scan(target)
    kind = "tree" if isinstance(target, Tree) else "batch"
    key = _page_key(kind, target.pk, language)
    html = cache.get(key)
    if html is None:
        with translation.override(language):
            html = render_to_string(f"trace/public/{kind}.html", {**_context(target, kind), "lang": language})
        cache.set(key, html, settings.TRACE_PUBLIC_CACHE_SECONDS)
    response = HttpResponse(html)
    response["Cache-Control"] = f"public, max-age={settings.TRACE_PUBLIC_CACHE_SECONDS}"
    response["Content-Language"] = language
    response["Link"] = f'<{_anchor(target)}?linkType=all>; rel="linkset"; type="{LINKSET_TYPE}"'
    return _replayable(request, _with_cors(response), target)


CANONICAL_QUERIES = ("", "lang=en", "lang=vi", "linkType=all")
LANGUAGES = ("vi", "en")


def _page_key(kind: str, pk: int, language: str) -> str:
    """The rendered page. Not keyed by the object's last change: a photo, a harvest or the commune's outline
    changes the page without touching the tree, so every change forgets it (`forget_pages`)."""
    return f"trace:page:{kind}:{pk}:{language}"


def forget_pages(targets) -> None:
    """Drop the rendered and the replayed copies of these trees' and batches' public pages: the next scan
    renders them again. `targets` need only pk, short_code and link."""
    targets = list(targets)
    keys = [
        _page_key("tree" if isinstance(target, Tree) else "batch", target.pk, language)
        for target in targets
        for language in LANGUAGES
    ]
    if keys:
        cache.delete_many(keys)
    public_cache.forget(path for target in targets for path in public_paths(target))


def trees_drawn_with_outline_of(unit_id: int):
    """The trees whose public map draws this unit's outline: its own, and those of the units that borrow
    it (no outline of their own, and this unit stands for them today — `services.commune_outline`)."""
    from tinhso.units.models import Unit

    from .models import CommuneOutline

    outlined = set(CommuneOutline.objects.values_list("unit_id", flat=True)) - {unit_id}
    units = {unit_id}
    today = timezone.localdate()
    with_trees = Unit.objects.filter(pk__in=Tree.objects.values("unit_id")).exclude(pk__in=outlined | {unit_id})
    for other in with_trees:
        standing = representative_on(other, today)
        if standing is not None and standing.pk == unit_id:
            units.add(other.pk)
    return Tree.objects.filter(unit_id__in=units).only("pk", "short_code", "link")


def _replayable(request, response: HttpResponse, target, *, scan: bool = True) -> HttpResponse:
    """Only the few canonical URLs of a page are replayed from the cache (any other query string would
    let a visitor fill the cache with copies); a replayed hit still counts the scan."""
    if request.META.get("QUERY_STRING", "") in CANONICAL_QUERIES:
        kind = "tree" if isinstance(target, Tree) else "batch"
        hit = (SCAN, f"{kind}:{target.pk}") if scan else None
        public_cache.cacheable(response, seconds=settings.TRACE_PUBLIC_CACHE_SECONDS, on_hit=hit)
    return response


SCAN = "trace.scan"


def count_replayed_scan(argument: str) -> None:
    kind, _colon, pk = argument.partition(":")
    _count(kind, int(pk))


def public_paths(target) -> list[str]:
    """Every path at which the target's public page is served (to forget them when it changes)."""
    from urllib.parse import urlsplit

    paths = [f"/t/{target.short_code}"]
    if target.link:
        paths.append(urlsplit(target.link).path)
    return paths


def _anchor(target) -> str:
    return target.link or (
        identifiers.tree_link(target) if isinstance(target, Tree) else identifiers.batch_link(target)
    )


def _linkset(request, target) -> HttpResponse:
    anchor = _anchor(target)
    title = str(target.number if isinstance(target, Tree) else target)
    pages = [
        {"href": anchor, "title": title, "type": "text/html", "hreflang": ["vi"]},
        {"href": f"{anchor}?lang=en", "title": title, "type": "text/html", "hreflang": ["en"]},
    ]
    linkset = {
        "linkset": [{"anchor": anchor, f"{GS1}defaultLink": [pages[0]], f"{GS1}pip": pages}],
    }
    response = HttpResponse(json.dumps(linkset, ensure_ascii=False), content_type=LINKSET_TYPE)
    response["Cache-Control"] = f"public, max-age={settings.TRACE_PUBLIC_CACHE_SECONDS}"
    return _replayable(request, _with_cors(response), target, scan=False)


# --- Page content -------------------------------------------------------------------------


def _context(target, kind: str) -> dict:
    today = timezone.localdate()
    if kind == "tree":
        tree = Tree.objects.select_related("garden__producer", "unit").get(pk=target.pk)
        return {
            "tree": tree,
            "commune": representative_on(tree.unit, today) or tree.unit,
            "latitude": tree.public_latitude,
            "longitude": tree.public_longitude,
            "weather": weather.weather_for(tree),
            "reading": weather.latest_reading(tree),
            "photos": list(tree.photos.all()[:6]),
            "map_tiles": settings.TRACE_MAP_TILES_URL,
            "plot": _public_plot(tree),
            "harvested_kg": sum(
                (event.quantity_kg or 0) for event in tree.events.filter(kind="harvesting", event_time__year=today.year)
            ),
        }
    batch = Batch.objects.select_related("product__producer", "unit").get(pk=target.pk)
    trees = list(batch.trees.order_by("number"))
    return {
        "batch": batch,
        "product": batch.product,
        "commune": representative_on(batch.unit, today) or batch.unit,
        "certifications": [(c, c.is_valid_on(today)) for c in batch.product.certifications.all()],
        "trees": trees[:50],
        "tree_count": len(trees),
        "ages": _age_range(trees),
        "harvests": list(batch.harvests.order_by("event_time")[:60]),
        "steps": [step for step in batch.processing.splitlines() if step.strip()],
    }


def _public_plot(tree: Tree) -> str:
    """The commune's trees as rounded cells (a count per cell), this tree's cell in red: no exact point."""
    from collections import Counter

    from .maps import Point, svg_plot
    from .services import commune_centre, commune_outline

    outline = commune_outline(tree.unit)
    centre = commune_centre(tree.unit)
    if centre is None and not outline:
        return ""
    cells = Counter(
        (rounded(latitude), rounded(longitude))
        for latitude, longitude in Tree.objects.filter(unit_id=tree.unit_id).values_list("latitude", "longitude")
    )
    mine = (tree.public_latitude, tree.public_longitude)
    points = [
        Point(latitude, longitude, count=count, highlight=(latitude, longitude) == mine)
        for (latitude, longitude), count in cells.items()
    ]
    return svg_plot(points, centre, title=_("Approximate location of the trees of the commune"), outline=outline)


def _age_range(trees) -> tuple[int, int] | None:
    ages = [tree.estimated_age for tree in trees if tree.estimated_age]
    return (min(ages), max(ages)) if ages else None


# --- Scans (counted, nothing kept about who scanned) -----------------------------------------


def _scan_key(kind: str, pk: int, day: datetime.date) -> str:
    return f"trace:scans:{day.isoformat()}:{kind}:{pk}"


def count_scan(target) -> None:
    _count("tree" if isinstance(target, Tree) else "batch", target.pk)


class _PendingScans:
    """Scans counted in this process and added to the shared counters at most every
    TRACE_SCAN_FLUSH_SECONDS (and when the process ends), so a replayed page costs no cache write: with
    the file cache a counter increment is a file rewrite. A crash loses at most those seconds of counts.
    The flush runs in a thread of its own: two round trips per tree scanned since the last one (400 trees:
    tens of milliseconds on a busy machine) must not hold up the scan that happens to fall due."""

    def __init__(self):
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()
        self.flushed = time.monotonic()
        self.flushing = False

    def add(self, key: str) -> None:
        seconds = settings.TRACE_SCAN_FLUSH_SECONDS
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1
            due = time.monotonic() - self.flushed >= seconds and not self.flushing
            if due:
                self.flushing = True
        if due and not seconds:
            self.flush()
        elif due:
            threading.Thread(target=self.flush, name="trace-scan-flush", daemon=True).start()

    def flush(self) -> None:
        with self.lock:
            counts, self.counts, self.flushed = self.counts, {}, time.monotonic()
        try:
            for key, count in counts.items():
                try:
                    cache.incr(key, count)  # one write per counter and flush
                except ValueError:
                    if not cache.add(key, count, 60 * 60 * 72):
                        cache.incr(key, count)
        finally:
            self.flushing = False


_pending = _PendingScans()
atexit.register(_pending.flush)


def _count(kind: str, pk: int) -> None:
    _pending.add(_scan_key(kind, pk, timezone.localdate()))


def flush_scans(day: datetime.date | None = None) -> int:
    """Copy the day's counters from the cache into ScanCount (the counters stay; the copy is idempotent)."""
    from .models import ScanCount

    day = day or timezone.localdate()
    _pending.flush()  # this process's own counts; other workers add theirs within TRACE_SCAN_FLUSH_SECONDS
    keys = {_scan_key("tree", pk, day): ("tree", pk) for pk in Tree.objects.values_list("pk", flat=True)}
    keys |= {_scan_key("batch", pk, day): ("batch", pk) for pk in Batch.objects.values_list("pk", flat=True)}
    found = cache.get_many(list(keys))
    for key, count in found.items():
        kind, pk = keys[key]
        ScanCount.objects.update_or_create(**{f"{kind}_id": pk}, day=day, defaults={"count": count})
    return len(found)


@require_http_methods(["GET", "HEAD"])
def photo(request, pk: int):
    from django.http import FileResponse

    from .models import TreePhoto

    found = TreePhoto.objects.filter(pk=pk).first()
    if found is None or not found.image:
        raise Http404
    response = FileResponse(found.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=604800"
    return response
