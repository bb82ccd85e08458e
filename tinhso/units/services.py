"""The one write path for administrative units and organisations."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from tinhso.core.changelog import log_bulk_create, log_bulk_update
from tinhso.core.permissions import require
from tinhso.core.text import fold, short_date

from .choices import LEVEL_DEPTH, TYPE_PREFIX, TYPES_OF_LEVEL, UnitLevel
from .models import Organisation, Unit, UnitSuccession
from .signals import units_succeeded
from .succession import bump_tree_version

DAY = datetime.timedelta(days=1)
UNIT_EDITABLE_FIELDS = (
    "name",
    "short_name",
    "unit_type",
    "valid_to",
    "latitude",
    "longitude",
    "area_km2",
    "population",
    "households",
)


def level_of_type(unit_type: str) -> str:
    for level, types in TYPES_OF_LEVEL.items():
        if unit_type in types:
            return level
    raise ValidationError({"unit_type": _("Unknown unit type.")})


def full_name(unit_type: str, short_name: str) -> str:
    prefix = TYPE_PREFIX.get(unit_type, "")
    short_name = short_name.strip()
    if short_name.casefold().startswith(prefix.casefold() + " "):
        return short_name
    return f"{prefix} {short_name}".strip()


def _check_placement(unit: Unit) -> None:
    parent = unit.parent
    if parent is None:
        if unit.level != UnitLevel.PROVINCE:
            raise ValidationError({"parent": _("Only a province may have no parent unit.")})
        return
    if LEVEL_DEPTH[parent.level] >= LEVEL_DEPTH[unit.level]:
        raise ValidationError({"parent": _("A unit must belong to a unit of a higher level.")})
    if unit.level == UnitLevel.VILLAGE and parent.level != UnitLevel.COMMUNE:
        raise ValidationError({"parent": _("A village must belong to a commune.")})
    if not parent.is_valid_on(unit.valid_from):
        raise ValidationError(
            {"parent": _("The parent unit is not valid on %(date)s.") % {"date": short_date(unit.valid_from)}}
        )


def _check_code_free(unit: Unit) -> None:
    overlapping = Unit.objects.filter(code=unit.code).exclude(pk=unit.pk)
    overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=unit.valid_from))
    if unit.valid_to:
        overlapping = overlapping.filter(valid_from__lte=unit.valid_to)
    if overlapping.exists():
        raise ValidationError(
            {"code": _("Another unit already uses code %(code)s in this period.") % {"code": unit.code}}
        )


def _set_path(unit: Unit) -> None:
    unit.path = unit.path_from_parent()
    Unit.objects.filter(pk=unit.pk).update(path=unit.path)


def _validate(unit: Unit) -> None:
    unit.level = level_of_type(unit.unit_type)
    unit.full_clean(exclude=["path", "search_name"], validate_unique=False, validate_constraints=False)
    if unit.valid_to and unit.valid_to < unit.valid_from:
        raise ValidationError({"valid_to": _("The end date must not be before the start date.")})
    _check_placement(unit)
    _check_code_free(unit)


@transaction.atomic
def create_unit(
    *,
    actor,
    parent: Unit | None,
    code: str,
    short_name: str,
    unit_type: str,
    valid_from: datetime.date,
    is_official: bool = False,
    name: str = "",
    **extra,
) -> Unit:
    unit = Unit(
        parent=parent,
        code=code.strip(),
        short_name=short_name.strip(),
        unit_type=unit_type,
        name=name.strip() or full_name(unit_type, short_name),
        valid_from=valid_from,
        is_official=is_official,
        **extra,
    )
    _validate(unit)
    if parent is not None:
        require(actor, "units.add_unit", parent)
    elif actor is not None:
        require(actor, "units.change_official_unit")
    if is_official:
        require(actor, "units.change_official_unit")
    unit.save()
    _set_path(unit)
    require(actor, "units.add_unit", unit)
    return unit


@transaction.atomic
def update_unit(unit: Unit, *, actor, changes: dict) -> Unit:
    require(actor, "units.change_unit", unit)
    if unit.is_official:
        require(actor, "units.change_official_unit", unit)
    unknown = set(changes) - set(UNIT_EDITABLE_FIELDS) - {"parent"}
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    new_parent = changes.pop("parent", unit.parent)
    ends_changed = "valid_to" in changes and changes["valid_to"] != unit.valid_to
    for field, value in changes.items():
        setattr(unit, field, value)
    moved = new_parent != unit.parent
    if moved:
        require(actor, "units.add_unit", new_parent)
        unit.parent = new_parent
    _validate(unit)
    unit.save()
    if moved:
        _move_subtree(unit)
    if ends_changed:
        # However the end is set (this form, the API, close_unit), roles and teams follow it.
        units_succeeded.send(sender=Unit, predecessors=[unit])
    return unit


def _move_subtree(unit: Unit) -> None:
    old_path = unit.path
    _set_path(unit)
    descendants = list(Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk))
    for descendant in descendants:
        descendant.path = unit.path + descendant.path[len(old_path) :]
    Unit.objects.bulk_update(descendants, ["path"], batch_size=500)


@transaction.atomic
def succeed(
    predecessor: Unit, successor: Unit, *, actor=None, is_primary: bool = True, legal_basis: str = ""
) -> UnitSuccession:
    require(actor, "units.change_unit", predecessor)
    link, _created = UnitSuccession.objects.update_or_create(
        predecessor=predecessor,
        successor=successor,
        defaults={"is_primary": is_primary, "legal_basis": legal_basis},
    )
    units_succeeded.send(sender=Unit, predecessors=[predecessor])
    return link


@transaction.atomic
def close_unit(unit: Unit, *, actor, last_day: datetime.date) -> Unit:
    """End a unit's validity (it is never deleted: its history and figures stay)."""
    return update_unit(unit, actor=actor, changes={"valid_to": last_day})


@transaction.atomic
def carry_children_over(
    old_parent: Unit, new_parent: Unit, *, day: datetime.date, actor=None, legal_basis: str = ""
) -> list[Unit]:
    """On `day`, the children of `old_parent` continue under `new_parent` as new versions.

    Used when a commune is merged or renamed: its villages keep their history and codes, and
    new versions (linked as successors) belong to the new commune from `day` on.
    """
    require(actor, "units.change_unit", old_parent)
    require(actor, "units.add_unit", new_parent)
    if not new_parent.is_valid_on(day):
        raise ValidationError({"parent": _("The parent unit is not valid on %(date)s.") % {"date": short_date(day)}})
    children = list(old_parent.children.valid_on(day - DAY).exclude(valid_to=day - DAY))
    before = [(child.change_log_snapshot(), child) for child in children]
    for child in children:
        child.valid_to = day - DAY
    Unit.objects.bulk_update(children, ["valid_to"], batch_size=500)
    log_bulk_update(before)
    copies = Unit.objects.bulk_create([_version_of(child, new_parent, day) for child in children], batch_size=500)
    for copy in copies:
        copy.path = f"{new_parent.path}{copy.pk}/"
    Unit.objects.bulk_update(copies, ["path"], batch_size=500)
    log_bulk_create(copies)
    links = UnitSuccession.objects.bulk_create(
        [
            UnitSuccession(predecessor=child, successor=copy, legal_basis=legal_basis)
            for child, copy in zip(children, copies, strict=True)
        ],
        batch_size=500,
    )
    log_bulk_create(links)
    bump_tree_version()
    units_succeeded.send(sender=Unit, predecessors=children)
    return copies


def _version_of(child: Unit, parent: Unit, day: datetime.date) -> Unit:
    fields = {
        name: getattr(child, name)
        for name in (
            "code",
            "name",
            "short_name",
            "level",
            "unit_type",
            "is_official",
            "latitude",
            "longitude",
            "area_km2",
            "population",
            "households",
            "search_name",
            "depth",
        )
    }
    return Unit(parent=parent, valid_from=day, **fields)


def _organisation_fields(organisation: Organisation, data: dict, actor) -> None:
    for field, value in data.items():
        setattr(organisation, field, value)
    organisation.full_clean(exclude=["search_name"])
    _check_organisation_parent(organisation, actor)


def _check_organisation_parent(organisation: Organisation, actor) -> None:
    """The parent is one the actor may see (an id sent by a client is not trusted on its own), and not
    the organisation itself or one below it (the tree of organisations has no loops)."""
    parent = organisation.parent
    if parent is None:
        return
    require(actor, "units.view_organisation", parent)
    seen = set()
    while parent is not None and parent.pk not in seen:
        if organisation.pk is not None and parent.pk == organisation.pk:
            raise ValidationError({"parent": _("An organisation cannot belong to itself or to one below it.")})
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
def create_organisation(*, actor, data: dict) -> Organisation:
    organisation = Organisation()
    _organisation_fields(organisation, data, actor)
    require(actor, "units.add_organisation", organisation)
    organisation.save()
    return organisation


@transaction.atomic
def update_organisation(organisation: Organisation, *, actor, data: dict) -> Organisation:
    require(actor, "units.change_organisation", organisation)
    _organisation_fields(organisation, data, actor)
    require(actor, "units.change_organisation", organisation)
    organisation.save()
    return organisation


def next_village_code(commune: Unit, taken: set[str] | None = None) -> str:
    """Villages have no national code: ours are the commune's code and a number, '04441-07'."""
    taken = (
        taken
        if taken is not None
        else set(Unit.objects.filter(code__startswith=f"{commune.code}-").values_list("code", flat=True))
    )
    number = 1
    while f"{commune.code}-{number:02d}" in taken:
        number += 1
    return f"{commune.code}-{number:02d}"


@transaction.atomic
def delete_unit(unit: Unit, *, actor) -> None:
    """Remove a unit entered by mistake. Units with history are closed, never deleted."""
    require(actor, "units.delete_unit", unit)
    if unit.is_official:
        require(actor, "units.change_official_unit", unit)
    if unit.children.exists() or unit.successor_links.exists() or unit.predecessor_links.exists():
        raise ValidationError(_("This unit has units below it or a succession history; close it instead."))
    unit.delete()


@transaction.atomic
def delete_organisation(organisation: Organisation, *, actor) -> None:
    require(actor, "units.delete_organisation", organisation)
    organisation.delete()


@transaction.atomic
def create_villages(rows: list[tuple[Unit, dict]], *, actor, report=None) -> list[Unit]:
    """Many villages at once (imports): rows of (commune, fields) already checked field by field.

    The same rules as create_unit, checked once per commune, then bulk writes with a change-log
    entry per village.
    """
    for commune in {commune.pk: commune for commune, _fields in rows}.values():
        require(actor, "units.add_unit", commune)
        if commune.level != UnitLevel.COMMUNE:
            raise ValidationError({"parent": _("A village must belong to a commune.")})
    villages = [
        Unit(
            parent=commune,
            level=UnitLevel.VILLAGE,
            depth=LEVEL_DEPTH[UnitLevel.VILLAGE],
            search_name=fold(f"{fields['name']} {fields['short_name']}")[:150],
            **fields,
        )
        for commune, fields in rows
    ]
    created: list[Unit] = []
    for start in range(0, len(villages), 500):
        created += Unit.objects.bulk_create(villages[start : start + 500])
        if report:
            report(len(created))
    set_paths_from_parents([village.pk for village in created])
    for village, (commune, _fields) in zip(created, rows, strict=True):
        village.path = f"{commune.path}{village.pk}/"
    log_bulk_create(created)
    bump_tree_version()
    return created


def set_paths_from_parents(unit_ids: list[int]) -> None:
    """path = parent's path + own id, for many units in one statement per 5,000."""
    parent_path = Subquery(Unit.objects.filter(pk=OuterRef("parent_id")).values("path")[:1])
    for start in range(0, len(unit_ids), 5000):
        Unit.objects.filter(pk__in=unit_ids[start : start + 5000]).update(
            path=Concat(parent_path, Cast("id", CharField()), Value("/"), output_field=CharField())
        )


def start_village_import(uploaded, *, actor):
    """Import villages from a spreadsheet in the background (the page and the API both start it here)."""
    from tinhso.core.jobs import start_job

    require(actor, "units.add_unit")
    return start_job(
        kind="units.import_villages",
        title=_("Import villages: %(file)s") % {"file": uploaded.name},
        actor=actor,
        input_file=uploaded,
    )
