"""Import villages (thôn, bản, tổ dân phố) from Excel or CSV: every row is checked first;
if any row is wrong nothing is written and every bad row is reported."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.imports import ImportRejected, RowError, cell_date, read_table
from tinhso.core.jobs import job_handler
from tinhso.core.text import fold, short_date

from ..choices import TYPE_PREFIX, TYPES_OF_LEVEL, UnitLevel, type_from_word
from ..models import Unit
from ..services import create_villages, full_name, next_village_code

COLUMNS = {
    "commune_code": ("Mã xã", "Mã đơn vị cấp xã", "commune code", "commune_code"),
    "name": ("Tên thôn", "Tên", "Tên thôn, bản, tổ dân phố", "name", "village"),
    "unit_type": ("Loại", "Loại đơn vị", "type", "unit_type"),
    "code": ("Mã thôn", "Mã", "code"),
    "valid_from": ("Hiệu lực từ", "Ngày hiệu lực", "valid from", "valid_from"),
    "households": ("Số hộ", "households"),
    "population": ("Dân số", "Số nhân khẩu", "population"),
}
VILLAGE_TYPES = TYPES_OF_LEVEL[UnitLevel.VILLAGE]


class VillagePlan:
    """What one valid row will create."""

    def __init__(self, row: int, commune: Unit, **fields):
        self.row, self.commune, self.fields = row, commune, fields


def import_villages(uploaded, *, actor, progress=None, day: datetime.date | None = None) -> dict:
    rows = read_table(uploaded, COLUMNS, required=("commune_code", "name"))
    plans = validate_rows(rows, actor=actor, day=day or timezone.localdate(), progress=progress)
    return write_villages(plans, actor=actor, progress=progress)


def validate_rows(rows: list[dict], *, actor, day: datetime.date, progress=None) -> list[VillagePlan]:
    communes = {unit.code: unit for unit in Unit.objects.valid_on(day).filter(level=UnitLevel.COMMUNE)}
    # Communes where the actor may add villages (None: the platform itself imports).
    scope = set(Unit.objects.valid_on(day).restrict(actor, "add").values_list("pk", flat=True)) if actor else None
    existing = _existing_names(day)
    taken_codes = set(Unit.objects.filter(level=UnitLevel.VILLAGE).values_list("code", flat=True))
    errors, plans = [], []
    for index, row in enumerate(rows, start=1):
        row_errors, plan = _check_row(row, communes, scope, existing, taken_codes, day)
        errors += row_errors
        if plan:
            plans.append(plan)
        if progress and index % 200 == 0:
            progress(index, len(rows) * 2, _("Checking row %(row)d") % {"row": index})
    if errors:
        raise ImportRejected(errors)
    return plans


def _existing_names(day) -> set[tuple[int, str]]:
    villages = Unit.objects.valid_on(day).filter(level=UnitLevel.VILLAGE).values_list("parent_id", "name")
    return {(parent_id, fold(name)) for parent_id, name in villages}


def _check_row(row, communes, scope, existing, taken_codes, day):
    number, errors = row["_row"], []

    def error(column, message):
        errors.append(RowError(row=number, column=column, message=message))

    commune = communes.get(str(row.get("commune_code", "")).strip())
    if commune is None:
        error(
            "commune_code",
            _("No commune has code “%(code)s” on %(date)s.")
            % {"code": row.get("commune_code", ""), "date": short_date(day)},
        )
    elif scope is not None and commune.pk not in scope:
        error(
            "commune_code",
            _("Commune %(name)s is outside your administrative units.") % {"name": commune.name},
        )
    unit_type = _type(row.get("unit_type", ""))
    if unit_type is None:
        error(
            "unit_type",
            _("Unknown type “%(type)s”: use Thôn, Bản, Tổ dân phố, Làng, Xóm, Ấp, Khóm or Buôn.")
            % {"type": row.get("unit_type")},
        )
    short_name = _short_name(str(row.get("name", "")), unit_type)
    if not short_name:
        error("name", _("The village name is empty."))
    elif len(short_name) > 120:
        error("name", _("The name is longer than 120 characters."))
    numbers = {}
    for column in ("households", "population"):
        value = str(row.get(column, "") or "").replace(".", "").strip()
        if value and not value.isdigit():
            error(column, _("“%(value)s” is not a whole number.") % {"value": row.get(column)})
        numbers[column] = int(value) if value.isdigit() else None
    valid_from = cell_date(row.get("valid_from"), day)
    if valid_from is None:
        error("valid_from", _("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": row.get("valid_from")})
    if errors or commune is None:
        return errors, None
    if not commune.is_valid_on(valid_from):
        error(
            "valid_from",
            _("%(commune)s does not exist on %(date)s.") % {"commune": commune.name, "date": short_date(valid_from)},
        )
        return errors, None
    name = full_name(unit_type, short_name)
    if (commune.pk, fold(name)) in existing:
        error(
            "name",
            _("%(commune)s already has a unit named %(name)s.") % {"commune": commune.name, "name": name},
        )
    code = str(row.get("code", "") or "").strip()
    if code and code in taken_codes:
        error("code", _("Code %(code)s is already used.") % {"code": code})
    if errors:
        return errors, None
    existing.add((commune.pk, fold(name)))
    code = code or next_village_code(commune, taken_codes)
    taken_codes.add(code)
    return [], VillagePlan(
        number,
        commune,
        code=code,
        short_name=short_name,
        name=name,
        unit_type=unit_type,
        valid_from=valid_from,
        **numbers,
    )


def _type(value) -> str | None:
    text = str(value or "").strip()
    if not text:
        return "thon"
    unit_type = type_from_word(text)
    return unit_type if unit_type in VILLAGE_TYPES else None


def _short_name(name: str, unit_type: str | None) -> str:
    name = " ".join(name.split())
    prefix = TYPE_PREFIX.get(unit_type or "", "")
    if prefix and name.casefold().startswith(prefix.casefold() + " "):
        name = name[len(prefix) + 1 :]
    return name.strip()


def write_villages(plans: list[VillagePlan], *, actor, progress=None) -> dict:
    total = len(plans)

    def report(done: int) -> None:
        if progress:
            message = _("Writing village %(index)d of %(total)d") % {"index": done, "total": total}
            progress(total + done, total * 2, message)

    create_villages([(plan.commune, plan.fields) for plan in plans], actor=actor, report=report)
    return {"created": total, "message": _("%(count)d villages imported.") % {"count": total}}


@job_handler("units.import_villages")
def import_villages_job(job, progress) -> dict:
    with job.input_file.open("rb") as uploaded:
        uploaded.name = job.input_file.name
        return import_villages(uploaded, actor=job.created_by, progress=progress)
