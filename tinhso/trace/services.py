"""The one write path of traceability: registry, observations, sensors, products and batches."""

import datetime
import hashlib
import math
import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.changelog import log_bulk_create
from tinhso.core.images import resized_jpeg
from tinhso.core.permissions import require
from tinhso.units.models import Unit
from tinhso.units.succession import representative_on

from . import identifiers
from .models import Batch, Device, Event, Garden, Producer, Product, SensorReading, Tree, TreePhoto

EARTH_RADIUS_KM = 6371.0


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


def coordinate_errors(unit: Unit, latitude, longitude) -> dict[str, str]:
    centre = commune_centre(unit)
    if centre is None or latitude is None or longitude is None:
        return {}
    if distance_km(latitude, longitude, *centre) > settings.TRACE_COMMUNE_RADIUS_KM:
        return {"latitude": _("These coordinates are outside the commune %(commune)s.") % {"commune": unit.name}}
    return {}


def check_tree(tree: Tree, *, exclude: tuple[str, ...] = ()) -> None:
    """Field validation plus the rules across fields; raises one ValidationError with everything."""
    errors: dict[str, list] = {}
    try:
        tree.full_clean(exclude=list(exclude))
    except ValidationError as error:
        errors.update(error.message_dict)
    if tree.garden_id and tree.unit_id and tree.garden.unit_id != tree.unit_id:
        errors.setdefault("garden", []).append(_("The garden belongs to another commune."))
    if "latitude" not in errors and "longitude" not in errors and tree.unit_id:
        for field, message in coordinate_errors(tree.unit, tree.latitude, tree.longitude).items():
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
    device.save()
    return device, token


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
    product.save()
    return product


@transaction.atomic
def create_batch(*, actor, product: Product, lot: str, packed_on: datetime.date, trees=(), harvests=(), **fields):
    batch = Batch(unit_id=product.unit_id, product=product, lot=lot, packed_on=packed_on, **fields)
    require(actor, "trace.add_batch", batch)
    batch.full_clean()
    foreign = [tree.number for tree in trees if tree.unit_id != product.unit_id]
    if foreign:
        raise ValidationError({"trees": _("Trees of another commune: %(trees)s") % {"trees": ", ".join(foreign)}})
    batch.save()
    batch.trees.set(trees)
    batch.harvests.set(harvests)
    batch.link = identifiers.batch_link(batch)
    Batch.objects.filter(pk=batch.pk).update(link=batch.link)
    batch.remember_saved_state()
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


@transaction.atomic
def add_photo(tree: Tree, image, *, actor, caption: str = "") -> TreePhoto:
    """A photo made light and stripped of EXIF (core.images): a phone's photo carries the exact GPS point
    the public pages must never show."""
    photo = TreePhoto(tree=tree, caption=caption)
    require(actor, "trace.add_treephoto", photo)
    photo.image.save(f"tree-{tree.pk}.jpg", resized_jpeg(image), save=False)
    photo.full_clean()
    photo.save()
    return photo
