"""The product catalogue of a body: products with conversion factors to the standard product, versioned by
effective date, imported from Excel all or nothing; and the monthly norms of job positions."""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.core.imports import ImportRejected, RowError, cell_date, read_table
from tinhso.core.permissions import require

from .models import ConversionFactor, JobPosition, PositionNorm, Product, StaffMember

COLUMNS = {
    "code": ("Mã", "Mã sản phẩm", "code"),
    "name": ("Tên", "Tên sản phẩm", "Sản phẩm, công việc", "name"),
    "measure": ("Đơn vị tính", "ĐVT", "measure"),
    "factor": ("Hệ số", "Hệ số quy đổi", "factor"),
    "effective_from": ("Hiệu lực từ", "Áp dụng từ", "effective from", "effective_from"),
}
MAX_FACTOR = Decimal(1000)


def _require_keeper(actor, organisation) -> None:
    """The head of the body (or its personnel officer) sets the conversion table."""
    require(actor, "work.add_product", Product(organisation=organisation))
    if actor is None:
        return
    keeps = StaffMember.objects.filter(user=actor, organisation=organisation).filter(is_head=True).exists() or (
        StaffMember.objects.filter(user=actor, organisation=organisation, is_personnel_officer=True).exists()
    )
    if not keeps:
        raise PermissionDenied(_("Only the head of the body or its personnel officer sets the product catalogue."))


@dataclass(frozen=True)
class Line:
    code: str
    name: str
    measure: str
    factor: Decimal
    effective_from: datetime.date


def _number(raw) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def _check(row: dict, seen: set) -> tuple[list[RowError], Line | None]:
    errors, number = [], row["_row"]
    code, name = str(row.get("code", "")).strip(), str(row.get("name", "")).strip()
    if not code or len(code) > 30:
        errors.append(RowError(number, "code", _("A code of 1 to 30 characters is needed.")))
    if not name or len(name) > 200:
        errors.append(RowError(number, "name", _("A name of 1 to 200 characters is needed.")))
    factor = _number(row.get("factor", ""))
    if factor is None or not 0 < factor <= MAX_FACTOR:
        errors.append(RowError(number, "factor", _("The factor must be a number above 0 and at most 1.000.")))
    day = cell_date(row.get("effective_from", ""))
    if day is None:
        errors.append(RowError(number, "effective_from", _("Write the date as 1/1/2026.")))
    if (code, day) in seen:
        errors.append(RowError(number, "code", _("This code and date appear twice in the file.")))
    seen.add((code, day))
    if errors or factor is None or day is None:
        return errors, None
    measure = str(row.get("measure", "") or "sản phẩm").strip()[:40]
    return [], Line(code, name, measure, factor.quantize(Decimal("0.001")), day)


@transaction.atomic
def import_catalogue(organisation, uploaded, *, actor) -> dict:
    """Every row checked first; any bad row → ImportRejected listing them all, nothing written."""
    _require_keeper(actor, organisation)
    rows = read_table(uploaded, COLUMNS, required=("code", "name", "factor", "effective_from"))
    errors: list[RowError] = []
    lines: list[Line] = []
    seen: set[tuple[str, datetime.date | None]] = set()
    for row in rows:
        row_errors, line = _check(row, seen)
        errors += row_errors
        if line:
            lines.append(line)
    if errors:
        raise ImportRejected(errors)
    products = {p.code: p for p in Product.objects.filter(organisation=organisation)}
    created = versions = 0
    for line in lines:
        product = products.get(line.code)
        if product is None:
            product = Product.objects.create(
                organisation=organisation, code=line.code, name=line.name, measure=line.measure
            )
            products[line.code], created = product, created + 1
        elif (product.name, product.measure) != (line.name, line.measure):
            product.name, product.measure = line.name, line.measure
            product.save()
        ConversionFactor.objects.update_or_create(
            product=product, effective_from=line.effective_from, defaults={"factor": line.factor}
        )
        versions += 1
    return {"products": created, "factors": versions}


@transaction.atomic
def set_norm(
    job_position: JobPosition, *, actor, effective_from: datetime.date, monthly_standard_products
) -> PositionNorm:
    _require_keeper(actor, job_position.organisation)
    value = _number(monthly_standard_products)
    if value is None or value < 0:
        raise ValidationError({"monthly_standard_products": _("The norm must be a number of 0 or more.")})
    norm = PositionNorm.objects.filter(
        job_position=job_position, effective_from=effective_from
    ).first() or PositionNorm(job_position=job_position, effective_from=effective_from)
    norm.monthly_standard_products = value
    norm.full_clean()
    norm.save()
    return norm


def factor_on(product: Product, day: datetime.date) -> Decimal | None:
    found = product.factors.filter(effective_from__lte=day).order_by("-effective_from").first()
    return found.factor if found else None
