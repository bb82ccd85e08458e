"""Appeals: an official asks for the score or grade of a month, a quarter or the year to be re-evaluated.

Who decides: the one who approves that person's months — the head of the body, or for the head, their
manager up the line (`evaluation.require_decider`). Accepting re-evaluates through the audited paths
that already exist: a frozen month is reopened (with the appeal as the reason), a quarter reopens its
approved months, and the year's grade is decided again with the appeal as the recorded decision. Every
step is in the evaluation trail (`ReviewEvent`) and the change log; both sides are told through core's
`notify()` (kinds `work.appeal_filed`, `work.appeal_decided`).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.notifications import notify
from tinhso.core.periods import parse_period
from tinhso.core.permissions import require
from tinhso.core.text import clean_text

from . import evaluation
from .choices import AppealStatus, ReviewStatus, ReviewStep
from .models import Appeal, MonthlyReview, StaffMember, YearGrade

MAX_REASON = 5000


def period_of_appeal(raw: str) -> str:
    """'2026-03' / '202603' (month), '2026Q1' (quarter) or '2026' (year) → its code."""
    text = (raw or "").strip().upper().replace("-", "")
    try:
        period = parse_period(text)
    except ValidationError as error:
        raise ValidationError({"period": _("Choose a month, a quarter or a year to appeal.")}) from error
    if period.kind not in ("month", "quarter", "year"):
        raise ValidationError({"period": _("Choose a month, a quarter or a year to appeal.")})
    return period.code


def _clean(text, field: str) -> str:
    try:
        return clean_text(str(text or ""), multiline=True).strip()
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


def _graded(staff: StaffMember, code: str) -> bool:
    kind = parse_period(code).kind
    if kind == "month":
        return MonthlyReview.objects.filter(staff=staff, period=code, evaluation__isnull=False).exists()
    if kind == "quarter":
        return MonthlyReview.objects.filter(
            staff=staff, period__in=evaluation.quarter_months(code), evaluation__isnull=False
        ).exists()
    return YearGrade.objects.filter(staff=staff, year=int(code)).exists()


def deciders(staff: StaffMember) -> list:
    """The users who decide this person's appeals."""
    if staff.is_head:
        return [m.user for m in staff.managers()]
    return [
        m.user
        for m in StaffMember.objects.filter(organisation=staff.organisation, is_head=True).select_related("user")
        if m.user_id != staff.user_id
    ]


@transaction.atomic
def file_appeal(staff: StaffMember, *, actor, period: str, reason: str) -> Appeal:
    """The official appeals their own score or grade; one appeal of a period waits at a time."""
    code = period_of_appeal(period)
    appeal = Appeal(staff=staff, period=code, reason=_clean(reason, "reason"), filed_by=actor)
    require(actor, "work.add_appeal", appeal)
    if actor is not None and actor.pk != staff.user_id:
        raise PermissionDenied(_("Only the official can appeal their own evaluation."))
    if not appeal.reason:
        raise ValidationError({"reason": _("Say why you appeal.")})
    if len(appeal.reason) > MAX_REASON:
        raise ValidationError({"reason": _("The reason is too long (5.000 characters at most).")})
    if not _graded(staff, code):
        raise ValidationError({"period": _("There is no score or grade of this period to appeal yet.")})
    if Appeal.objects.filter(staff=staff, period=code, status=AppealStatus.PENDING).exists():
        raise ValidationError({"period": _("An appeal of this period is already waiting for a decision.")})
    appeal.full_clean()
    try:
        with transaction.atomic():
            appeal.save()
    except IntegrityError as error:  # two submissions at once: the constraint keeps one
        raise ValidationError({"period": _("An appeal of this period is already waiting for a decision.")}) from error
    evaluation.record_event(staff, code, ReviewStep.APPEAL, actor, appeal.reason)
    label = parse_period(code).label()
    notify(
        deciders(staff),
        kind="work.appeal_filed",
        subject=_("Appeal of %(person)s: %(period)s") % {"person": staff, "period": label},
        body=appeal.reason,
        url=appeal.get_absolute_url(),
        related=appeal,
        actor=actor,
    )
    return appeal


@transaction.atomic
def decide_appeal(appeal: Appeal, *, actor, accept: bool, answer: str, grade: str = "") -> Appeal:
    """The decider answers. Accepting reopens the frozen month(s) or decides the year's grade again
    (`grade`, with the appeal as the recorded decision); rejecting changes no score. Either way the
    official is told."""
    appeal = (
        Appeal.objects.select_for_update(of=("self",)).select_related("staff__organisation__unit").get(pk=appeal.pk)
    )
    require(actor, "work.change_appeal", appeal)
    evaluation.require_decider(actor, appeal.staff)
    if appeal.status != AppealStatus.PENDING:
        raise ValidationError(_("This appeal is already decided."))
    answer = _clean(answer, "answer")
    if not answer:
        raise ValidationError({"answer": _("Write the answer to the appeal.")})
    kind = parse_period(appeal.period).kind
    note = _("Appeal #%(number)s: %(answer)s") % {"number": appeal.pk, "answer": answer}
    if accept:
        if kind == "year":
            found = YearGrade.objects.filter(staff=appeal.staff, year=int(appeal.period)).first()
            if not grade:
                raise ValidationError({"grade": _("Choose the grade after re-evaluation.")})
            assert found is not None  # an appeal is filed only on a graded period
            evaluation.decide_grade(found, actor=actor, code=grade, decision=note[:200])
            appeal.new_grade = grade
        else:
            months = [appeal.period] if kind == "month" else evaluation.quarter_months(appeal.period)
            for review in MonthlyReview.objects.filter(
                staff=appeal.staff, period__in=months, status=ReviewStatus.APPROVED
            ):
                evaluation.reopen(review, actor=actor, reason=note)
    appeal.status = AppealStatus.ACCEPTED if accept else AppealStatus.REJECTED
    appeal.answer, appeal.decided_by, appeal.decided_at = answer, actor, timezone.now()
    appeal.full_clean()
    appeal.save()
    evaluation.record_event(appeal.staff, appeal.period, ReviewStep.APPEAL_DECIDED, actor, f"{appeal.status}: {answer}")
    notify(
        [appeal.staff.user],
        kind="work.appeal_decided",
        subject=_("Your appeal of %(period)s: %(outcome)s")
        % {"period": parse_period(appeal.period).label(), "outcome": appeal.get_status_display()},
        body=answer,
        url=appeal.get_absolute_url(),
        related=appeal,
        actor=actor,
    )
    return appeal


def visible_appeals(user):
    """Appeals whose scores the user may see: their own, their line's, the bodies they head or keep records of."""
    return Appeal.objects.filter(staff_id__in=evaluation.visible_staff_ids(user)).select_related(
        "staff__user", "decided_by"
    )


def may_decide(user, appeal: Appeal) -> bool:
    try:
        evaluation.require_decider(user, appeal.staff)
    except PermissionDenied:
        return False
    return appeal.status == AppealStatus.PENDING
