"""Who in an officer's units is a digital citizen and why: the evaluated residents (tier, points, village on the
structure date, certificate), one resident's criteria with the value, the evidence source and the moment the
evidence was recorded (what the scoring engine stored), and the list as an Excel workbook.

Reading is restricted with learning's own permission (`learning.view_digitalcitizenprofile`): the residents'
scores are personal, so scoring's pages leave them out (LearningConfig.ready) and these pages show them."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tinhso.core.periods import parse_period
from tinhso.core.spreadsheets import table_sheet, workbook_bytes
from tinhso.scoring.choices import Rule
from tinhso.scoring.models import Criterion, Evaluation, Score
from tinhso.scoring.rules import Inputs, number, score
from tinhso.units.choices import UnitLevel
from tinhso.units.snapshot import UnitSnapshot, snapshot_on

from .citizens import ACTIVE, BASIC, SUBJECT_KIND, tier_of
from .models import Certificate

VIEW = "learning.view_digitalcitizenprofile"
# The tier filter's values and the points they stand for (of 500): the certificate's tiers, in points.
TIER_RANGES = {
    "active": Q(total__gte=350),
    "basic": Q(total__gte=100, total__lt=350),
    "none": Q(total__lt=100),
}


def evaluations(user, year: str) -> QuerySet:
    """Residents' evaluations of `year` within the units where `user` keeps digital-citizen records."""
    return Evaluation.objects.restrict(user, VIEW).filter(
        criteria_set__subject_kind=SUBJECT_KIND,
        period=year,
        subject_type=ContentType.objects.get_by_natural_key("accounts", "user"),
    )


def years(user, chosen: str) -> list[str]:
    """The years with residents' evaluations in the user's units (and the chosen one), latest first."""
    found = set(
        Evaluation.objects.restrict(user, VIEW)
        .filter(criteria_set__subject_kind=SUBJECT_KIND)
        .values_list("period", flat=True)
        .distinct()
    )
    return sorted(found | {chosen}, reverse=True)


def _own(user) -> Q:
    return Q(subject_id=user.pk, subject_type=ContentType.objects.get_by_natural_key("accounts", "user"))


def own_evaluations(user) -> QuerySet:
    return Evaluation.objects.filter(_own(user), criteria_set__subject_kind=SUBJECT_KIND)


def visible_to(user) -> QuerySet:
    """Evaluations a person may open: those of the units they keep records of, and their own."""
    kept = Evaluation.objects.restrict(user, VIEW).values("pk")
    return Evaluation.objects.filter(criteria_set__subject_kind=SUBJECT_KIND).filter(_own(user) | Q(pk__in=kept))


def filtered(queryset: QuerySet, *, unit_ids=None, tier: str = "", search: str = "") -> QuerySet:
    if unit_ids is not None:
        queryset = queryset.filter(unit_id__in=sorted(unit_ids))
    if tier:
        queryset = queryset.filter(TIER_RANGES[tier])
    if search:
        queryset = queryset.filter(subject_label__icontains=search)
    return queryset.order_by("-total", "subject_label", "pk")


@dataclass
class ResidentRow:
    evaluation: Evaluation
    village: str
    commune: str
    tier: str
    certificate: Certificate | None

    @property
    def points(self) -> Decimal:
        return self.evaluation.total

    @property
    def tier_key(self) -> str:
        """ "active", "basic" or "none": what the templates and the tier filter speak."""
        return {ACTIVE: "active", BASIC: "basic"}.get(self.tier, "none")


def _places(snapshot: UnitSnapshot, evaluation: Evaluation) -> tuple[str, str]:
    """The village and commune on the snapshot's day that stand for the unit the resident was scored on."""
    placed = snapshot.placed(evaluation.unit_id)
    if placed is None:
        return str(evaluation.unit), ""
    commune = snapshot.ancestor_at(placed.id, UnitLevel.COMMUNE)
    return placed.name, commune.name if commune and commune.id != placed.id else ""


def rows_of(evaluations, day: datetime.date) -> list[ResidentRow]:
    """One row per evaluation (a page of them, or a whole queryset for the export), placed on the tree of `day`
    (a village of a commune merged in 2025 under the village that stands for it), with its certificate if one
    was issued (one query)."""
    chosen = evaluations.values("pk") if isinstance(evaluations, QuerySet) else [e.pk for e in evaluations]
    evaluations = list(evaluations)
    snapshot = snapshot_on(day)
    issued = {c.evaluation_id: c for c in Certificate.objects.filter(evaluation__in=chosen)}
    rows = []
    for evaluation in evaluations:
        village, commune = _places(snapshot, evaluation)
        rows.append(ResidentRow(evaluation, village, commune, tier_of(evaluation.total), issued.get(evaluation.pk)))
    return rows


@dataclass
class CriterionLine:
    criterion: Criterion
    points: Decimal
    judged_on: str
    explanation: str
    recorded_at: datetime.datetime | None


def _judged_on(criterion: Criterion, saved: Score | None) -> str:
    if saved is None:
        return "—"
    if criterion.rule == Rule.BOOLEAN:
        return "—" if saved.answer is None else (_("Yes") if saved.answer else _("No"))
    if criterion.rule == Rule.RATIO and saved.denominator:
        return f"{number(saved.numerator or 0)}/{number(saved.denominator)}"
    return "—" if saved.value is None else number(saved.value)


def lines_of(evaluation: Evaluation) -> list[CriterionLine]:
    """Every criterion of the rule set the evaluation was scored with, with what the engine stored for it."""
    saved = {s.criterion_id: s for s in evaluation.scores.all()}
    lines = []
    for criterion in evaluation.criteria_set.criteria.order_by("order", "code"):
        stored = saved.get(criterion.pk)
        inputs = (
            Inputs(
                value=stored.value,
                numerator=stored.numerator,
                denominator=stored.denominator,
                answer=stored.answer,
                points=stored.entered_points,
            )
            if stored
            else Inputs()
        )
        lines.append(
            CriterionLine(
                criterion=criterion,
                points=stored.points if stored else Decimal(0),
                judged_on=_judged_on(criterion, stored),
                explanation=score(criterion, inputs).explanation if stored else _("Not scored yet"),
                recorded_at=stored.recorded_at if stored else None,
            )
        )
    return lines


def effective_dates(criteria_set) -> tuple[datetime.date, datetime.date | None]:
    """The first and last day the rule set's version is in force (None: still in force)."""
    start = parse_period(criteria_set.first_period).start
    return start, parse_period(criteria_set.last_period).end if criteria_set.last_period else None


def tier_label(tier: str) -> str:
    return {ACTIVE: _("Active tier"), BASIC: _("Basic tier")}.get(tier, _("Not yet"))


def workbook(evaluations: QuerySet, day: datetime.date, year: str) -> bytes:
    """The list as a sheet: who, village, tier, points and the points of every criterion (columns by code)."""
    rows = rows_of(evaluations.select_related("unit"), day)
    columns: dict[str, str] = {}
    sets = {row.evaluation.criteria_set_id for row in rows}
    for criterion in Criterion.objects.filter(criteria_set__in=sets).order_by("order", "code"):
        columns.setdefault(criterion.code, f"{criterion.code}. {criterion.name}")
    points: dict[int, dict[str, Decimal]] = {}
    for evaluation_id, code, value in Score.objects.filter(evaluation__in=evaluations.values("pk")).values_list(
        "evaluation_id", "criterion__code", "points"
    ):
        points.setdefault(evaluation_id, {})[code] = value
    book = Workbook()
    header = [_("No."), _("Full name"), _("Village"), _("Commune"), _("Tier"), _("Points (of 500)")]
    table_sheet(
        book.active,
        _("Digital citizens"),
        heading=[[_("Digital citizens %(year)s") % {"year": year}], []],
        header=[*header, *columns.values(), _("Certificate")],
        rows=(
            [
                position,
                row.evaluation.subject_label,
                row.village,
                row.commune,
                tier_label(row.tier),
                row.points,
                *(points.get(row.evaluation.pk, {}).get(code) for code in columns),
                row.certificate.issued_on.strftime("%d/%m/%Y") if row.certificate else "",
            ]
            for position, row in enumerate(rows, start=1)
        ),
        widths={"B": 30, "C": 20, "D": 20},
    )
    return workbook_bytes(book)
