"""CAP 1.2 alerts in and out: an alert becomes an emergency bulletin; a Cancel or an Update cancels."""

from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.permissions import require
from tinhso.units.models import Unit

from ..choices import BulletinLevel
from ..models import Bulletin
from .broadcasting import broadcast, cancel
from .bulletins import MAX_TEXT, prepare_bulletin, save_prepared
from .clusters import sender_unit_for


def _cap_identifiers(references: list[str]) -> list[str]:
    # CAP references are "sender,identifier,sent" triplets.
    return [parts[1] for parts in (reference.split(",") for reference in references) if len(parts) >= 2]


def _cancel_referenced(alert, *, actor, now) -> list[Bulletin]:
    identifiers = _cap_identifiers(alert.references)
    found = Bulletin.objects.filter(cap_identifier__in=identifiers)
    cancelled = []
    for bulletin in found:
        if bulletin.is_open:
            cancel(bulletin, actor=actor, now=now)
            cancelled.append(bulletin)
    return cancelled


def _cap_text(alert) -> str:
    parts = [alert.headline, alert.description, alert.instruction]
    return "\n".join(part.strip() for part in parts if part and part.strip())[:MAX_TEXT]


class CapImport(NamedTuple):
    """What importing a CAP alert did: the bulletin it broadcasts (None for a Cancel), the bulletins it
    cancelled, and whether this very alert had been received before (then nothing was sent again)."""

    bulletin: Bulletin | None
    cancelled: list[Bulletin]
    already_received: bool = False


def import_cap(xml: bytes, *, actor, now=None) -> CapImport:
    """A CAP 1.2 alert becomes an emergency on the clusters of the units its area names; a Cancel cancels.

    An Update cancels what it corrects and broadcasts the correction (J-Alert practice after a false alarm).
    The correction's speech is rendered before the transaction that cancels, saves and broadcasts.

    CAP feeds send an alert again (every poll of an Atom feed, every retry of a relay): an alert whose sender,
    identifier and sent time were received before is recognised and changes nothing, so one flood warning
    never becomes two emergencies on the loudspeakers.
    """
    from .. import cap

    now = now or timezone.now()
    require(actor, "radio.import_cap_bulletin")
    try:
        alert = cap.parse_cap(xml)
    except cap.CapError as error:
        raise ValidationError(str(error)) from error
    earlier = _received_before(alert)
    if earlier is not None:
        return earlier
    try:
        codes = [] if alert.msg_type == "Cancel" else cap.unit_codes_for(alert)
    except cap.CapError as error:
        raise ValidationError(str(error)) from error
    prepared = None if alert.msg_type == "Cancel" else _prepare_alert(alert, codes, actor=actor, now=now)
    try:
        with transaction.atomic():
            cancelled = (
                _cancel_referenced(alert, actor=actor, now=now) if alert.msg_type in ("Cancel", "Update") else []
            )
            if prepared is None:
                if not cancelled:
                    raise ValidationError(_("The CAP cancellation refers to no bulletin on air."))
                return CapImport(None, cancelled)
            bulletin = save_prepared(*prepared)
            broadcast(bulletin, actor=actor, now=now)
    except IntegrityError:
        # The same alert arrived twice at the same moment: the other request stored and broadcast it.
        earlier = _received_before(alert)
        if earlier is None:
            raise
        return earlier
    bulletin.refresh_from_db()
    return CapImport(bulletin, cancelled)


def _received_before(alert) -> CapImport | None:
    """This alert (sender, identifier, sent) imported before: its bulletin, or for a Cancel the bulletins it
    cancelled when all of them are already cancelled."""
    same = Bulletin.objects.filter(cap_sender=alert.sender, cap_identifier=alert.identifier, cap_sent=alert.sent)
    if bulletin := same.first():
        return CapImport(bulletin, [], already_received=True)
    if alert.msg_type == "Cancel":
        referenced = list(Bulletin.objects.filter(cap_identifier__in=_cap_identifiers(alert.references)))
        if referenced and not any(item.is_open for item in referenced):
            return CapImport(None, referenced, already_received=True)
    return None


def _prepare_alert(alert, codes: list[str], *, actor, now) -> tuple[Bulletin, list, list]:
    units = list(Unit.objects.valid_on(timezone.localdate()).filter(code__in=codes))
    bulletin, targets, clusters = prepare_bulletin(
        actor=actor,
        title=(alert.headline or alert.event or "")[:200],
        text=_cap_text(alert),
        level=BulletinLevel.EMERGENCY,
        targets=units,
        expires_at=alert.expires,
        now=now,
        unit=_cap_sender_unit(actor, units),
    )
    bulletin.cap_identifier, bulletin.cap_sender, bulletin.cap_sent = alert.identifier, alert.sender, alert.sent
    bulletin.cap_references = list(alert.references)
    return bulletin, targets, clusters


def _cap_sender_unit(actor, units) -> Unit | None:
    unit = sender_unit_for(actor)
    if unit is None and units:  # the platform itself imports: the province of the first area sends it
        first = units[0]
        unit = Unit.objects.filter(pk__in=first.ancestor_ids, depth=0).first() or first
    return unit


def export_cap(bulletin: Bulletin) -> bytes:
    from .. import cap

    return cap.build_cap(bulletin)
