"""The one write path of contests and learning: question banks, contests, attempts."""

import datetime
import random
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Avg, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.permissions import require
from tinhso.units.models import Unit

from . import grading
from .choices import AttemptStatus, Eligibility, Grading
from .formats import FormatError, ParsedQuestion, parse
from .models import Attempt, Contest, Participation, Question, QuestionPool

MAX_IMPORT_BYTES = 5 * 1024 * 1024


# --- question banks ---------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    imported: int
    dry_run: bool
    questions: list[ParsedQuestion]


def decode_upload(raw: bytes) -> str:
    if len(raw) > MAX_IMPORT_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file must be UTF-8 text.")) from None


def import_questions(*, actor, unit: Unit, format_name: str, text: str, dry_run: bool = False) -> ImportResult:
    """Read a GIFT, Aiken or Moodle XML bank; every question or none (FormatError lists each bad line)."""
    require(actor, "learning.add_question", unit)
    parsed = parse(format_name, text)
    if dry_run:
        return ImportResult(len(parsed), True, parsed)
    with transaction.atomic():
        for item in parsed:
            question = Question(
                unit=unit,
                kind=item.kind,
                name=item.name[:200],
                text=item.text,
                data=item.data,
                topic=item.topic[:120],
                domain=item.domain,
                level=item.level,
            )
            try:
                question.full_clean()
            except ValidationError as error:
                raise FormatError([grading_error(item.line, error)]) from None
            question.save()
    return ImportResult(len(parsed), False, parsed)


def grading_error(line: int, error: ValidationError):
    from .formats import LineError

    return LineError(line, "; ".join(error.messages))


# --- contests ---------------------------------------------------------------------------------------------


@transaction.atomic
def save_contest(contest: Contest, *, actor, pools: list[dict] | None = None, organisations=(), units=()) -> Contest:
    require(actor, "learning.change_contest" if contest.pk else "learning.add_contest", contest)
    contest.full_clean()
    if pools is not None and not pools:
        raise ValidationError({"pools": _("Add at least one group of questions.")})
    contest.save()
    if organisations:
        contest.eligible_organisations.set(organisations)
    if units:
        contest.eligible_units.set(units)
    if pools is not None:
        contest.pools.all().delete()
        for pool in pools:
            QuestionPool(contest=contest, **pool).save()
    return contest


def _residence_paths(user) -> list[str]:
    return [assignment.unit.path for assignment in user.role_assignments.select_related("unit")]


def is_eligible(contest: Contest, user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if contest.eligibility == Eligibility.REGISTERED:
        return True
    if contest.eligibility == Eligibility.OFFICIALS:
        return (
            user.organisation_id is not None and contest.eligible_organisations.filter(pk=user.organisation_id).exists()
        )
    from tinhso.units.succession import extend_across_reorganisations

    listed, _exact = extend_across_reorganisations({unit.path for unit in contest.eligible_units.all()}, set())
    return any(path.startswith(prefix) for path in _residence_paths(user) for prefix in listed)


def participant_unit(user) -> Unit | None:
    """Where a participant counts in reports: their organisation's unit, else the unit they live in."""
    if user.organisation_id:
        return user.organisation.unit
    assignment = user.role_assignments.select_related("unit").order_by("-unit__depth").first()
    return assignment.unit if assignment else None


def _bank(contest: Contest):
    """The questions a contest draws from: its unit's bank and those of the units above it."""
    owners = [*contest.unit.ancestor_ids, contest.unit.pk]
    return Question.objects.filter(unit__in=owners, is_active=True)


def _draw(contest: Contest, rng: random.Random) -> list[dict]:
    chosen: list[int] = []
    for pool in contest.pools.all():
        candidates = _bank(contest)
        for field in ("topic", "domain", "level"):
            if getattr(pool, field):
                candidates = candidates.filter(**{field: getattr(pool, field)})
        ids = sorted(set(candidates.values_list("pk", flat=True)) - set(chosen))
        if len(ids) < pool.count:
            raise ValidationError(_("The question bank has too few questions for this contest."))
        chosen += rng.sample(ids, pool.count)
    questions = Question.objects.in_bulk(chosen)
    paper = [grading.paper_entry(questions[pk], rng, shuffle_choices=contest.shuffle_choices) for pk in chosen]
    if contest.shuffle_questions:
        rng.shuffle(paper)
    return paper


def start_or_resume(contest: Contest, *, user, now: datetime.datetime | None = None) -> Attempt:
    """The participant's open attempt (same paper, same deadline), or a new one if the rules allow."""
    now = now or timezone.now()
    if not contest.is_published or not is_eligible(contest, user):
        raise PermissionDenied(_("You may not take part in this contest."))
    for attempt in Attempt.objects.filter(contest=contest, user=user, status=AttemptStatus.OPEN):
        if not close_if_overdue(attempt, now=now):
            return attempt
    if now < contest.opens_at:
        raise ValidationError(_("The contest has not opened yet."))
    if now >= contest.closes_at:
        raise ValidationError(_("The contest is closed."))
    used = Attempt.objects.filter(contest=contest, user=user).count()
    if used >= contest.attempts_allowed:
        raise ValidationError(
            _("You have used all %(count)s attempts of this contest.") % {"count": contest.attempts_allowed}
        )
    paper = _draw(contest, random.Random())
    limit = now + datetime.timedelta(minutes=contest.time_limit_minutes)
    unit = participant_unit(user)
    attempt = Attempt(
        contest=contest,
        user=user,
        unit=unit,
        organisation=user.organisation,
        number=used + 1,
        started_at=now,
        deadline=min(limit, contest.closes_at),
        questions=paper,
        max_score=float(len(paper)),
    )
    try:
        with transaction.atomic():
            attempt.save()
    except IntegrityError:  # the same person started twice at once (two tabs): resume the one that won
        return Attempt.objects.get(contest=contest, user=user, number=used + 1)
    return attempt


def _require_owner(attempt: Attempt, actor) -> None:
    if actor is None or attempt.user_id != actor.pk:
        raise PermissionDenied(_("This is not your attempt."))


def save_answers(attempt: Attempt, *, actor, answers: dict, now: datetime.datetime | None = None) -> Attempt:
    """Autosave: merge answers into the open attempt. After the deadline nothing is taken and the attempt is
    closed with what was saved before."""
    now = now or timezone.now()
    _require_owner(attempt, actor)
    close_if_overdue(attempt, now=now)
    _require_open(attempt)
    cleaned = _clean_answers(attempt, answers)
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        _require_open(locked)
        locked.answers = {**locked.answers, **cleaned}
        locked.save(update_fields=["answers", "updated_at"])
    attempt.answers = locked.answers
    return attempt


def _require_open(attempt: Attempt) -> None:
    if attempt.status == AttemptStatus.EXPIRED:
        raise ValidationError(_("Time is up: the attempt was closed at the deadline with the answers saved before."))
    if not attempt.is_open:
        raise ValidationError(_("This attempt is already closed."))


def _clean_answers(attempt: Attempt, answers) -> dict:
    if not isinstance(answers, dict):
        raise ValidationError(_("Send the answers as an object of question number to answer."))
    on_paper = {str(entry["id"]) for entry in attempt.questions}
    unknown = set(map(str, answers)) - on_paper
    if unknown:
        raise ValidationError(_("Some answers are for questions that are not in this attempt."))
    questions = Question.objects.in_bulk([int(key) for key in answers])
    cleaned, errors = {}, {}
    for key, value in answers.items():
        try:
            cleaned[str(key)] = grading.clean_answer(questions[int(key)], value)
        except ValueError as error:
            errors[str(key)] = str(error)
    if errors:
        raise ValidationError(errors)
    return cleaned


def finish_attempt(attempt: Attempt, *, actor, now: datetime.datetime | None = None) -> Attempt:
    now = now or timezone.now()
    _require_owner(attempt, actor)
    if close_if_overdue(attempt, now=now) or not attempt.is_open:
        return Attempt.objects.get(pk=attempt.pk)  # submitting twice, or after the server closed it: the result
    return _close(attempt, AttemptStatus.FINISHED, now)


def close_if_overdue(attempt: Attempt, *, now: datetime.datetime | None = None) -> bool:
    """Close an open attempt whose deadline has passed, at the deadline, with what was saved. True if it did."""
    now = now or timezone.now()
    if not attempt.is_open or now < attempt.deadline:
        return False
    closed = _close(attempt, AttemptStatus.EXPIRED, attempt.deadline)
    attempt.status = closed.status
    return True


@transaction.atomic
def _close(attempt: Attempt, status: str, when: datetime.datetime) -> Attempt:
    locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if not locked.is_open:
        return locked
    ids = [entry["id"] for entry in locked.questions]
    questions = Question.objects.in_bulk(ids)
    locked.score = sum(
        grading.score_answer(questions[pk], locked.answers.get(str(pk))) for pk in ids if pk in questions
    )
    locked.status = status
    locked.finished_at = when
    locked.save(update_fields=["score", "status", "finished_at", "updated_at"])
    refresh_participation(locked.contest, locked.user_id)
    attempt.status, attempt.score, attempt.finished_at = locked.status, locked.score, locked.finished_at
    return locked


def close_overdue_attempts(now: datetime.datetime | None = None) -> int:
    """The periodic sweep: every attempt past its deadline is closed with what was saved."""
    now = now or timezone.now()
    closed = 0
    for attempt in Attempt.objects.filter(status=AttemptStatus.OPEN, deadline__lte=now).iterator():
        closed += close_if_overdue(attempt, now=now)
    return closed


def refresh_participation(contest: Contest, user_id: int) -> Participation | None:
    closed = Attempt.objects.filter(contest=contest, user_id=user_id).exclude(status=AttemptStatus.OPEN)
    attempts = list(closed.order_by("finished_at", "number"))
    if not attempts:
        return None
    if contest.grading == Grading.BEST:
        top = max(a.score or 0 for a in attempts)
        chosen = min((a for a in attempts if (a.score or 0) == top), key=lambda a: a.seconds_used)
        grade, seconds = top, chosen.seconds_used
    elif contest.grading == Grading.LAST:
        chosen = attempts[-1]
        grade, seconds = chosen.score or 0, chosen.seconds_used
    else:
        grade = closed.aggregate(value=Avg("score"))["value"] or 0
        seconds = round(sum(a.seconds_used for a in attempts) / len(attempts))
    last = attempts[-1]
    participation, _created = Participation.objects.update_or_create(
        contest=contest,
        user_id=user_id,
        defaults={
            "unit": last.unit,
            "organisation": last.organisation,
            "unit_path": last.unit.path if last.unit else "",
            "attempts": len(attempts),
            "grade": round(grade, 4),
            "seconds": seconds,
            "finished_at": closed.aggregate(value=Max("finished_at"))["value"],
        },
    )
    return participation
