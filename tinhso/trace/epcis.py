"""EPCIS 2.0 JSON(-LD): reading documents posted by field apps and writing the export.

Only ObjectEvents with action OBSERVE are taken; the CBV business steps map to EventKind, the
quantity of a harvest is a quantityList entry in KGM. Extensions carry what CBV has no word for.
"""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from . import identifiers
from .choices import EventKind
from .models import Event, SensorReading, Tree

CONTEXT = ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld", {"tinhso": "https://tinhso.vn/ns/trace#"}]
CBV_PREFIXES = ("https://ref.gs1.org/cbv/BizStep-", "urn:epcglobal:cbv:bizstep:", "cbv:BizStep-")
MAX_EVENTS = 500


class DocumentError(ValueError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__(errors)


def biz_step(value: str) -> str:
    for prefix in CBV_PREFIXES:
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def find_tree(epc: str, trees) -> Tree | None:
    """A tree from its label URL, Digital Link path or short link, among the trees the caller may see."""
    if not isinstance(epc, str):
        return None
    path = epc.split("://", 1)[-1].split("/", 1)[-1] if "://" in epc else epc.lstrip("/")
    if path.startswith("t/"):
        return trees.filter(short_code=path[2:]).first()
    try:
        link = identifiers.parse_path(path)
    except identifiers.MalformedLink:
        return None
    prefix = identifiers.company_prefix()
    serial = link.value[len(prefix) :] if link.key == "giai" and prefix and link.value.startswith(prefix) else ""
    return trees.filter(pk=int(serial[1:])).first() if serial[1:].isdigit() and serial[:1] == "T" else None


def parse_document(document, trees) -> list[dict]:
    """The events of an EPCISDocument as keyword arguments for services.record_event; DocumentError lists every
    bad event (by its index in eventList) so the client can fix them all at once."""
    if not isinstance(document, dict) or document.get("type") != "EPCISDocument":
        raise DocumentError({"type": _("Send an EPCISDocument.")})
    events = (document.get("epcisBody") or {}).get("eventList")
    if not isinstance(events, list) or not events:
        raise DocumentError({"epcisBody.eventList": _("The document has no event.")})
    if len(events) > MAX_EVENTS:
        raise DocumentError(
            {"epcisBody.eventList": _("At most %(count)d events per document.") % {"count": MAX_EVENTS}}
        )
    errors, parsed = {}, []
    for index, raw in enumerate(events):
        try:
            parsed.append(_event(raw, trees))
        except DocumentError as error:
            errors |= {f"eventList[{index}].{key}": message for key, message in error.errors.items()}
    if errors:
        raise DocumentError(errors)
    return parsed


def _event(raw, trees) -> dict:
    if not isinstance(raw, dict) or raw.get("type") != "ObjectEvent" or raw.get("action") != "OBSERVE":
        raise DocumentError({"type": _("Only ObjectEvents with action OBSERVE are accepted.")})
    kind = biz_step(str(raw.get("bizStep", "")))
    if kind not in EventKind.values or kind == EventKind.SENSOR:
        raise DocumentError({"bizStep": _("Unknown business step.")})
    when = parse_datetime(str(raw.get("eventTime", "")))
    if when is None or timezone.is_naive(when):
        raise DocumentError({"eventTime": _("A date and time with its offset, e.g. 2025-04-01T08:00:00+07:00.")})
    epcs = raw.get("epcList")
    tree = find_tree(epcs[0], trees) if isinstance(epcs, list) and len(epcs) == 1 else None
    if tree is None:
        raise DocumentError({"epcList": _("One tree's label address, of a tree you may see.")})
    quantity = None
    for entry in raw.get("quantityList") or []:
        if isinstance(entry, dict) and entry.get("uom") == "KGM" and isinstance(entry.get("quantity"), int | float):
            quantity = Decimal(str(entry["quantity"])).quantize(Decimal("0.01"))
    fields = {"tree": tree, "kind": kind, "event_time": when, "quantity_kg": quantity}
    for key, name, size in (("tinhso:inputs", "inputs", 200), ("tinhso:performedBy", "performed_by", 120)):
        fields[name] = str(raw.get(key, ""))[:size]
    fields["note"] = str(raw.get("tinhso:note", ""))[:2000]
    if raw.get("eventID"):
        fields["event_id"] = str(raw["eventID"])[:120]
    return fields


def event_json(event: Event) -> dict:
    data = {
        "type": "ObjectEvent",
        "eventID": event.event_id,
        "eventTime": event.event_time.isoformat(),
        "eventTimeZoneOffset": "+07:00",
        "epcList": [event.tree.link],
        "action": "OBSERVE",
        "bizStep": event.kind,
    }
    if event.quantity_kg is not None:
        data["quantityList"] = [{"epcClass": event.tree.link, "quantity": float(event.quantity_kg), "uom": "KGM"}]
    for key, value in (("tinhso:inputs", event.inputs), ("tinhso:performedBy", event.performed_by)):
        if value:
            data[key] = value
    return data


def reading_json(reading: SensorReading, tree: Tree) -> dict:
    elements = []
    for kind, uom, value in (
        ("gs1:Temperature", "CEL", reading.temperature_c),
        ("gs1:RelativeHumidity", "A93", reading.humidity_percent),
        ("gs1:SoilMoisture", "P1", reading.soil_moisture_percent),
    ):
        if value is not None:
            elements.append({"type": kind, "value": float(value), "uom": uom})
    return {
        "type": "ObjectEvent",
        "eventTime": reading.time.isoformat(),
        "eventTimeZoneOffset": "+07:00",
        "epcList": [tree.link],
        "action": "OBSERVE",
        "bizStep": EventKind.SENSOR,
        "sensorElementList": [
            {"sensorMetadata": {"deviceID": f"urn:tinhso:device:{reading.device.device_id}"}, "sensorReport": elements}
        ],
    }


def document(events: list[dict]) -> dict:
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": datetime.datetime.now(datetime.UTC).isoformat(),
        "epcisBody": {"eventList": events},
    }
