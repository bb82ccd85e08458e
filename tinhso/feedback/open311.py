"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2): discovery, services, service definitions,
requests (GET and POST with an api_key), one request, tokens; in JSON and XML.

Errors come in the spec's shape: a list of {code, description}. Public GETs carry no personal data
(publication.py decides what leaves); a POST is authenticated by `api_key` (an API token of a person or a
partner system), never by the browser's session, so it needs no CSRF token."""

import datetime
import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from lxml import etree
from rest_framework.authtoken.models import Token

from tinhso.units.models import Unit

from . import attributes, routing, services
from .choices import OPEN311_STATUS, PhotoStatus
from .models import Photo, ServiceCategory
from .publication import local_iso, public_reports, rounded
from .redaction import redact

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-04T00:00:00+07:00"
DEFAULT_DAYS = 90
MAX_REQUESTS = 1000
FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


# --- Rendering -----------------------------------------------------------------------------------


def _xml_value(parent, name: str, value) -> None:
    element = etree.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _xml_value(element, key, inner)
    elif isinstance(value, list):
        singular = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}
        for inner in value:
            _xml_value(element, singular.get(name, "item"), inner)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def render(data, fmt: str, *, root: str, item: str = "", status: int = 200) -> HttpResponse:
    """JSON as it is; XML as <root> holding one <item> per element of a list, or the dict's fields."""
    if fmt == "xml":
        element = etree.Element(root)
        for row in data if isinstance(data, list) else [data]:
            target = etree.SubElement(element, item) if item else element
            for key, value in row.items():
                _xml_value(target, key, value)
        body = etree.tostring(element, xml_declaration=True, encoding="utf-8")
    else:
        body = json.dumps(data, ensure_ascii=False).encode()
    response = HttpResponse(body, status=status, content_type=FORMATS[fmt])
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render([{"code": status, "description": description}], fmt, root="errors", item="error", status=status)


def open311_view(view):
    """Unknown formats, methods and every refusal answer in the spec's error shape."""

    def wrapped(request, *args, fmt: str = "json", **kwargs):
        fmt = fmt or "json"
        if fmt not in FORMATS:
            return error("json", 404, _("Unknown format; use .json or .xml."))
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as problem:
            return error(fmt, problem.status, problem.description)

    wrapped.__name__ = view.__name__
    return csrf_exempt(wrapped)


def _only(request, *methods: str) -> None:
    if request.method not in methods:
        raise Open311Error(405, _("This address answers %(methods)s only.") % {"methods": ", ".join(methods)})


# --- Discovery and services ----------------------------------------------------------------------


@open311_view
def discovery(request, fmt):
    _only(request, "GET", "HEAD")
    data = {
        "changeset": CHANGESET,
        "contact": _("The province's digital transformation centre"),
        "key_service": request.build_absolute_uri(reverse("feedback:home")),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.build_absolute_uri("/open311/v2"),
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(data, fmt, root="discovery")


def _service(category: ServiceCategory) -> dict:
    notice = "" if category.is_public else services.private_notice()
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": " ".join(part for part in (category.description, notice) if part),
        "metadata": bool(category.attributes),
        "type": "realtime",
        "keywords": category.keywords,
        "group": category.group,
    }


def _unit(raw: str, name: str) -> Unit:
    raw = (raw or "").strip()
    place = Unit.objects.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 12 else None
    if place is None:
        raise Open311Error(400, _("%(name)s is not a known village or commune.") % {"name": name})
    return place


def _asked_place(query) -> Unit | None:
    """Where the services are asked for: `jurisdiction_id` or `address_id` (a unit id), or `lat` and `long`
    (the nearest village); none: the whole province."""
    for name in ("jurisdiction_id", "address_id"):
        if query.get(name):
            return _unit(query[name], name)
    if query.get("lat") or query.get("long"):
        try:
            latitude = services.parse_coordinate(query.get("lat"), "latitude")
            longitude = services.parse_coordinate(query.get("long"), "longitude")
        except ValidationError as problem:
            raise Open311Error(400, " ".join(problem.messages)) from problem
        place = routing.nearest_place(latitude, longitude) if latitude is not None and longitude is not None else None
        if place is None:
            raise Open311Error(400, _("lat and long are a point inside the province's villages."))
        return place
    return None


@open311_view
def service_list(request, fmt):
    """The services offered at a place (`jurisdiction_id`, `address_id` or `lat`/`long`): those of the whole
    province and those of the units holding it; without a place, the whole province's."""
    _only(request, "GET", "HEAD")
    rows = [_service(category) for category in routing.offered_at(_asked_place(request.GET))]
    return render(rows, fmt, root="services", item="service")


@open311_view
def service_definition(request, code, fmt):
    _only(request, "GET", "HEAD")
    category = ServiceCategory.objects.filter(code=code[:40]).first()
    if category is None:
        raise Open311Error(404, _("No service has the code “%(code)s”.") % {"code": code[:40]})
    attributes = [
        {
            key: attribute.get(key)
            for key in (
                "variable",
                "code",
                "datatype",
                "required",
                "datatype_description",
                "order",
                "description",
                "values",
            )
        }
        for attribute in category.attributes
    ]
    data = {"service_code": category.code, "attributes": attributes}
    return render(data, fmt, root="service_definition")


# --- Requests --------------------------------------------------------------------------------------


# The columns a public request row is made of: read as plain values (no model instances, no per-row
# query), the first photo's id by a subquery, so 1,000 rows cost one query and a loop of string formatting.
ROW_FIELDS = (
    "pk",
    "status",
    "answer",
    "service__name",
    "service__code",
    "public_text",
    "routed_to__name",
    "submitted_at",
    "updated_at",
    "deadline",
    "address",
    "place__name",
    "latitude",
    "longitude",
    "first_photo",
)


def _rows(reports):
    first_photo = Photo.objects.filter(report=OuterRef("pk"), status=PhotoStatus.READY).order_by("id").values("id")[:1]
    return reports.annotate(first_photo=Subquery(first_photo)).values(*ROW_FIELDS)


def request_row(row: dict, photo_url: str) -> dict:
    """One Open311 request from a `_rows` dict; `photo_url` is the public photo address with `{}` for the id."""
    address = ", ".join(part for part in (redact(row["address"]), row["place__name"] or "") if part)
    expected = datetime.datetime.combine(row["deadline"], datetime.time(17, 0))
    return {
        "service_request_id": str(row["pk"]),
        "status": OPEN311_STATUS[row["status"]],
        "status_notes": row["answer"],
        "service_name": row["service__name"],
        "service_code": row["service__code"],
        "description": row["public_text"],
        "agency_responsible": row["routed_to__name"],
        "service_notice": "",
        "requested_datetime": local_iso(row["submitted_at"]),
        "updated_datetime": local_iso(row["updated_at"]),
        "expected_datetime": local_iso(timezone.make_aware(expected)),
        "address": address,
        "address_id": "",
        "zipcode": "",
        "lat": str(rounded(row["latitude"])) if row["latitude"] is not None else "",
        "long": str(rounded(row["longitude"])) if row["longitude"] is not None else "",
        "media_url": photo_url.format(row["first_photo"]) if row["first_photo"] else "",
    }


def _photo_url(request) -> str:
    """The public photo address once, `{}` for the id (reversing per row cost more than the row)."""
    url = request.build_absolute_uri(reverse("feedback_public:photo", args=[0]))
    return url.removesuffix("/0/").replace("{", "%7B").replace("}", "%7D") + "/{}/"


def _moment(raw: str, name: str) -> datetime.datetime | None:
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.strip().replace(" ", "+"))
    except ValueError:
        moment = None
    if moment is None:
        raise Open311Error(400, _("%(name)s is a W3C date-time, e.g. 2026-12-04T08:00:00+07:00.") % {"name": name})
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _listed(request) -> list[dict]:
    query = request.GET
    reports = public_reports()
    ids = [part.strip() for part in query.get("service_request_id", "").split(",") if part.strip()]
    if ids:
        if not all(part.isdigit() and len(part) < 12 for part in ids):
            raise Open311Error(400, _("service_request_id lists request ids separated by commas."))
        return list(_rows(reports.filter(pk__in=ids).order_by("-submitted_at", "-id"))[:MAX_REQUESTS])
    end = _moment(query.get("end_date", ""), "end_date") or timezone.now()
    start = _moment(query.get("start_date", ""), "start_date") or end - datetime.timedelta(days=DEFAULT_DAYS)
    if start > end:
        raise Open311Error(400, _("start_date is after end_date."))
    reports = reports.filter(submitted_at__gte=start, submitted_at__lte=end)
    if query.get("status"):
        wanted = {part.strip() for part in query["status"].split(",")}
        if not wanted <= {"open", "closed"}:
            raise Open311Error(400, _("status is open or closed."))
        statuses = [status for status, public in OPEN311_STATUS.items() if public in wanted]
        reports = reports.filter(status__in=statuses)
    if query.get("service_code"):
        codes = [part.strip() for part in query["service_code"].split(",") if part.strip()]
        reports = reports.filter(service__code__in=codes)
    return list(_rows(reports.order_by("-submitted_at", "-id"))[:MAX_REQUESTS])


@open311_view
def requests(request, fmt):
    _only(request, "GET", "HEAD", "POST")
    if request.method == "POST":
        return _post_request(request, fmt)
    # Up to 1,000 requests per answer: the body is kept FEEDBACK_PUBLIC_CACHE_SECONDS (public data only),
    # so a dashboard polling the list costs the database once a minute, not once per poll.
    query = "&".join(sorted(request.GET.urlencode().split("&")))
    key = "feedback:open311:" + hashlib.sha256(f"{request.get_host()}|{fmt}|{query}".encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        photo_url = _photo_url(request)
        rows = [request_row(row, photo_url) for row in _listed(request)]
        body = render(rows, fmt, root="service_requests", item="request").content
        cache.set(key, body, settings.FEEDBACK_PUBLIC_CACHE_SECONDS)
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = f"public, max-age={settings.FEEDBACK_PUBLIC_CACHE_SECONDS}"
    return response


@open311_view
def request_detail(request, pk, fmt):
    _only(request, "GET", "HEAD")
    row = _rows(public_reports().filter(pk=pk)).first()
    if row is None:
        raise Open311Error(404, _("No public request has the id %(id)s.") % {"id": pk})
    return render([request_row(row, _photo_url(request))], fmt, root="service_requests", item="request")


@open311_view
def token(request, token, fmt):
    _only(request, "GET", "HEAD")
    report = public_reports().filter(token=token[:24]).first()
    if report is None:
        raise Open311Error(404, _("Unknown token."))
    rows = [{"service_request_id": str(report.pk), "token": report.token}]
    return render(rows, fmt, root="service_requests", item="request")


def _account(api_key: str):
    if not api_key:
        raise Open311Error(403, _("An api_key is required to submit a request."))
    found = Token.objects.select_related("user").filter(key=api_key[:40]).first()
    if found is None or not found.user.is_active:
        raise Open311Error(403, _("This api_key is not valid."))
    return found.user


def _post_request(request, fmt):
    data = request.POST
    user = _account(data.get("api_key", "").strip())
    code = data.get("service_code", "").strip()[:40]
    category = ServiceCategory.objects.select_related("unit").filter(code=code).first()
    if category is None:
        raise Open311Error(400, _("service_code is missing or unknown."))
    if not data.get("lat") and not data.get("address_id"):
        raise Open311Error(400, _("A location is required: lat and long, or address_id (a village or commune id)."))
    place = _unit(data["address_id"], "address_id") if data.get("address_id") else None
    name = " ".join(part for part in (data.get("first_name", ""), data.get("last_name", "")) if part).strip()
    try:
        report, _created = services.submit_report(
            actor=user,
            service=category,
            description=data.get("description", ""),
            place=place,
            latitude=data.get("lat"),
            longitude=data.get("long"),
            address=data.get("address_string", ""),
            photos=request.FILES.getlist("media"),
            attributes=attributes.from_form(data),
            contact_name=name[:120],
            contact_phone=data.get("phone", "")[:20],
            contact_email=data.get("email", "")[:254],
            idempotency_key=request.headers.get("Idempotency-Key", "")[:200],
        )
    except ValidationError as problem:
        messages = problem.message_dict if hasattr(problem, "error_dict") else {"": problem.messages}
        text = " ".join(
            f"{field}: {' '.join(texts)}" if field else " ".join(texts) for field, texts in messages.items()
        )
        raise Open311Error(400, text) from problem
    except PermissionDenied as problem:
        raise Open311Error(403, str(problem)) from problem
    except services.DuplicateSubmission as problem:
        raise Open311Error(400, _("This Idempotency-Key was used for another request.")) from problem
    notice = "" if category.is_public else services.private_notice()
    rows = [{"service_request_id": str(report.pk), "service_notice": notice, "account_id": ""}]
    return render(rows, fmt, root="service_requests", item="request", status=201)


@csrf_exempt
def not_found(request, rest=""):
    return error("xml" if rest.endswith(".xml") else "json", 404, _("Unknown Open311 address."))
