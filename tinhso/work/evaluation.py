"""Monthly KPI scores on the scoring engine, the review workflow, and the year's grades with the quota.

The weights and caps are the criteria of a scoring criteria set (versioned by period); the quality
factors, lateness credit, grades, disqualifiers and quota are `KpiRules` (versioned by day). Nothing
of the Decree's numbers is in this code.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.periods import Period, parse_period, period_of
from tinhso.core.permissions import require
from tinhso.scoring import services as scoring
from tinhso.scoring.models import Criterion, Evaluation
from tinhso.scoring.rules import Inputs, number

from . import rules, unit_results
from .choices import ReviewStatus, ReviewStep, Status
from .models import (
    ConversionFactor,
    KpiRules,
    MonthlyReview,
    PositionNorm,
    ReviewEvent,
    StaffMember,
    WorkItem,
    YearGrade,
)
from .people import manages

SUBJECT_KIND = "work.staff"
# source_key of the computed criteria; the general criteria use "general:<code>".
QUANTITY, QUALITY, TIMELINESS = "quantity", "quality", "timeliness"
GENERAL_PREFIX = "general:"


def _parsed(code: str, kind: str, message: str) -> Period:
    """The period of `kind` named by `code` in ASCII digits, or ValidationError(message): a year the calendar
    cannot hold ("0000", "9999-12" whose end is in year 10000) is a bad code, not a crash."""
    try:
        period = parse_period(code) if code.isascii() else None
    except (ValidationError, ValueError, OverflowError):
        period = None
    if period is None or period.kind != kind:
        raise ValidationError(message)
    return period


def month_code(text: str) -> str:
    """'2026-03' or '202603' → '202603'; anything else → a Vietnamese ValidationError."""
    return _parsed((text or "").strip().replace("-", ""), "month", _("Give a month as 2026-03.")).code


def year_code(text: str) -> int:
    """'2026' → 2026; anything else → a Vietnamese ValidationError."""
    return _parsed((text or "").strip(), "year", _("Give a year as 2026.")).start.year


# --- what the items of a month are worth ---------------------------------------------------------


@dataclass(slots=True)
class ItemLine:
    item: WorkItem
    standard: Decimal  # quantity × conversion factor
    factor: Decimal
    days_late: int | None  # None: not finished
    credit: Decimal
    quality_factor: Decimal | None
    done: bool  # accepted (read three times an item in a province's month: kept, not worked out again)

    def explanation(self) -> str:
        item = self.item
        parts = [
            _("%(quantity)s × factor %(factor)s = %(standard)s standard products")
            % {"quantity": number(item.quantity), "factor": number(self.factor, 3), "standard": number(self.standard)}
        ]
        if not self.done:
            parts.append(_("not accepted by the end of the month → counts 0"))
        else:
            if self.days_late:
                parts.append(
                    _("finished %(days)s days late → %(credit)s%% timeliness credit")
                    % {"days": self.days_late, "credit": number(self.credit * 100, 0)}
                )
            else:
                parts.append(_("on time"))
            parts.append(
                _("quality %(quality)s (× %(factor)s)")
                % {"quality": item.get_quality_display().lower(), "factor": number(self.quality_factor or 0)}
            )
        if item.times_returned:
            parts.append(_("returned %(times)s times") % {"times": item.times_returned})
        return f"{item.title}: " + "; ".join(parts)


def _factors(product_ids) -> dict[int, list[tuple[datetime.date, Decimal]]]:
    return ConversionFactor.versions(product_ids)


class LightItem(NamedTuple):
    """What scoring reads of a work item, as a plain row."""

    assignee_id: int
    due_date: datetime.date
    status: str
    accepted_on: datetime.date | None
    submitted_on: datetime.date | None
    product_id: int | None
    quantity: Decimal
    quality: str


def month_items(staff_ids: list[int], period: Period, *, light: bool = False) -> dict[int, list]:
    """Items due in the month, per assignee's staff id (one query). `light` rows carry only what scoring
    reads, as tuples (a fraction of the cost of model instances, or of dicts, for a province's 200,000)."""
    users = dict(StaffMember.objects.filter(pk__in=staff_ids).values_list("user_id", "pk"))
    found: dict[int, list] = defaultdict(list)
    queryset = WorkItem.objects.filter(
        assignee_id__in=list(users), due_date__gte=period.start, due_date__lte=period.end
    ).order_by("due_date", "pk")
    rows = map(LightItem._make, queryset.values_list(*LightItem._fields)) if light else queryset
    for item in rows:
        found[users[item.assignee_id]].append(item)
    return found


class Worth:
    """What items are worth under the rules: the lateness steps, the quality factors and the conversion factor
    of each product on each day are read once for a run (a province's month is 200,000 items), not per item."""

    def __init__(self, kpi: KpiRules, factors: dict):
        self.credit_of = rules.LatenessCredit(kpi.lateness)
        self.qualities = {code: Decimal(str(value)) for code, value in kpi.quality_factors.items()}
        self.factors = factors
        self.factor_on: dict[tuple, Decimal] = {}  # (product, day) → the factor in force

    def factor(self, product_id: int | None, day: datetime.date) -> Decimal:
        key = (product_id, day)
        found = self.factor_on.get(key)
        if found is None:
            value = rules.versioned_value(self.factors.get(product_id, []), day) if product_id else None
            found = self.factor_on[key] = Decimal(1) if value is None else value
        return found

    def lines(self, items: list, period: Period) -> list[ItemLine]:
        lines = []
        for item in items:
            factor = self.factor(item.product_id, item.due_date)
            standard = item.quantity * factor
            accepted = item.status == Status.ACCEPTED
            done = accepted and item.accepted_on is not None and item.accepted_on <= period.end
            finished_on = item.submitted_on or item.accepted_on
            days_late = max((finished_on - item.due_date).days, 0) if done and finished_on else None
            credit = self.credit_of(days_late) if days_late is not None else Decimal(0)
            quality = self.qualities.get(item.quality, Decimal(0)) if done else None
            lines.append(ItemLine(item, standard, factor, days_late, credit, quality, done))
        return lines


def item_lines(items: list, kpi: KpiRules, factors: dict, period: Period) -> list[ItemLine]:
    return Worth(kpi, factors).lines(items, period)


def _norms(staff_list: list[StaffMember], day: datetime.date) -> dict[int, Decimal]:
    positions = {s.job_position_id for s in staff_list if s.job_position_id}
    versions = PositionNorm.versions(positions)
    norms = {}
    for staff in staff_list:
        if staff.job_position_id is None:
            continue
        value = rules.versioned_value(versions.get(staff.job_position_id, []), day)
        if value:
            norms[staff.pk] = value
    return norms


def kpi_inputs(lines: list[ItemLine], norm: Decimal | None) -> dict[str, Inputs]:
    assigned = sum((line.standard for line in lines), Decimal(0))
    done = [line for line in lines if line.done]
    converted = sum((line.standard for line in done), Decimal(0))
    target = norm if norm else assigned
    return {
        QUANTITY: Inputs(numerator=converted, denominator=target or None),
        QUALITY: Inputs(
            numerator=sum((line.standard * (line.quality_factor or 0) for line in done), Decimal(0)),
            denominator=converted or None,
        ),
        TIMELINESS: Inputs(
            numerator=sum((line.standard * line.credit for line in done), Decimal(0)), denominator=assigned or None
        ),
    }


def _general_inputs(review: MonthlyReview | None, criterion: Criterion) -> Inputs:
    code = criterion.source_key.removeprefix(GENERAL_PREFIX)
    points = None
    if review is not None:
        points = review.manager_points.get(code, review.self_points.get(code))
    if points is None:
        return Inputs(numerator=Decimal(0), denominator=criterion.max_points)
    return Inputs(numerator=min(Decimal(str(points)), criterion.max_points), denominator=criterion.max_points)


# --- leaders: the unit's results -------------------------------------------------------------------


def _lines_below(organisation_ids: set[int]) -> tuple[dict[int, set[int]], dict[int, int], set[int]]:
    """For every active official of the bodies: who is in their line below (themself included), their
    body, and who heads a body. One query."""
    rows = list(
        StaffMember.objects.filter(organisation_id__in=organisation_ids, is_active=True).values_list(
            "pk", "manager_id", "organisation_id", "is_head"
        )
    )
    children: dict[int, list[int]] = defaultdict(list)
    body = {pk: organisation for pk, _manager, organisation, _head in rows}
    for pk, manager, _organisation, _head in rows:
        if manager is not None and manager != pk:
            children[manager].append(pk)
    heads = {pk for pk, _manager, _organisation, head in rows if head}
    below: dict[int, set[int]] = {}
    for pk in body:
        if pk in heads:
            below[pk] = {other for other, organisation in body.items() if organisation == body[pk]}
            continue
        seen, frontier = {pk}, [pk]
        while frontier:
            frontier = [child for parent in frontier for child in children.get(parent, []) if child not in seen]
            seen.update(frontier)
        below[pk] = seen
    return below, body, heads


def leader_results(
    staff_list: list[StaffMember],
    period: Period,
    kpi: KpiRules,
    known: dict[int, list[ItemLine]] | None = None,
) -> dict[int, unit_results.UnitResult]:
    """The unit results of each leader in `staff_list` (a head: the whole body; a manager: their line
    below): the line's work done on time (standard products × timeliness credit ÷ assigned) and, for a
    head, what other domains register for the body (plan tasks...). Officials who lead nobody are left out."""
    if not kpi.leader_unit_share:
        return {}
    below, body, heads = _lines_below({s.organisation_id for s in staff_list})
    leaders = [s for s in staff_list if len(below.get(s.pk, ())) > 1 or s.pk in heads]
    if not leaders:
        return {}
    lines_of = dict(known or {})  # the item lines already worked out for the people being scored
    needed = set().union(*(below[s.pk] for s in leaders)) - set(lines_of)
    if needed:
        loaded = month_items(sorted(needed), period, light=True)
        factors = _factors({i.product_id for found in loaded.values() for i in found if i.product_id})
        worth = Worth(kpi, factors)
        for member in needed:
            lines_of[member] = worth.lines(loaded.get(member, []), period)
    sums: dict[int, tuple[Decimal, Decimal, int, int]] = {}
    for member in set().union(*(below[s.pk] for s in leaders)):
        lines = lines_of[member]
        sums[member] = (
            sum((line.standard for line in lines), Decimal(0)),
            sum((line.standard * line.credit for line in lines if line.done), Decimal(0)),
            len(lines),
            sum(1 for line in lines if line.done),
        )
    from_others = unit_results.from_providers({s.organisation_id for s in leaders if s.pk in heads}, period)
    found = {}
    for leader in leaders:
        members = below[leader.pk]
        assigned = sum((sums[m][0] for m in members), Decimal(0))
        credited = sum((sums[m][1] for m in members), Decimal(0))
        count, done = sum(sums[m][2] for m in members), sum(sums[m][3] for m in members)
        result = unit_results.UnitResult()
        if assigned:
            result.components.append(
                unit_results.Component(
                    _("Work of the unit"),
                    min(credited / assigned, Decimal(1)),
                    _(
                        "%(people)s people, %(done)s of %(count)s items accepted; %(credited)s of %(assigned)s "
                        "standard products done on time"
                    )
                    % {
                        "people": len(members),
                        "done": done,
                        "count": count,
                        "credited": number(credited),
                        "assigned": number(assigned),
                    },
                )
            )
        if leader.pk in heads:
            result.components.extend(from_others.get(leader.organisation_id, []))
        if result.components:
            found[leader.pk] = result
    return found


def _personal_ratio(inputs: Inputs) -> Decimal:
    if inputs.numerator is None or not inputs.denominator:
        return Decimal(0)
    return min(inputs.numerator / inputs.denominator, Decimal(1))


def blend(computed: dict[str, Inputs], unit: unit_results.UnitResult | None, share_percent: Decimal) -> dict:
    """A leader's task-result criteria: (100 − share)% their own ratio + share% the unit's ratio, given as
    percent/100 so the engine's explanation reads as the blended percentage."""
    if unit is None or unit.ratio is None or not share_percent:
        return computed
    share = Decimal(share_percent) / 100
    return {
        key: Inputs(
            numerator=((1 - share) * _personal_ratio(inputs) + share * unit.ratio) * 100, denominator=Decimal(100)
        )
        for key, inputs in computed.items()
    }


def make_provider(kpi: KpiRules):
    def provide(criteria, subjects, period_code):
        period = parse_period(period_code)
        staff_list = [subject.obj for subject in subjects]
        items = month_items([s.pk for s in staff_list], period, light=True)
        factors = _factors({i.product_id for found in items.values() for i in found if i.product_id})
        norms = _norms(staff_list, period.start)
        reviews = {r.staff_id: r for r in MonthlyReview.objects.filter(staff__in=staff_list, period=period.code)}
        worth = Worth(kpi, factors)
        lines = {s.pk: worth.lines(items.get(s.pk, []), period) for s in staff_list}
        leaders = leader_results(staff_list, period, kpi, lines)
        found = {}
        for staff in staff_list:
            computed = kpi_inputs(lines[staff.pk], norms.get(staff.pk))
            computed = blend(computed, leaders.get(staff.pk), kpi.leader_unit_share)
            for criterion in criteria:
                if criterion.source_key.startswith(GENERAL_PREFIX):
                    found[(criterion.pk, staff.pk)] = _general_inputs(reviews.get(staff.pk), criterion)
                elif criterion.source_key in computed:
                    found[(criterion.pk, staff.pk)] = computed[criterion.source_key]
        return found

    return provide


def kpi_for(period: Period) -> KpiRules:
    kpi = rules.rules_on(period.end)
    if kpi is None:
        raise ValidationError(_("No KPI rules are in force for %(period)s.") % {"period": period.label()})
    return kpi


# --- scoring a month ------------------------------------------------------------------------------


@transaction.atomic
def score_month(staff_list: list[StaffMember], period_code: str, *, actor=None) -> list[MonthlyReview]:
    """Propose the month's score of each official (frozen months stay as approved)."""
    period = parse_period(period_code)
    kpi = kpi_for(period)
    staff_list = list(
        StaffMember.objects.filter(pk__in=[s.pk for s in staff_list]).select_related("user", "organisation__unit")
    )
    subjects = [scoring.Subject(obj=s, unit=s.organisation.unit, label=str(s)) for s in staff_list]
    evaluations = scoring.evaluate(kpi.criteria_set, period.code, subjects, make_provider(kpi), actor=actor)
    by_staff = {e.subject_id: e for e in evaluations}
    existing = {r.staff_id: r for r in MonthlyReview.objects.filter(staff__in=staff_list, period=period.code)}
    new = [
        MonthlyReview(staff=s, period=period.code, evaluation=by_staff[s.pk])
        for s in staff_list
        if s.pk not in existing
    ]
    from tinhso.core.changelog import log_bulk_create

    log_bulk_create(MonthlyReview.objects.bulk_create(new, batch_size=1000))
    for review in existing.values():
        if review.evaluation_id is None:
            review.evaluation = by_staff[review.staff_id]
            review.save(update_fields=["evaluation", "updated_at"])
    return [*existing.values(), *new]


def recompute_later(item: WorkItem) -> None:
    """After commit, rescore the month the item is due in (a frozen month is left alone)."""
    item_pk = item.pk

    def rescore():
        fresh = WorkItem.objects.filter(pk=item_pk).first()
        staff = (
            StaffMember.objects.select_related("organisation__unit")
            .filter(user_id=getattr(fresh, "assignee_id", None))
            .first()
        )
        if fresh is None or staff is None:
            return
        period = period_of(fresh.due_date, "month")
        kpi = rules.rules_on(period.end)
        if kpi is None:
            return
        people = [staff]
        if kpi.leader_unit_share:  # the leaders above are scored on this item too
            heads = StaffMember.objects.filter(organisation=staff.organisation, is_head=True, is_active=True)
            people += [m for m in staff.managers() if m.is_active] + list(heads)
        frozen = set(
            MonthlyReview.objects.filter(
                staff__in=people, period=period.code, status=ReviewStatus.APPROVED
            ).values_list("staff_id", flat=True)
        )
        people = list({p.pk: p for p in people if p.pk not in frozen}.values())
        if people:
            score_month(people, period.code)

    transaction.on_commit(rescore)


# --- reading a score, with privacy ----------------------------------------------------------------


def visible_staff_ids(user) -> set[int]:
    """Whose scores `user` may see: their own, the people below them in the line, and everyone of a body
    they head or keep the personnel records of."""
    if user is None or not user.is_authenticated:
        return set()
    mine = StaffMember.objects.filter(user=user).first()
    if mine is None:
        return set()
    seen = {mine.pk}
    if mine.is_head or mine.is_personnel_officer:
        seen |= set(StaffMember.objects.filter(organisation=mine.organisation).values_list("pk", flat=True))
    frontier = {mine.pk}
    while frontier:
        frontier = set(StaffMember.objects.filter(manager_id__in=frontier).values_list("pk", flat=True)) - seen
        seen |= frontier
    return seen


def can_see_scores(user, staff: StaffMember) -> bool:
    return staff.pk in visible_staff_ids(user)


@dataclass
class Explained:
    staff: StaffMember
    period: Period
    review: MonthlyReview | None
    evaluation: Evaluation | None
    criteria_lines: list[dict]
    item_lines: list[ItemLine]
    grade: dict | None
    unit_lines: list[str] = dataclass_field(default_factory=list)

    @property
    def score(self) -> Decimal | None:
        return self.evaluation.total if self.evaluation else None


def explain_month(staff: StaffMember, period_code: str) -> Explained:
    period = parse_period(period_code)
    review = MonthlyReview.objects.filter(staff=staff, period=period.code).select_related("evaluation").first()
    evaluation = review.evaluation if review else None
    kpi = rules.rules_on(period.end)
    lines: list[dict] = []
    if evaluation is not None:
        from tinhso.scoring.rules import score as rule_score

        for saved in evaluation.scores.select_related("criterion").order_by(
            "criterion__parent__order", "criterion__order", "criterion__code"
        ):
            given = Inputs(numerator=saved.numerator, denominator=saved.denominator, value=saved.value)
            lines.append(
                {
                    "code": saved.criterion.code,
                    "criterion": saved.criterion.name,
                    "points": saved.points,
                    "max_points": saved.criterion.max_points,
                    "explanation": rule_score(saved.criterion, given).explanation,
                }
            )
    found_items: list[ItemLine] = []
    if kpi is not None:
        items = month_items([staff.pk], period).get(staff.pk, [])
        found_items = item_lines(items, kpi, _factors({i.product_id for i in items if i.product_id}), period)
    grade = rules.grade_of(evaluation.total, kpi.grades) if (evaluation and kpi) else None
    unit_lines = explain_unit(staff, period, kpi) if kpi is not None else []
    return Explained(staff, period, review, evaluation, lines, found_items, grade, unit_lines)


def explain_unit(staff: StaffMember, period: Period, kpi: KpiRules) -> list[str]:
    """A leader's unit results, a line each, and how they weigh in the task-result criteria."""
    result = leader_results([staff], period, kpi).get(staff.pk)
    if result is None or result.ratio is None:
        return []
    share = kpi.leader_unit_share
    lines = [
        _(
            "A leader's task results: %(own)s%% own work + %(share)s%% the unit's results "
            "(%(ratio)s%%, the mean of the lines below)"
        )
        % {"own": number(100 - share, 0), "share": number(share, 0), "ratio": number(result.ratio * 100, 1)}
    ]
    lines += [
        f"{component.label}: {number(component.ratio * 100, 1)}% — {component.note}" for component in result.components
    ]
    return lines


# --- the review workflow --------------------------------------------------------------------------


def record_event(review_or_staff, period: str, step: str, actor, note: str = "") -> None:
    """One step of the evaluation trail (appeals write theirs through here too)."""
    staff = getattr(review_or_staff, "staff", review_or_staff)
    ReviewEvent.objects.create(
        staff=staff, period=period, step=step, actor=actor if getattr(actor, "pk", None) else None, note=note
    )


def _fresh_review(review: MonthlyReview) -> MonthlyReview:
    return (
        MonthlyReview.objects.select_for_update(of=("self",))
        .select_related("staff__organisation__unit", "evaluation")
        .get(pk=review.pk)
    )


def _general_points(review: MonthlyReview, given: dict) -> dict:
    """{code: points} checked against the criteria set's general criteria."""
    kpi = kpi_for(parse_period(review.period))
    maxima = {
        c.source_key.removeprefix(GENERAL_PREFIX): c.max_points
        for c in kpi.criteria_set.criteria.filter(source_key__startswith=GENERAL_PREFIX)
    }
    clean = {}
    for code, raw in (given or {}).items():
        if code not in maxima:
            raise ValidationError({"points": _("“%(code)s” is not a general criterion.") % {"code": code}})
        try:
            value = Decimal(str(raw).replace(",", "."))
        except ArithmeticError as error:
            raise ValidationError({"points": _("Points must be numbers.")}) from error
        if not value.is_finite() or not 0 <= value <= maxima[code]:
            raise ValidationError(
                {
                    "points": _("Points of %(code)s must be between 0 and %(max)s.")
                    % {"code": code, "max": number(maxima[code])}
                }
            )
        clean[code] = str(value)
    return clean


def _not_frozen(review: MonthlyReview) -> None:
    if review.is_frozen:
        raise ValidationError(_("This month is approved and frozen; it can only change after an audited reopen."))


@transaction.atomic
def self_assess(review: MonthlyReview, *, actor, points: dict, comment: str = "") -> MonthlyReview:
    review = _fresh_review(review)
    require(actor, "work.change_monthlyreview", review)
    if actor is not None and actor.pk != review.staff.user_id:
        raise PermissionDenied(_("Only the official can write their own self-assessment."))
    _not_frozen(review)
    if review.status not in (ReviewStatus.OPEN, ReviewStatus.SELF_ASSESSED):
        raise ValidationError(_("The manager has already reviewed this month."))
    review.self_points, review.self_comment = _general_points(review, points), comment.strip()
    review.status = ReviewStatus.SELF_ASSESSED
    review.save()
    record_event(review, review.period, ReviewStep.SELF_ASSESSMENT, actor, comment)
    _rescore(review)
    return review


@transaction.atomic
def manager_review(review: MonthlyReview, *, actor, points: dict, comment: str = "") -> MonthlyReview:
    review = _fresh_review(review)
    require(actor, "work.change_monthlyreview", review)
    if actor is not None and (actor.pk == review.staff.user_id or not manages(actor, review.staff)):
        raise PermissionDenied(_("Only a manager of the official can review their month."))
    _not_frozen(review)
    if review.status == ReviewStatus.OPEN:
        raise ValidationError(_("The official has not written the self-assessment yet."))
    review.manager_points, review.manager_comment = _general_points(review, points), comment.strip()
    review.status = ReviewStatus.REVIEWED
    review.save()
    record_event(review, review.period, ReviewStep.MANAGER_REVIEW, actor, comment)
    _rescore(review)
    return review


def _is_personnel_or_manager(actor, staff: StaffMember) -> bool:
    if actor is None or manages(actor, staff):
        return True
    return StaffMember.objects.filter(user=actor, organisation=staff.organisation, is_personnel_officer=True).exists()


@transaction.atomic
def record_collective_comment(review: MonthlyReview, *, actor, comment: str) -> MonthlyReview:
    review = _fresh_review(review)
    require(actor, "work.change_monthlyreview", review)
    if actor is not None and (actor.pk == review.staff.user_id or not _is_personnel_or_manager(actor, review.staff)):
        raise PermissionDenied(_("The collective comment is recorded by a manager or the personnel officer."))
    _not_frozen(review)
    if review.status not in (ReviewStatus.REVIEWED, ReviewStatus.COMMENTED):
        raise ValidationError(_("The manager has not reviewed this month yet."))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Write the collective's comment.")})
    review.collective_comment, review.status = comment.strip(), ReviewStatus.COMMENTED
    review.save()
    record_event(review, review.period, ReviewStep.COLLECTIVE_COMMENT, actor, comment)
    return review


def require_decider(actor, staff: StaffMember) -> None:
    """The head of the body approves; the head's own month goes to their manager up the line."""
    if actor is None:
        return
    if actor.pk == staff.user_id:
        raise PermissionDenied(_("You cannot approve your own month."))
    if staff.is_head:
        allowed = actor.pk in {m.user_id for m in staff.managers()}
    else:
        allowed = StaffMember.objects.filter(user=actor, organisation=staff.organisation, is_head=True).exists()
    if not allowed:
        raise PermissionDenied(_("Only the head of the body approves a month."))


@transaction.atomic
def approve(review: MonthlyReview, *, actor, today: datetime.date | None = None) -> MonthlyReview:
    """The head approves: the month is frozen (the scoring evaluation is verified, so locked)."""
    review = _fresh_review(review)
    require(actor, "work.change_monthlyreview", review)
    require_decider(actor, review.staff)
    _not_frozen(review)
    period = parse_period(review.period)
    if period.end >= (today or timezone.localdate()):
        raise ValidationError(_("The month is not over yet; it can be approved from its last day on."))
    if review.status != ReviewStatus.COMMENTED:
        raise ValidationError(
            _("The month is not complete: self-assessment, manager's review and collective comment come first.")
        )
    score_month([review.staff], review.period)
    review.refresh_from_db()
    assert review.evaluation is not None  # score_month just linked it
    scoring.verify(review.evaluation, actor=None, note=_("Approved by the head of the body."))
    review.status, review.approved_by, review.approved_at = ReviewStatus.APPROVED, actor, timezone.now()
    review.save()
    record_event(review, review.period, ReviewStep.APPROVAL, actor)
    return review


@transaction.atomic
def reopen(review: MonthlyReview, *, actor, reason: str) -> MonthlyReview:
    """The audited way back into a frozen month: the head (or the head's manager) says why."""
    review = _fresh_review(review)
    require(actor, "work.change_monthlyreview", review)
    require_decider(actor, review.staff)
    if not review.is_frozen:
        raise ValidationError(_("Only an approved month can be reopened."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the month is reopened.")})
    if review.evaluation is not None:
        scoring.return_for_correction(review.evaluation, actor=None, reason=reason.strip())
    review.status, review.approved_by, review.approved_at = ReviewStatus.COMMENTED, None, None
    review.save()
    record_event(review, review.period, ReviewStep.REOPEN, actor, reason.strip())
    return review


def _rescore(review: MonthlyReview) -> None:
    score_month([review.staff], review.period)


# --- the year -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotaCheck:
    good_or_above: int
    excellent: int
    allowed: int

    @property
    def breached(self) -> bool:
        return self.excellent > self.allowed


def _disqualifier(kpi: KpiRules, code: str) -> dict | None:
    return next((d for d in kpi.disqualifiers if d["code"] == code), None)


def score_grade(score: Decimal, disqualifier: str, kpi: KpiRules) -> str:
    """The grade the score allows, lowered by a disqualifier to its configured grade."""
    grade = rules.grade_of(score, kpi.grades)["code"]
    found = _disqualifier(kpi, disqualifier) if disqualifier else None
    if found and rules.grade_rank(found["grade"], kpi.grades) > rules.grade_rank(grade, kpi.grades):
        return found["grade"]
    return grade


@transaction.atomic
def propose_year(organisation, year: int, *, actor=None) -> list[YearGrade]:
    """Grades of everyone in the body from their months; the excellent ones beyond the quota (lowest
    scores first) are proposed one grade lower, unless a decision for an exception is recorded."""
    period = parse_period(str(year))
    kpi = kpi_for(period)
    staff_list = list(
        StaffMember.objects.filter(organisation=organisation, is_active=True).select_related("organisation")
    )
    totals: dict[int, list[Decimal]] = defaultdict(list)
    for staff_id, total in MonthlyReview.objects.filter(
        staff__in=staff_list, period__startswith=str(year), evaluation__isnull=False
    ).values_list("staff_id", "evaluation__total"):
        totals[staff_id].append(total)
    grades = {g.staff_id: g for g in YearGrade.objects.select_for_update().filter(staff__in=staff_list, year=year)}
    for staff in staff_list:
        if staff.pk not in totals:
            continue
        grade = grades.get(staff.pk) or YearGrade(staff=staff, year=year)
        months = totals[staff.pk]
        grade.months, grade.score = len(months), (sum(months, Decimal(0)) / len(months)).quantize(Decimal("0.01"))
        grade.proposed_grade = score_grade(grade.score, grade.disqualifier, kpi)
        grades[staff.pk] = grade
    _apply_quota(list(grades.values()), kpi)
    for grade in grades.values():
        grade.full_clean()
        grade.save()
    return sorted(grades.values(), key=lambda g: -g.score)


def _excellent_code(kpi: KpiRules) -> str:
    return sorted(kpi.grades, key=lambda g: Decimal(str(g["min"])), reverse=True)[0]["code"]


def _good_codes(kpi: KpiRules) -> list[str]:
    ordered = sorted(kpi.grades, key=lambda g: Decimal(str(g["min"])), reverse=True)
    return [ordered[0]["code"], ordered[1]["code"]]


def _apply_quota(grades: list[YearGrade], kpi: KpiRules) -> None:
    excellent, good = _good_codes(kpi)
    good_or_above = sum(1 for g in grades if g.proposed_grade in (excellent, good))
    allowed = rules.excellent_allowed(good_or_above, kpi.excellent_quota_percent)
    # A recorded decision keeps its place first; the others fill what is left, highest scores first.
    candidates = sorted((g for g in grades if g.proposed_grade == excellent), key=lambda g: (not g.decision, -g.score))
    kept = 0
    for grade in candidates:
        if grade.decision or kept < allowed:
            kept += 1
        else:
            grade.proposed_grade = good
    for grade in grades:
        if not grade.is_decided:
            grade.grade = grade.proposed_grade


def quota_check(organisation, year: int) -> QuotaCheck:
    kpi = kpi_for(parse_period(str(year)))
    excellent, good = _good_codes(kpi)
    codes = list(YearGrade.objects.filter(staff__organisation=organisation, year=year).values_list("grade", flat=True))
    good_or_above = sum(1 for code in codes if code in (excellent, good))
    return QuotaCheck(
        good_or_above,
        sum(1 for code in codes if code == excellent),
        rules.excellent_allowed(good_or_above, kpi.excellent_quota_percent),
    )


@transaction.atomic
def decide_grade(grade: YearGrade, *, actor, code: str, decision: str = "", disqualifier: str = "") -> YearGrade:
    """The head decides the year's grade. Above what the score allows, or beyond the excellent quota, only
    with a recorded decision (number and date); a disqualifier caps the grade whatever the decision."""
    grade = (
        YearGrade.objects.select_for_update(of=("self",)).select_related("staff__organisation__unit").get(pk=grade.pk)
    )
    require(actor, "work.change_yeargrade", grade)
    require_decider(actor, grade.staff)
    kpi = kpi_for(parse_period(str(grade.year)))
    if code not in [g["code"] for g in kpi.grades]:
        raise ValidationError({"grade": _("Choose one of the configured grades.")})
    if disqualifier and _disqualifier(kpi, disqualifier) is None:
        raise ValidationError({"disqualifier": _("This disqualifier is not in the rules.")})
    decision = (decision or "").strip()
    allowed = score_grade(grade.score, disqualifier, kpi)
    capped = _disqualifier(kpi, disqualifier) if disqualifier else None
    if capped and rules.grade_rank(code, kpi.grades) < rules.grade_rank(capped["grade"], kpi.grades):
        raise ValidationError(
            {"grade": _("The disqualifier “%(label)s” rules this grade out.") % {"label": capped["label"]}}
        )
    if rules.grade_rank(code, kpi.grades) < rules.grade_rank(allowed, kpi.grades) and not decision:
        raise ValidationError(
            {
                "decision": _(
                    "The score %(score)s allows at most “%(grade)s”: a higher grade needs a recorded decision."
                )
                % {"score": number(grade.score), "grade": rules.grade_label(allowed, kpi.grades)}
            }
        )
    excellent, good = _good_codes(kpi)
    if code == excellent and not decision:
        others = YearGrade.objects.filter(staff__organisation=grade.staff.organisation, year=grade.year).exclude(
            pk=grade.pk
        )
        codes = [*others.values_list("grade", flat=True), code]
        good_or_above = sum(1 for c in codes if c in (excellent, good))
        if sum(1 for c in codes if c == excellent) > rules.excellent_allowed(
            good_or_above, kpi.excellent_quota_percent
        ):
            raise ValidationError(
                {
                    "decision": _(
                        "This would exceed the excellent quota of the body: an exception needs a recorded decision."
                    )
                }
            )
    grade.grade, grade.decision, grade.disqualifier, grade.is_decided = code, decision, disqualifier, True
    grade.full_clean()
    grade.save()
    record_event(grade.staff, str(grade.year), ReviewStep.GRADE, actor, f"{code} {decision}".strip())
    return grade


def visible_reviews(user):
    return MonthlyReview.objects.filter(staff_id__in=visible_staff_ids(user))


def filter_visible(queryset, user, lookup: str = "staff_id"):
    return queryset.filter(Q(**{f"{lookup}__in": visible_staff_ids(user)}))


def explain_year(staff: StaffMember, year: int) -> dict:
    """The year's score (mean of the months), its grade and one line per month."""
    kpi = kpi_for(parse_period(str(year)))
    reviews = list(
        MonthlyReview.objects.filter(staff=staff, period__startswith=str(year), evaluation__isnull=False)
        .select_related("evaluation")
        .order_by("period")
    )
    decided = YearGrade.objects.filter(staff=staff, year=year).first()
    totals = [r.evaluation.total for r in reviews]
    score = (
        decided.score
        if decided
        else (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"))
        if totals
        else None
    )
    code = decided.grade if decided and decided.grade else (score_grade(score, "", kpi) if score is not None else "")
    lines = [
        {
            "code": r.period,
            "criterion": parse_period(r.period).label(),
            "points": r.evaluation.total,
            "max_points": r.evaluation.max_total,
            "explanation": rules.grade_label(rules.grade_of(r.evaluation.total, kpi.grades)["code"], kpi.grades),
        }
        for r in reviews
    ]
    items = []
    if decided and decided.disqualifier:
        found = _disqualifier(kpi, decided.disqualifier)
        items.append(_("Disqualifier: %(label)s") % {"label": found["label"] if found else decided.disqualifier})
    if decided and decided.decision:
        items.append(_("Decision for an exception: %(decision)s") % {"decision": decided.decision})
    return {
        "person": staff.user_id,
        "person_name": str(staff),
        "period": str(year),
        "score": score,
        "grade": code,
        "grade_label": rules.grade_label(code, kpi.grades) if code else "",
        "status": "decided" if decided and decided.is_decided else ("proposed" if decided else ""),
        "explanation": lines,
        "items": items,
    }


# --- quarters -------------------------------------------------------------------------------------


def quarter_code(text: str) -> str:
    """'2026Q1', '2026-Q1' or '2026q1' → '2026Q1'; anything else → a Vietnamese ValidationError."""
    code = (text or "").strip().upper().replace("-", "")
    return _parsed(code, "quarter", _("Give a quarter as 2026Q1.")).code


def quarter_months(code: str) -> list[str]:
    period = parse_period(code)
    return [f"{period.start.year}{month:02d}" for month in range(period.start.month, period.end.month + 1)]


@dataclass(frozen=True)
class QuarterGrade:
    """A quarter's grade: the mean of its scored months, graded by the rules in force at its end. Final
    when its three months are approved, else proposed."""

    code: str
    score: Decimal | None
    months: int
    approved: int
    grade: str
    label: str

    @property
    def is_final(self) -> bool:
        return self.approved == 3


def quarter_grades(staff_ids, year: int) -> dict[int, list[QuarterGrade]]:
    """{staff id: [Q1..Q4]} from the months (one query); a quarter with no scored month has no score."""
    found: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for staff_id, period, total, status in MonthlyReview.objects.filter(
        staff_id__in=list(staff_ids), period__startswith=str(year), evaluation__isnull=False
    ).values_list("staff_id", "period", "evaluation__total", "status"):
        found[staff_id][f"{year}Q{(int(period[4:]) + 2) // 3}"].append((total, status))
    result: dict[int, list[QuarterGrade]] = {}
    kpis = {q: rules.rules_on(parse_period(f"{year}Q{q}").end) for q in range(1, 5)}
    for staff_id in staff_ids:
        quarters = []
        for number_ in range(1, 5):
            code, kpi = f"{year}Q{number_}", kpis[number_]
            months = found.get(staff_id, {}).get(code, [])
            if not months or kpi is None:
                quarters.append(QuarterGrade(code, None, 0, 0, "", ""))
                continue
            score = (sum((t for t, _s in months), Decimal(0)) / len(months)).quantize(Decimal("0.01"))
            grade = rules.grade_of(score, kpi.grades)
            approved = sum(1 for _t, status in months if status == ReviewStatus.APPROVED)
            quarters.append(QuarterGrade(code, score, len(months), approved, grade["code"], str(grade["label"])))
        result[staff_id] = quarters
    return result


def explain_quarter(staff: StaffMember, code: str) -> dict:
    """The quarter's score (mean of its months), its grade and one line per month (same shape as the year)."""
    period = parse_period(code)
    kpi = kpi_for(period)
    quarter = next(q for q in quarter_grades([staff.pk], period.start.year)[staff.pk] if q.code == period.code)
    reviews = list(
        MonthlyReview.objects.filter(staff=staff, period__in=quarter_months(code), evaluation__isnull=False)
        .select_related("evaluation")
        .order_by("period")
    )
    lines = [
        {
            "code": r.period,
            "criterion": parse_period(r.period).label(),
            "points": r.evaluation.total,
            "max_points": r.evaluation.max_total,
            "explanation": " — ".join(
                [
                    rules.grade_label(rules.grade_of(r.evaluation.total, kpi.grades)["code"], kpi.grades),
                    str(r.get_status_display()),
                ]
            ),
        }
        for r in reviews
    ]
    items = [
        _("Mean of %(months)s scored months of 3; %(approved)s approved.")
        % {"months": quarter.months, "approved": quarter.approved}
    ]
    return {
        "person": staff.user_id,
        "person_name": str(staff),
        "period": period.code,
        "score": quarter.score,
        "grade": quarter.grade,
        "grade_label": quarter.label,
        "status": ("approved" if quarter.is_final else "proposed") if quarter.months else "",
        "explanation": lines,
        "items": items,
    }
