"""CAP 1.2 alerts in and out: an alert becomes an emergency bulletin; a Cancel or an Update cancels."""

from django.core.exceptions import ValidationError
from django.db import transaction
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


def import_cap(xml: bytes, *, actor, now=None) -> tuple[Bulletin | None, list[Bulletin]]:
    """A CAP 1.2 alert becomes an emergency on the clusters of the units its area names; a Cancel cancels.

    Returns (the new bulletin or None, the bulletins cancelled). An Update cancels what it corrects and
    broadcasts the correction (J-Alert practice after a false alarm). The correction's speech is rendered
    before the transaction that cancels, saves and broadcasts.
    """
    from .. import cap

    now = now or timezone.now()
    require(actor, "radio.import_cap_bulletin")
    try:
        alert = cap.parse_cap(xml)
        codes = [] if alert.msg_type == "Cancel" else cap.unit_codes_for(alert)
    except cap.CapError as error:
        raise ValidationError(str(error)) from error
    prepared = None if alert.msg_type == "Cancel" else _prepare_alert(alert, codes, actor=actor, now=now)
    with transaction.atomic():
        cancelled = _cancel_referenced(alert, actor=actor, now=now) if alert.msg_type in ("Cancel", "Update") else []
        if prepared is None:
            if not cancelled:
                raise ValidationError(_("The CAP cancellation refers to no bulletin on air."))
            return None, cancelled
        bulletin = save_prepared(*prepared)
        broadcast(bulletin, actor=actor, now=now)
    bulletin.refresh_from_db()
    return bulletin, cancelled


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
    bulletin.cap_identifier, bulletin.cap_sender = alert.identifier, alert.sender
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
