"""OASIS Common Alerting Protocol 1.2: read an alert (validated against the official XSD) and write one.

An imported alert becomes an emergency bulletin for the clusters of the units its areas name; a Cancel
(or Update) names the alerts it replaces in ``references``. Every emergency can be exported as CAP 1.2.
No Django models are imported at module level: ``unit_codes_for`` loads today's units only when it is not
given them, so the bridge, the API and the tests can all use this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from lxml import etree

from tinhso.core.text import fold

from .schedule import VIETNAM

NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
SCHEMA_PATH = Path(__file__).parent / "schemas" / "CAP-v1.2.xsd"
UNIT_GEOCODE = "VN-DVHC"  # danh mục đơn vị hành chính: the official unit codes of the General Statistics Office
MAX_BYTES = 1_000_000
NAME_PREFIXES = (
    "tinh ",
    "thanh pho ",
    "huyen ",
    "thi xa ",
    "quan ",
    "xa ",
    "phuong ",
    "thi tran ",
    "thon ",
    "ban ",
    "to dan pho ",
    "lang ",
)
AREA_SEPARATORS = re.compile(r"[;,]|\s+và\s+")
LEVEL_SEVERITY = {"emergency": "Extreme", "priority": "Severe", "normal": "Moderate"}


class CapError(ValueError):
    """A CAP document we cannot accept; the message lists every problem in the user's language."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(_("The CAP alert was not accepted: %(problems)s") % {"problems": " ".join(problems)})


@dataclass
class CapArea:
    description: str
    geocodes: dict[str, list[str]] = field(default_factory=dict)  # valueName -> values


@dataclass
class CapAlert:
    identifier: str
    sender: str
    sent: datetime
    status: str
    msg_type: str
    scope: str
    references: list[str] = field(default_factory=list)  # "sender,identifier,sent" triples
    headline: str = ""
    description: str = ""
    instruction: str = ""
    event: str = ""
    urgency: str = ""
    severity: str = ""
    certainty: str = ""
    expires: datetime | None = None
    areas: list[CapArea] = field(default_factory=list)

    @property
    def referenced_identifiers(self) -> list[str]:
        """The identifiers of the alerts a Cancel or Update replaces."""
        return [triple.split(",")[1] for triple in self.references if triple.count(",") == 2]


@dataclass
class CapMessage:
    """What ``build_cap`` writes: a plain object so that it needs no model (see ``message_from_bulletin``)."""

    identifier: str
    sender: str
    sent: datetime
    headline: str
    description: str
    areas: list[CapArea]
    msg_type: str = "Alert"
    references: list[str] = field(default_factory=list)
    event: str = "Thông báo khẩn cấp"
    category: str = "Safety"
    urgency: str = "Immediate"
    severity: str = "Extreme"
    certainty: str = "Likely"
    instruction: str = ""
    expires: datetime | None = None
    sender_name: str = ""


# Reading ---------------------------------------------------------------------------------------------------


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def _safe_parser() -> etree.XMLParser:
    # No entities, no DTD, no network: an alert comes from outside and must not reach into the server.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse_cap(xml: bytes) -> CapAlert:
    """Validate against the OASIS CAP 1.2 schema first; CapError lists every problem."""
    if len(xml) > MAX_BYTES:
        raise CapError([_("The file is larger than 1 MB.")])
    try:
        root = etree.fromstring(xml, _safe_parser())
    except etree.XMLSyntaxError as error:
        raise CapError([_("The file is not well-formed XML (line %(line)s).") % {"line": error.lineno}]) from None
    if root.getroottree().docinfo.doctype:
        raise CapError([_("A CAP alert may not declare a DOCTYPE.")])
    if root.tag != f"{{{NAMESPACE}}}alert":
        raise CapError(
            [_("This is not a CAP 1.2 alert (the document starts with <%(tag)s>).") % {"tag": _local(root.tag)}]
        )
    if not schema().validate(root):
        raise CapError([_schema_problem(entry) for entry in schema().error_log])
    alert = _alert_from(root)
    if alert.msg_type in ("Cancel", "Update") and not alert.referenced_identifiers:
        raise CapError([_("A Cancel or Update must name the alert it replaces in <references>.")])
    return alert


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else str(tag)


ELEMENT = re.compile(r"Element '(?:\{[^}]*\})?([\w]+)'")
EXPECTED = re.compile(r"Expected is(?: one of)? \( ([^)]*) \)")
VALUE = re.compile(r"The value '([^']*)'|'([^']*)' is not a valid value")


def _schema_problem(entry) -> str:
    """lxml's English schema error, retold for a person: which line, which element, what is wrong."""
    element = (ELEMENT.search(entry.message) or [None, "?"])[1]
    expected = EXPECTED.search(entry.message)
    expected_names = ", ".join(f"<{_local_name(name)}>" for name in expected[1].split(",")) if expected else ""
    values = {"line": entry.line, "element": element, "expected": expected_names}
    if "Missing child element" in entry.message:
        return _("Line %(line)s: <%(element)s> is missing %(expected)s.") % values
    if "not expected" in entry.message and expected:
        return _("Line %(line)s: <%(element)s> is out of place; %(expected)s is required here.") % values
    if "not expected" in entry.message:
        return _("Line %(line)s: <%(element)s> is not allowed here.") % values
    value = VALUE.search(entry.message)
    if value:
        values["value"] = value[1] or value[2]
        return _("Line %(line)s: <%(element)s> has an invalid value “%(value)s”.") % values
    return _("Line %(line)s: <%(element)s> does not follow the CAP 1.2 schema.") % values


def _local_name(name: str) -> str:
    return name.strip().rsplit("}", 1)[-1]


def _text(node, name: str) -> str:
    found = node.find(f"{{{NAMESPACE}}}{name}")
    return (found.text or "").strip() if found is not None else ""


def _time(value: str) -> datetime | None:
    return datetime.fromisoformat(value).astimezone(VIETNAM) if value else None


def _alert_from(root) -> CapAlert:
    info = _chosen_info(root)
    alert = CapAlert(
        identifier=_text(root, "identifier"),
        sender=_text(root, "sender"),
        sent=datetime.fromisoformat(_text(root, "sent")).astimezone(VIETNAM),  # required by the schema
        status=_text(root, "status"),
        msg_type=_text(root, "msgType"),
        scope=_text(root, "scope"),
        references=_text(root, "references").split(),
    )
    if info is None:
        return alert
    for name in ("headline", "description", "instruction", "event", "urgency", "severity", "certainty"):
        setattr(alert, name, _text(info, name))
    alert.expires = _time(_text(info, "expires"))
    alert.areas = [_area_from(area) for area in info.iterfind(f"{{{NAMESPACE}}}area")]
    return alert


def _chosen_info(root):
    """The Vietnamese <info> when there is one (an alert may carry one per language), else the first."""
    infos = root.findall(f"{{{NAMESPACE}}}info")
    for info in infos:
        if _text(info, "language").lower().startswith("vi"):
            return info
    return infos[0] if infos else None


def _area_from(node) -> CapArea:
    geocodes: dict[str, list[str]] = {}
    for geocode in node.iterfind(f"{{{NAMESPACE}}}geocode"):
        geocodes.setdefault(_text(geocode, "valueName"), []).append(_text(geocode, "value"))
    return CapArea(description=_text(node, "areaDesc"), geocodes=geocodes)


# Areas -> units --------------------------------------------------------------------------------------------


def unit_codes_for(alert: CapAlert, *, units=None, former=None) -> list[str]:
    """The official codes of the units the alert's areas name.

    An area with ``VN-DVHC`` geocodes names its units by code; otherwise each name in its areaDesc
    ("Xã Xuân Ái; Xã Khánh Hòa") is matched, without accents and without the "xã/thôn/..." word, to the
    units valid today; a name no unit has today is looked up among former units and followed to the unit
    that carries on their territory today (a warning system may still say "Xã Yên Hợp" after the merger).
    ``units``: (code, name) pairs valid today; ``former``: name -> codes today of former units with that
    name (both default to the database). Unknown codes, unknown or ambiguous names -> CapError, so nothing
    is broadcast to a guessed place.
    """
    if units is None:
        units, former = _units_valid_today(), former or _successors_of_former_units
    known = {code for code, _name in units}
    by_name: dict[str, set[str]] = {}
    for code, name in units:
        by_name.setdefault(_name_key(name), set()).add(code)
    codes, problems = [], []
    for area in alert.areas:
        found, area_problems = _codes_of_area(area, known, by_name, former)
        codes += [code for code in found if code not in codes]
        problems += area_problems
    if not codes and not problems:
        problems.append(_("The alert names no area."))
    if problems:
        raise CapError(problems)
    return codes


def _codes_of_area(area: CapArea, known, by_name, former) -> tuple[list[str], list[str]]:
    official = area.geocodes.get(UNIT_GEOCODE)
    if official:
        unknown = [code for code in official if code not in known]
        return [code for code in official if code in known], [
            _("Unknown administrative unit code %(code)s.") % {"code": code} for code in unknown
        ]
    codes, problems = [], []
    for name in filter(None, (part.strip() for part in AREA_SEPARATORS.split(area.description))):
        matches = sorted(by_name.get(_name_key(name), ())) or sorted(set(former(name)) if former else ())
        if len(matches) == 1:
            codes.append(matches[0])
        elif matches:
            problems.append(_("“%(name)s” names several units; add a VN-DVHC geocode.") % {"name": name})
        else:
            problems.append(_("No administrative unit is called “%(name)s” today.") % {"name": name})
    return codes, problems


def _name_key(name: str) -> str:
    folded = fold(name)
    for prefix in NAME_PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix):
            return folded[len(prefix) :]
    return folded


def _units_valid_today() -> list[tuple[str, str]]:
    from tinhso.units.models import Unit  # late: this module stays importable without the app registry

    return list(Unit.objects.valid_on().values_list("code", "name"))


def _successors_of_former_units(name: str) -> list[str]:
    from django.utils import timezone

    from tinhso.units.models import Unit
    from tinhso.units.succession import representative_on

    key, today = _name_key(name), timezone.localdate()
    closed = Unit.objects.filter(valid_to__lt=today, search_name__contains=key)
    today_units = (representative_on(unit, today) for unit in closed if _name_key(unit.name) == key)
    return [unit.code for unit in today_units if unit is not None]


# Writing ---------------------------------------------------------------------------------------------------


def cap_time(moment: datetime) -> str:
    """2026-11-23T06:00:00+07:00: CAP wants seconds and an explicit offset; we always write Vietnam time."""
    return moment.astimezone(VIETNAM).replace(microsecond=0).isoformat()


def reference(sender: str, identifier: str, sent: datetime) -> str:
    return f"{sender},{identifier},{cap_time(sent)}"


def build_cap(bulletin_like, *, msg_type: str | None = None) -> bytes:
    """A CAP 1.2 <alert> (UTF-8 bytes) that validates against the OASIS schema.

    ``bulletin_like`` is a CapMessage, or any object with a bulletin's attributes (see
    ``message_from_bulletin``).
    """
    message = bulletin_like if isinstance(bulletin_like, CapMessage) else message_from_bulletin(bulletin_like, msg_type)
    root = etree.Element(f"{{{NAMESPACE}}}alert", nsmap={None: NAMESPACE})
    _add(root, "identifier", message.identifier)
    _add(root, "sender", message.sender)
    _add(root, "sent", cap_time(message.sent))
    _add(root, "status", "Actual")
    _add(root, "msgType", message.msg_type)
    _add(root, "scope", "Public")
    if message.references:
        _add(root, "references", " ".join(message.references))
    _add_info(root, message)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    schema().assertValid(etree.fromstring(xml))  # never hand out an alert that others will refuse
    return xml


def _add(parent, name: str, text: str | None = None):
    node = etree.SubElement(parent, f"{{{NAMESPACE}}}{name}")
    if text is not None:
        node.text = text
    return node


def _add_info(root, message: CapMessage) -> None:
    info = _add(root, "info")
    _add(info, "language", "vi-VN")
    _add(info, "category", message.category)
    _add(info, "event", message.event)
    _add(info, "urgency", message.urgency)
    _add(info, "severity", message.severity)
    _add(info, "certainty", message.certainty)
    if message.expires:
        _add(info, "expires", cap_time(message.expires))
    if message.sender_name:
        _add(info, "senderName", message.sender_name)
    _add(info, "headline", message.headline)
    _add(info, "description", message.description)
    if message.instruction:
        _add(info, "instruction", message.instruction)
    for area in message.areas:
        _add_area(info, area)


def _add_area(info, area: CapArea) -> None:
    node = _add(info, "area")
    _add(node, "areaDesc", area.description)
    for value_name, values in area.geocodes.items():
        for value in values:
            geocode = _add(node, "geocode")
            _add(geocode, "valueName", value_name)
            _add(geocode, "value", value)


def message_from_bulletin(bulletin, msg_type: str | None = None) -> CapMessage:
    """Duck-typed on the Bulletin model: title, text, level, unit, target_units, cap_* fields, times.

    A cancelled bulletin becomes a Cancel that references the alert; a bulletin that was itself
    imported as an Update keeps its references.
    """
    from django.conf import settings

    sender = getattr(bulletin, "cap_sender", "") or getattr(settings, "RADIO_CAP_SENDER", "tinhso-radio")
    identifier = getattr(bulletin, "cap_identifier", "") or f"tinhso-radio-{bulletin.pk}"
    sent = bulletin.broadcast_at or bulletin.created_at
    cancelled = msg_type == "Cancel" or (msg_type is None and getattr(bulletin, "status", "") == "cancelled")
    message = CapMessage(
        identifier=identifier,
        sender=sender,
        sent=sent,
        headline=bulletin.title,
        description=bulletin.text or bulletin.title,
        areas=[_area_of(unit) for unit in _targets(bulletin)],
        references=list(getattr(bulletin, "cap_references", []) or []),
        severity=LEVEL_SEVERITY.get(bulletin.level, "Unknown"),
        expires=bulletin.expires_at,
        sender_name=str(bulletin.unit),
    )
    message.msg_type = msg_type or ("Update" if message.references else "Alert")
    if cancelled:
        message.msg_type = "Cancel"
        message.references = [reference(sender, identifier, sent)]
        message.identifier = f"{identifier}-cancel"
        message.sent = getattr(bulletin, "cancelled_at", None) or sent
    return message


def _targets(bulletin) -> list:
    targets = bulletin.target_units
    targets = list(targets.all()) if hasattr(targets, "all") else list(targets)
    return targets or [bulletin.unit]


def _area_of(unit) -> CapArea:
    return CapArea(description=unit.name, geocodes={UNIT_GEOCODE: [unit.code]})
