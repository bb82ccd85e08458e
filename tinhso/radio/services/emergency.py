"""An emergency for the villages around a point (a landslide a resident reported...): the draft bulletin
other modules ask for through `tinhso.core.place_actions` (registered in apps.py). It is only a draft: the
officer reads it and puts it on air from the bulletin's page, under radio's own rules (permission on every
target, two-step verification for broadcasting)."""

import math

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.units.choices import UnitLevel
from tinhso.units.models import Unit

from ..choices import BulletinLevel
from .bulletins import MAX_TEXT, prepare_bulletin, save_prepared
from .clusters import clusters_for


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def villages_around(latitude: float, longitude: float, radius_km: float) -> list[Unit]:
    """Villages of today whose point lies within `radius_km` of the point, nearest first."""
    margin = radius_km / 111.0
    stretch = margin / max(math.cos(math.radians(latitude)), 0.01)
    candidates = Unit.objects.valid_on(timezone.localdate()).filter(
        level=UnitLevel.VILLAGE,
        latitude__range=(latitude - margin, latitude + margin),
        longitude__range=(longitude - stretch, longitude + stretch),
    )
    near = [
        (distance, unit)
        for unit in candidates
        if (distance := _km(latitude, longitude, float(unit.latitude), float(unit.longitude))) <= radius_km
    ]
    return [unit for _distance, unit in sorted(near, key=lambda pair: (pair[0], pair[1].pk))]


def emergency_around(actor, *, latitude: float, longitude: float, title: str, text: str) -> str:
    """A draft emergency bulletin to the speaker clusters of the villages within RADIO_EMERGENCY_RADIUS_KM of
    the point; returns the bulletin's page, where the officer checks it and broadcasts."""
    radius = float(getattr(settings, "RADIO_EMERGENCY_RADIUS_KM", 3))
    villages = villages_around(latitude, longitude, radius)
    clusters = clusters_for(villages) if villages else []
    if not clusters:
        raise ValidationError(
            _("No speaker cluster in the villages within %(radius)s km of this place.") % {"radius": f"{radius:g}"}
        )
    bulletin, units, chosen = prepare_bulletin(
        actor=actor,
        title=(title or "")[:200],
        text=(text or "")[:MAX_TEXT],
        level=BulletinLevel.EMERGENCY,
        clusters=clusters,
    )
    return save_prepared(bulletin, units, chosen).get_absolute_url()


HELP = gettext_lazy(
    "Prepares an emergency bulletin for the speakers of the villages nearby; "
    "you check it and broadcast it on the radio page."
)


HELP = gettext_lazy(
    "Prepares an emergency bulletin for the speakers of the villages nearby; "
    "you check it and broadcast it on the radio page."
)


def register_place_actions() -> None:
    from tinhso.core import place_actions

    place_actions.register(
        place_actions.PlaceAction(
            "radio.emergency_around",
            gettext_lazy("Radio emergency for the villages around"),
            "radio.add_bulletin",
            run=emergency_around,
            help_text=HELP,
        )
    )
