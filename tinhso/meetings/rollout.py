"""Rollout of the e-party-member handbook: per party organisation and cell, deployed or not and accounts
against members; an all-or-nothing import; the dashboard in the seeds' display rule (44,4%: one decimal,
Vietnamese comma). The province tracks the national platform's rollout; it holds no party-member records."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from tinhso.core.imports import ImportRejected, RowError, read_table
from tinhso.core.permissions import require

from .choices import CellKind
from .models import CellRollout, PartyOrganisation

COLUMNS = {
    "organisation": ("ma dang bo", "dang bo", "organisation"),
    "code": ("ma chi bo", "cell code", "code"),
    "name": ("ten chi bo", "chi bo", "cell"),
    "commune": ("xa phuong", "xa", "commune"),
    "kind": ("loai", "kind"),
    "deployed": ("da trien khai", "deployed"),
    "members": ("so dang vien", "members"),
    "accounts": ("so tai khoan", "accounts"),
}
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


def dashboard(user, organisation_code: str | None = None) -> dict:
    cells = CellRollout.objects.restrict(user, "meetings.view_cellrollout")
    organisations = {o.code: o for o in PartyOrganisation.objects.filter(pk__in=cells.values("organisation_id"))}
    per_org = cells.values("organisation__code").annotate(**FIGURES).order_by("organisation__code")
    rows = [_row(organisations[r["organisation__code"]].name, r, r["organisation__code"]) for r in per_org]
    total = _row(_("Total"), cells.aggregate(**FIGURES))
    selected = organisations.get(organisation_code or "")
    communes = []
    if selected is not None:
        per_commune = cells.filter(organisation=selected).values("commune").annotate(**FIGURES).order_by("commune")
        communes = [_row(r["commune"] or "—", r) for r in per_commune]
    return {"rows": rows, "total": total, "selected": selected, "communes": communes}


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
        if organisation is not None:
            try:
                require(actor, "meetings.import_cellrollout", organisation)
            except Exception:
                errors.append(RowError(number, "organisation", _("You cannot import for this party organisation.")))
        cleaned.append((organisation, code, row, kind, deployed, members, accounts))
    if errors:
        raise ValidationError([f"{_('Row')} {e.row}, {e.column}: {e.message}" for e in errors])
    for organisation, code, row, kind, deployed, members, accounts in cleaned:
        cell = CellRollout.objects.filter(organisation=organisation, code=code).first() or CellRollout(
            organisation=organisation, code=code
        )
        cell.name, cell.commune = str(row.get("name") or "").strip(), str(row.get("commune") or "").strip()
        cell.kind, cell.deployed, cell.members, cell.accounts = kind, deployed, members, accounts
        cell.full_clean(validate_constraints=False)
        cell.save()
    return len(cleaned)
