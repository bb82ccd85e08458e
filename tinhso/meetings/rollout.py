"""Rollout of the e-party-member handbook: per party organisation and cell, deployed or not and accounts
against members; an all-or-nothing import; the dashboard in the seeds' display rule (44,4%: one decimal,
Vietnamese comma). The province tracks the national platform's rollout; it holds no party-member records."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.imports import ImportRejected, RowError, read_table
from tinhso.core.permissions import require
from tinhso.units.choices import UnitLevel
from tinhso.units.snapshot import snapshot_on

from .choices import CellKind
from .models import CellRollout, PartyOrganisation

COLUMNS = {
    "organisation": ("ma dang bo", "dang bo", "organisation"),
    "code": ("ma chi bo", "cell code", "code"),
    "name": ("ten chi bo", "chi bo", "cell"),
    "commune": ("xa phuong", "xa", "commune"),
    "commune_code": ("ma xa", "commune code"),
    "kind": ("loai", "kind"),
    "deployed": ("da trien khai", "deployed"),
    "members": ("so dang vien", "members"),
    "accounts": ("so tai khoan", "accounts"),
}
# The last day of the tree before the 2025 reorganisation (districts abolished, communes merged).
BEFORE_REFORM = datetime.date(2025, 6, 30)
YES = {"x", "co", "có", "yes", "1", "true"}
NO = {"", "khong", "không", "no", "0", "false"}
KINDS = {
    "truc thuoc": CellKind.SUBORDINATE,
    "trực thuộc": CellKind.SUBORDINATE,
    "co so": CellKind.GRASSROOTS,
    "cơ sở": CellKind.GRASSROOTS,
    **{kind.value: kind.value for kind in CellKind},
}


def percent(part: int, whole: int) -> str:
    """One decimal with the Vietnamese comma, half up: 1.292 of 2.910 is "44,4"."""
    if not whole:
        return "0,0"
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{value}".replace(".", ",")


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _row(label, figures: dict, code: str = "") -> dict:
    cells, deployed = figures["n_cells"] or 0, figures["n_deployed"] or 0
    members, accounts = figures["n_members"] or 0, figures["n_accounts"] or 0
    return {
        "label": label,
        "code": code,
        "cells": cells,
        "deployed": deployed,
        "subordinate": figures.get("n_subordinate") or 0,
        "grassroots": figures.get("n_grassroots") or 0,
        "cells_percent": percent(deployed, cells),
        "members": members,
        "accounts": accounts,
        "accounts_percent": percent(accounts, members),
        "cells_text": thousands(cells),
        "deployed_text": thousands(deployed),
        "members_text": thousands(members),
        "accounts_text": thousands(accounts),
    }


FIGURES = {
    "n_cells": Count("pk"),
    "n_deployed": Count("pk", filter=Q(deployed=True)),
    "n_subordinate": Count("pk", filter=Q(deployed=True, kind=CellKind.SUBORDINATE)),
    "n_grassroots": Count("pk", filter=Q(deployed=True, kind=CellKind.GRASSROOTS)),
    "n_members": Sum("members"),
    "n_accounts": Sum("accounts"),
}


def dashboard(user, organisation_code: str | None = None, day: datetime.date | None = None) -> dict:
    """Totals per party organisation and, for the selected one, per commune of the tree valid on `day`
    (`snapshot_on`): a cell lands on the commune standing for its recorded unit that day, so the same cells
    add up to the same total before and after the 2025 reform."""
    day = day or timezone.localdate()
    cells = CellRollout.objects.restrict(user, "meetings.view_cellrollout")
    organisations = {o.code: o for o in PartyOrganisation.objects.filter(pk__in=cells.values("organisation_id"))}
    per_org = cells.values("organisation__code").annotate(**FIGURES).order_by("organisation__code")
    rows = [_row(organisations[r["organisation__code"]].name, r, r["organisation__code"]) for r in per_org]
    total = _row(_("Total"), cells.aggregate(**FIGURES))
    selected = organisations.get(organisation_code or "")
    communes, selected_total = [], None
    if selected is not None:
        own = cells.filter(organisation=selected)
        communes = per_commune(own, day)
        selected_total = _row(_("Total"), own.aggregate(**FIGURES))
    return {
        "rows": rows,
        "total": total,
        "selected": selected,
        "communes": communes,
        "day": day,
        "selected_total": selected_total,
    }


def per_commune(cells, day: datetime.date) -> list[dict]:
    """One row per commune of `day` (cells without a commune unit, or whose unit has no commune that day,
    under "—"); every cell in exactly one row."""
    structure = snapshot_on(day)
    sums: dict[tuple[str, str], dict] = {}
    for figures in cells.values("unit_id").annotate(**FIGURES).order_by("unit_id"):
        commune = None
        if figures["unit_id"] is not None:
            placed = structure.placed(figures["unit_id"])
            commune = structure.ancestor_at(placed.id, UnitLevel.COMMUNE) if placed is not None else None
        key = (commune.name, commune.code) if commune is not None else ("—", "")
        into = sums.setdefault(key, dict.fromkeys(FIGURES, 0))
        for name in FIGURES:
            into[name] += figures[name] or 0
    return [
        _row(label, figures, code)
        for (label, code), figures in sorted(sums.items(), key=lambda i: (i[0][0] == "—", i[0]))
    ]


def _flag(value, row, errors) -> bool | None:
    text = str(value if value is not None else "").strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    errors.append(RowError(row, "deployed", _("Write “x” or “có” when the handbook is deployed, else leave it empty.")))
    return None


def _count(value, row, column, errors) -> int | None:
    try:
        number = int(str(value if value not in (None, "") else "0").replace(".", "").strip())
    except ValueError:
        number = -1
    if number < 0:
        errors.append(RowError(row, column, _("Write a whole number of 0 or more.")))
        return None
    return number


@transaction.atomic
def import_cells(uploaded, *, actor) -> int:
    """Every row is checked before anything is written; one bad row and nothing is imported."""
    if uploaded is None:
        raise ValidationError(_("Choose a file."))
    try:
        rows = read_table(uploaded, COLUMNS, required=("organisation", "code", "name", "members", "accounts"))
    except ImportRejected as error:
        raise ValidationError([f"{e.row}: {e.message}" for e in error.errors]) from error
    organisations = {o.code: o for o in PartyOrganisation.objects.all()}
    structure = snapshot_on(timezone.localdate())
    errors: list[RowError] = []
    cleaned = []
    seen = set()
    for row in rows:
        number = row["_row"]
        organisation = organisations.get(str(row.get("organisation") or "").strip())
        if organisation is None:
            errors.append(RowError(number, "organisation", _("No party organisation has this code.")))
        code = str(row.get("code") or "").strip()
        if not code:
            errors.append(RowError(number, "code", _("Give the cell's code.")))
        if (organisation, code) in seen:
            errors.append(RowError(number, "code", _("This cell appears twice in the file.")))
        seen.add((organisation, code))
        kind = KINDS.get(str(row.get("kind") or "truc thuoc").strip().lower())
        if kind is None:
            errors.append(RowError(number, "kind", _("The kind is “trực thuộc” or “cơ sở”.")))
        deployed = _flag(row.get("deployed"), number, errors)
        members = _count(row.get("members"), number, "members", errors)
        accounts = _count(row.get("accounts"), number, "accounts", errors)
        if members is not None and accounts is not None and accounts > members:
            errors.append(RowError(number, "accounts", _("More accounts than party members.")))
        commune_code = str(row.get("commune_code") or "").strip()
        commune = structure.by_code(commune_code) if commune_code else None
        if commune_code and (commune is None or commune.level != UnitLevel.COMMUNE):
            errors.append(RowError(number, "commune_code", _("No commune has this code today.")))
        if organisation is not None:
            try:
                require(actor, "meetings.import_cellrollout", organisation)
            except Exception:
                errors.append(RowError(number, "organisation", _("You cannot import for this party organisation.")))
        cleaned.append((organisation, code, row, kind, deployed, members, accounts, commune))
    if errors:
        raise ValidationError([f"{_('Row')} {e.row}, {e.column}: {e.message}" for e in errors])
    for organisation, code, row, kind, deployed, members, accounts, commune in cleaned:
        cell = CellRollout.objects.filter(organisation=organisation, code=code).first() or CellRollout(
            organisation=organisation, code=code
        )
        cell.name, cell.commune = str(row.get("name") or "").strip(), str(row.get("commune") or "").strip()
        cell.kind, cell.deployed, cell.members, cell.accounts = kind, deployed, members, accounts
        if commune is not None:
            cell.unit_id, cell.commune = commune.id, cell.commune or commune.name
        cell.full_clean(validate_constraints=False)
        cell.save()
    return len(cleaned)
