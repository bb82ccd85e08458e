"""The one write path of traceability: registry, observations, sensors, products and batches."""

import datetime
import hashlib
import math
import re
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.changelog import log_bulk_create
from tinhso.core.images import publishable_jpeg
from tinhso.core.permissions import require
from tinhso.units.models import Unit
from tinhso.units.succession import representative_on

from . import identifiers
from . import outline as outline_module
from .models import (
    Batch,
    Certification,
    CommuneOutline,
    Device,
    Event,
    Garden,
    Producer,
    Product,
    SensorReading,
    Tree,
    TreePhoto,
)

EARTH_RADIUS_KM = 6371.0
DEVICE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def distance_km(lat1, lon1, lat2, lon2) -> float:
    phi1, phi2 = math.radians(float(lat1)), math.radians(float(lat2))
    dphi, dlambda = phi2 - phi1, math.radians(float(lon2) - float(lon1))
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def commune_centre(unit: Unit) -> tuple[Decimal, Decimal] | None:
    """The commune's centre; a unit without one borrows its representative's today (after a reform)."""
    if unit.latitude is not None and unit.longitude is not None:
        return unit.latitude, unit.longitude
    today = representative_on(unit, timezone.localdate())
    if today is not None and today.latitude is not None and today.longitude is not None:
        return today.latitude, today.longitude
    return None


def commune_outline(unit: Unit) -> dict | None:
    """The commune's imported outline (GeoJSON MultiPolygon); a unit without one borrows its
    representative's today (after a reform), like the centre."""
    outline = CommuneOutline.objects.filter(unit=unit).values_list("geometry", flat=True).first()
    if outline is None:
        today = representative_on(unit, timezone.localdate())
        if today is not None and today.pk != unit.pk:
            outline = CommuneOutline.objects.filter(unit=today).values_list("geometry", flat=True).first()
    return outline


def coordinate_errors(unit: Unit, latitude, longitude, *, outline: dict | None | bool = False) -> dict[str, str]:
    """The point must lie inside the commune's outline, or, without one, within TRACE_COMMUNE_RADIUS_KM of
    its centre. `outline` may be passed when checking many points of one commune."""
    if latitude is None or longitude is None:
        return {}
    if outline is False:
        outline = commune_outline(unit)
    if isinstance(outline, dict):
        if not outline_module.contains(outline, latitude, longitude):
            return {"latitude": _("These coordinates are outside the commune %(commune)s.") % {"commune": unit.name}}
        return {}
    centre = commune_centre(unit)
    if centre is None:
        return {}
    if distance_km(latitude, longitude, *centre) > settings.TRACE_COMMUNE_RADIUS_KM:
        return {"latitude": _("These coordinates are outside the commune %(commune)s.") % {"commune": unit.name}}
    return {}


def check_tree(tree: Tree, *, exclude: tuple[str, ...] = (), outlines: dict | None = None) -> None:
    """Field validation plus the rules across fields; raises one ValidationError with everything.
    `outlines` (a dict kept by the caller) saves looking the commune's outline up again for every row."""
    errors: dict[str, list] = {}
    try:
        tree.full_clean(exclude=list(exclude))
    except ValidationError as error:
        errors.update(error.message_dict)
    if tree.garden_id and tree.unit_id and tree.garden.unit_id != tree.unit_id:
        errors.setdefault("garden", []).append(_("The garden belongs to another commune."))
    if "latitude" not in errors and "longitude" not in errors and tree.unit_id:
        if outlines is not None and tree.unit_id not in outlines:
            outlines[tree.unit_id] = commune_outline(tree.unit)
        outline = outlines[tree.unit_id] if outlines is not None else False
        for field, message in coordinate_errors(tree.unit, tree.latitude, tree.longitude, outline=outline).items():
            errors.setdefault(field, []).append(message)
    if errors:
        raise ValidationError(errors)


# --- Registry -----------------------------------------------------------------------------


@transaction.atomic
def create_producer(*, actor, **fields) -> Producer:
    producer = Producer(**fields)
    require(actor, "trace.add_producer", producer)
    producer.full_clean()
    producer.save()
    return producer


@transaction.atomic
def create_garden(*, actor, **fields) -> Garden:
    garden = Garden(**fields)
    require(actor, "trace.add_garden", garden)
    garden.full_clean()
    if garden.producer.unit_id != garden.unit_id:
        raise ValidationError({"producer": _("The producer belongs to another commune.")})
    garden.save()
    return garden


@transaction.atomic
def create_tree(*, actor, **fields) -> Tree:
    tree = Tree(**fields)
    if tree.garden_id and not tree.unit_id:
        tree.unit_id = tree.garden.unit_id
    require(actor, "trace.add_tree", tree)
    check_tree(tree)
    tree.save()
    tree.link = identifiers.tree_link(tree)
    Tree.objects.filter(pk=tree.pk).update(link=tree.link)
    tree.remember_saved_state()
    return tree


@transaction.atomic
def update_tree(tree: Tree, *, actor, **changes) -> Tree:
    require(actor, "trace.change_tree", tree)
    for name, value in changes.items():
        setattr(tree, name, value)
    require(actor, "trace.change_tree", tree)  # again: the tree may have moved to another commune
    check_tree(tree, exclude=("short_code",))
    tree.save()
    return tree


def import_trees(rows: list[Tree], *, actor) -> list[Tree]:
    """Rows already validated by the importer: write them all in one transaction, with their links."""
    with transaction.atomic():
        for tree in rows:
            require(actor, "trace.add_tree", tree)
        created = Tree.objects.bulk_create(rows, batch_size=500)
        for tree in created:
            tree.link = identifiers.tree_link(tree)
        Tree.objects.bulk_update(created, ["link"], batch_size=500)
        log_bulk_create(created)
    return created


# --- Observations -------------------------------------------------------------------------


@transaction.atomic
def record_event(*, actor, tree: Tree, kind: str, event_time=None, **fields) -> Event:
    event = Event(
        unit_id=tree.unit_id,
        tree=tree,
        kind=kind,
        event_time=event_time or timezone.now(),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
        **fields,
    )
    event.event_id = event.event_id or f"urn:uuid:{uuid.uuid4()}"
    require(actor, "trace.add_event", event)
    event.full_clean()
    event.save()
    return event


class DuplicateEvent(Exception):
    """The event id was already used for a different record (or by someone else)."""

    def __init__(self, event: Event):
        self.event = event
        super().__init__(_("This record was already sent with different details."))


def _same_record(earlier: Event, actor, tree: Tree, kind: str, fields: dict) -> bool:
    mine = getattr(actor, "pk", None)
    return (earlier.recorded_by_id, earlier.tree_id, earlier.kind) == (mine, tree.pk, kind) and all(
        getattr(earlier, name) == value for name, value in fields.items() if name in {"event_time", "quantity_kg"}
    )


def record_event_once(*, actor, tree: Tree, kind: str, event_id: str, **fields) -> tuple[Event, bool]:
    """Record an event a phone may send many times (kept offline, resent when the network is back):
    (event, created). The same event id with the same record returns the first one; with another
    record, or from another person, it raises DuplicateEvent and writes nothing."""
    earlier = Event.objects.filter(event_id=event_id).first()
    if earlier is not None:
        if _same_record(earlier, actor, tree, kind, fields):
            require(actor, "trace.add_event", earlier)
            return earlier, False
        raise DuplicateEvent(earlier)
    try:
        with transaction.atomic():
            return record_event(actor=actor, tree=tree, kind=kind, event_id=event_id, **fields), True
    except (ValidationError, IntegrityError) as error:
        # Two sendings racing each other: the second finds the first one's row.
        if isinstance(error, ValidationError) and "event_id" not in getattr(error, "error_dict", {}):
            raise
        earlier = Event.objects.filter(event_id=event_id).first()
        if earlier is None:
            raise
        if _same_record(earlier, actor, tree, kind, fields):
            return earlier, False
        raise DuplicateEvent(earlier) from error


def record_events(events: list[dict], *, actor) -> list[Event]:
    """Several events, all or nothing (an EPCIS document)."""
    with transaction.atomic():
        return [record_event(actor=actor, **event) for event in events]


# --- Sensors ------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def register_device(*, actor, unit: Unit, device_id: str, tree: Tree | None = None, garden=None) -> tuple[Device, str]:
    """A new device and its token, shown once (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    device = Device(unit=unit, device_id=device_id, tree=tree, garden=garden, token_hash=hash_token(token))
    require(actor, "trace.add_device", device)
    device.full_clean()
    if not DEVICE_ID.match(device_id or ""):
        raise ValidationError(
            {"device_id": _("A device id has 1 to 64 letters, digits, dots, hyphens or underscores.")}
        )
    if (tree is not None and tree.unit_id != unit.pk) or (garden is not None and garden.unit_id != unit.pk):
        raise ValidationError({"tree": _("The tree or garden belongs to another commune.")})
    if tree is not None and garden is not None and tree.garden_id != garden.pk:
        raise ValidationError({"tree": _("This tree is not in that garden.")})
    device.save()
    return device, token


@transaction.atomic
def reissue_token(device: Device, *, actor) -> str:
    """A new token for the device (the old one stops working at once); a revoked device works again."""
    require(actor, "trace.change_device", device)
    token = secrets.token_urlsafe(32)
    device.token_hash, device.revoked_at = hash_token(token), None
    device.save()
    return token


@transaction.atomic
def revoke_device(device: Device, *, actor) -> Device:
    require(actor, "trace.change_device", device)
    device.revoked_at = timezone.now()
    device.save()
    return device


def authenticate_device(device_id: str, token: str) -> Device | None:
    device = Device.objects.filter(device_id=device_id, revoked_at__isnull=True).first()
    if device is None or not secrets.compare_digest(device.token_hash, hash_token(token or "")):
        return None
    return device


def store_readings(device: Device, readings: list[dict]) -> tuple[int, int]:
    """(stored, already there): a reading at a time the device already reported is ignored."""
    objects = [
        SensorReading(
            device=device,
            tree_id=device.tree_id,
            time=reading["time"],
            temperature_c=reading.get("temperature"),
            humidity_percent=reading.get("humidity"),
            soil_moisture_percent=reading.get("soil_moisture"),
        )
        for reading in readings
    ]
    times = [reading.time for reading in objects]
    with transaction.atomic():
        known = set(SensorReading.objects.filter(device=device, time__in=times).values_list("time", flat=True))
        fresh = {reading.time: reading for reading in objects if reading.time not in known}
        # ignore_conflicts: two posts of the same reading racing each other still store it once.
        SensorReading.objects.bulk_create(fresh.values(), ignore_conflicts=True)
    return len(fresh), len(objects) - len(fresh)


# --- Products and batches -----------------------------------------------------------------


@transaction.atomic
def create_product(*, actor, **fields) -> Product:
    product = Product(**fields)
    require(actor, "trace.add_product", product)
    try:
        product.gtin = identifiers.normalise_gtin(product.gtin or "")
    except identifiers.MalformedLink as error:
        raise ValidationError({"gtin": str(error)}) from error
    product.full_clean()
    if product.producer.unit_id != product.unit_id:
        raise ValidationError({"producer": _("The producer belongs to another commune.")})
    product.save()
    return product


@transaction.atomic
def create_batch(*, actor, product: Product, lot: str, packed_on: datetime.date, trees=(), harvests=(), **fields):
    batch = Batch(unit_id=product.unit_id, product=product, lot=lot, packed_on=packed_on, **fields)
    require(actor, "trace.add_batch", batch)
    batch.full_clean()
    _check_batch_links(batch, trees, harvests)
    batch.save()
    batch.trees.set(trees)
    batch.harvests.set(harvests)
    batch.link = identifiers.batch_link(batch)
    Batch.objects.filter(pk=batch.pk).update(link=batch.link)
    batch.remember_saved_state()
    return batch


@transaction.atomic
def update_product(product: Product, *, actor, **changes) -> Product:
    require(actor, "trace.change_product", product)
    for name, value in changes.items():
        setattr(product, name, value)
    require(actor, "trace.change_product", product)
    try:
        product.gtin = identifiers.normalise_gtin(product.gtin or "")
    except identifiers.MalformedLink as error:
        raise ValidationError({"gtin": str(error)}) from error
    product.full_clean()
    if product.producer.unit_id != product.unit_id:
        raise ValidationError({"producer": _("The producer belongs to another commune.")})
    product.save()
    return product


@transaction.atomic
def add_certification(*, actor, product: Product, **fields) -> Certification:
    certification = Certification(product=product, **fields)
    require(actor, "trace.add_certification", certification)
    certification.full_clean()
    if certification.valid_to and certification.valid_to < certification.valid_from:
        raise ValidationError({"valid_to": _("The end of validity is before its start.")})
    certification.save()
    return certification


def _check_batch_links(batch: Batch, trees, harvests) -> None:
    foreign = [tree.number for tree in trees if tree.unit_id != batch.unit_id]
    if foreign:
        raise ValidationError({"trees": _("Trees of another commune: %(trees)s") % {"trees": ", ".join(foreign)}})
    wrong = [str(event.pk) for event in harvests if event.unit_id != batch.unit_id or event.kind != "harvesting"]
    if wrong:
        raise ValidationError({"harvests": _("These records are not harvests of this commune.")})


@transaction.atomic
def update_batch(batch: Batch, *, actor, trees=None, harvests=None, **changes) -> Batch:
    """Packing day, processing, trees and harvests. Product and lot make the printed label's address, so
    they stay; a recall goes through `recall_batch`."""
    require(actor, "trace.change_batch", batch)
    fixed = set(changes) & {"product", "product_id", "lot", "is_recalled", "recall_reason", "link", "short_code"}
    if fixed or set(changes) & {"unit", "unit_id"}:
        raise ValidationError(_("This field cannot be changed once the label exists."))
    for name, value in changes.items():
        setattr(batch, name, value)
    batch.full_clean(exclude=["short_code"])
    _check_batch_links(batch, trees or [], harvests or [])
    batch.save()
    if trees is not None:
        batch.trees.set(trees)
    if harvests is not None:
        batch.harvests.set(harvests)
    return batch


@transaction.atomic
def recall_batch(batch: Batch, *, actor, reason: str) -> Batch:
    require(actor, "trace.change_batch", batch)
    if not reason.strip():
        raise ValidationError({"recall_reason": _("Say why the batch is recalled.")})
    batch.is_recalled, batch.recall_reason = True, reason.strip()
    batch.save()
    return batch


# --- Photos -------------------------------------------------------------------------------

PHOTO_MAX_PIXELS = 1280


@transaction.atomic
def add_photo(tree: Tree, image, *, actor, caption: str = "") -> TreePhoto:
    """A photo resized to 1,280 px and re-encoded as JPEG: light on 3G, and with no EXIF (a phone's
    photo carries the exact GPS point the public pages must never show). Only this copy is kept."""
    from django.core.files.base import ContentFile

    photo = TreePhoto(tree=tree, caption=caption)
    require(actor, "trace.add_treephoto", photo)
    try:
        data = publishable_jpeg(image, max_pixels=PHOTO_MAX_PIXELS)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from error
    photo.image.save(f"tree-{tree.pk}.jpg", ContentFile(data), save=False)
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic
def remove_photo(photo: TreePhoto, *, actor) -> None:
    require(actor, "trace.delete_treephoto", photo)
    name = photo.image.name
    photo.delete()
    if name:
        storage = photo.image.storage
        transaction.on_commit(lambda: storage.delete(name))


# --- Commune outline ----------------------------------------------------------------------


@transaction.atomic
def import_commune_outline(*, actor, unit: Unit, data: bytes, source_name: str = "") -> CommuneOutline:
    """Replace the commune's outline with the GeoJSON in `data`, checked whole first (ValidationError with
    every problem, nothing written). Trees already registered outside the new outline are refused too, so
    the outline and the registry never disagree."""
    existing = CommuneOutline.objects.filter(unit=unit).first()
    outline = existing or CommuneOutline(unit=unit)
    require(actor, "trace.change_communeoutline" if existing else "trace.add_communeoutline", outline)
    geometry = outline_module.parse(data)
    outside = [
        number
        for number, latitude, longitude in Tree.objects.filter(unit=unit).values_list("number", "latitude", "longitude")
        if latitude is not None and not outline_module.contains(geometry, latitude, longitude)
    ]
    if outside:
        shown = ", ".join(outside[:10]) + (" …" if len(outside) > 10 else "")
        raise ValidationError(
            _("%(count)d registered trees would be outside this outline: %(trees)s. Check the file or the trees.")
            % {"count": len(outside), "trees": shown}
        )
    outline.geometry = geometry
    outline.source_name = source_name[:255]
    outline.save()
    return outline
