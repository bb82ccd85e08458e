"""Where a citizen who registers by themselves may live: today's communes (and their villages) of the
province named by SELF_REGISTRATION_PROVINCE, read from the units snapshot (no query per unit)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import ngettext_lazy

from tinhso.core.text import fold
from tinhso.units.choices import UnitLevel
from tinhso.units.snapshot import UnitVersion, snapshot_on


def communes() -> list[UnitVersion]:
    """The communes in force today under the registration province, by name; none when registration is off."""
    code = settings.SELF_REGISTRATION_PROVINCE
    snapshot = snapshot_on(timezone.localdate())
    province = snapshot.by_code(code) if code else None
    if province is None or province.level != UnitLevel.PROVINCE:
        return []
    return sorted(snapshot.current(UnitLevel.COMMUNE, under=province.id), key=lambda unit: fold(unit.name))


def village_named(commune_id: int, name: str) -> UnitVersion | None:
    """The village in force today of this commune whose name (accents and case aside) is `name`."""
    wanted = fold(name.strip())
    snapshot = snapshot_on(timezone.localdate())
    return next(
        (
            each
            for each in snapshot.current(UnitLevel.VILLAGE, under=commune_id)
            if fold(each.name) == wanted or fold(each.name).split(" ", 1)[-1] == wanted
        ),
        None,
    )


# Django's Vietnamese catalogue lacks the password-length message a person meets when registering: it is
# declared here so that this module's catalogue carries it.
PASSWORD_TOO_SHORT = ngettext_lazy(
    "This password is too short. It must contain at least %d character.",
    "This password is too short. It must contain at least %d characters.",
    10,
)
