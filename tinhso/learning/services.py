"""The one write path of contests and learning: question banks, contests, attempts."""

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.accounts import phone_verification
from tinhso.core.images import publishable_jpeg
from tinhso.core.permissions import require
from tinhso.units.models import Unit

from . import framework, grading, live_state
from .choices import AttemptStatus, Eligibility, Grading, LiveStatus, Purpose, QuestionKind
from .formats import FormatError, ParsedQuestion, parse
from .models import (
    Attempt,
    Competence,
    CompetenceDomain,
    Contest,
    ContestCertificate,
    Course,
    Enrolment,
    LearnerLevel,
    Lesson,
    LiveAnswer,
    LiveRound,
    Participation,
    Question,
    QuestionPool,
    check_level,
)

MAX_IMPORT_BYTES = 5 * 1024 * 1024  # GIFT and Aiken: text only, thousands of questions
MAX_MOODLE_XML_BYTES = 20 * 1024 * 1024  # Moodle XML carries its pictures in base64 (nginx takes 25 MB)


def import_limit(format_name: str) -> int:
    """The largest bank file of this format that is read (bytes)."""
    return MAX_MOODLE_XML_BYTES if format_name == "moodlexml" else MAX_IMPORT_BYTES


# --- question banks ---------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    imported: int
    dry_run: bool
    questions: list[ParsedQuestion]


def read_upload(upload, format_name: str) -> str:
    """An uploaded bank file as text: no more than its format's limit is read, and it must be UTF-8."""
    limit = import_limit(format_name)
    raw = upload.read(limit + 1)
    if len(raw) > limit:
        raise ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)})
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file must be UTF-8 text.")) from None


def import_questions(*, actor, unit: Unit, format_name: str, text: str, dry_run: bool = False) -> ImportResult:
    """Read a GIFT, Aiken or Moodle XML bank; every question or none (FormatError lists each bad line). Tags are
    checked against the framework's tables as they are now (domains, component competences, levels). A picture
    a Moodle XML file carries is checked as an upload is (a readable picture, not too large) and kept the same
    way (JPEG without EXIF under an unguessable name); a dry run checks the same and writes nothing. Files are
    written only once every question is sound, and deleted again if the import still fails."""
    require(actor, "learning.add_question", unit)
    parsed = parse(format_name, text, framework.current())
    pictures = _imported_pictures(parsed)
    if dry_run:
        return ImportResult(len(parsed), True, parsed)
    competences = {c.code: c for c in Competence.objects.all()}
    questions = []
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
            image_caption=item.image_caption[:200] if item.image is not None else "",
        )
        try:
            question.full_clean(exclude=["image"])
        except ValidationError as error:
            raise FormatError([grading_error(item.line, error)]) from None
        questions.append(question)
    written: list = []
    try:
        with transaction.atomic():
            for item, question, picture in zip(parsed, questions, pictures, strict=True):
                if picture is not None:
                    question.image.save("question.jpg", ContentFile(picture, name="question.jpg"), save=False)
                    written.append(question.image)
                question.save()
                if item.competence_codes:
                    question.competences.set([competences[code] for code in item.competence_codes])
    except BaseException:
        for file in written:  # the rows rolled back: their pictures go too
            file.storage.delete(file.name)
        raise
    return ImportResult(len(parsed), False, parsed)


def _imported_pictures(parsed: list[ParsedQuestion]) -> list[bytes | None]:
    """Each question's picture made publishable (the upload's way), or FormatError naming every bad one's line."""
    from .formats import LineError

    pictures: list[bytes | None] = []
    errors = []
    for item in parsed:
        if item.image is None:
            pictures.append(None)
            continue
        try:
            pictures.append(_publishable_image(ContentFile(item.image)))
        except ValidationError as error:
            errors.append(LineError(item.image_line or item.line, " ".join(error.messages)))
    if errors:
        raise FormatError(errors)
    return pictures


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
    for pool in pools or ():
        check_tags(domain=pool.get("domain"), level=pool.get("level"))
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


def new_rng() -> random.Random:
    """Where each new attempt's draw and shuffles come from (a test seeds it to make the orders deterministic)."""
    return random.Random()


def _draw(contest: Contest, rng: random.Random) -> tuple[list[dict], dict[int, Question]]:
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
    return paper, questions


def start_or_resume(contest: Contest, *, user, now: datetime.datetime | None = None) -> Attempt:
    """The participant's open attempt (same paper, same deadline), or a new one if the rules allow."""
    now = now or timezone.now()
    if not contest.is_published or not is_eligible(contest, user):
        raise PermissionDenied(_("You may not take part in this contest."))
    mine = list(Attempt.objects.filter(contest=contest, user=user))  # the open one and the count, in one query
    for attempt in mine:
        if attempt.is_open and not close_if_overdue(attempt, now=now):
            return attempt
    phone_verification.check_may_take_part(user)  # one phone, one participant (accounts' rule)
    if now < contest.opens_at:
        raise ValidationError(_("The contest has not opened yet."))
    if now >= contest.closes_at:
        raise ValidationError(_("The contest is closed."))
    used = len(mine)
    if used >= contest.attempts_allowed:
        raise ValidationError(
            _("You have used all %(count)s attempts of this contest.") % {"count": contest.attempts_allowed}
        )
    paper, questions = _draw(contest, new_rng())
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
    attempt.paper_questions = questions
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
    # The contest, the participant and their unit come with the row (the change log names them, the participation
    # copies the unit); only the attempt's row is locked.
    related = Attempt.objects.select_related("contest", "user", "unit")
    locked = related.select_for_update(of=("self",)).get(pk=attempt.pk)
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
    if locked.contest.purpose == Purpose.PLACEMENT:
        set_levels_from(locked, questions)
    elif locked.contest.purpose == Purpose.QUIZ:
        for course in locked.contest.courses.all():
            refresh_enrolment(course, locked.user_id)
    attempt.status, attempt.score, attempt.finished_at = locked.status, locked.score, locked.finished_at
    locked.paper_questions = questions
    return locked


def close_overdue_attempts(now: datetime.datetime | None = None) -> int:
    """The periodic sweep: every attempt past its deadline is closed with what was saved."""
    now = now or timezone.now()
    closed = 0
    for attempt in Attempt.objects.filter(status=AttemptStatus.OPEN, deadline__lte=now).iterator():
        closed += close_if_overdue(attempt, now=now)
    return closed


def refresh_participation(contest: Contest, user_id: int) -> Participation | None:
    """The person's standing from their closed attempts, read once with their units (grade, time and last
    submission are worked out from these rows, not asked of the database again)."""
    closed = Attempt.objects.filter(contest=contest, user_id=user_id).exclude(status=AttemptStatus.OPEN)
    attempts = list(closed.select_related("unit").order_by("finished_at", "number"))
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
        scores = [a.score for a in attempts if a.score is not None]  # as SQL's AVG: attempts without a score left out
        grade = sum(scores) / len(scores) if scores else 0
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
            "finished_at": max((a.finished_at for a in attempts if a.finished_at), default=None),
        },
    )
    return participation


# --- contest certificates ---------------------------------------------------------------------------------


def _graded_attempt(participation: Participation) -> Attempt | None:
    """The attempt whose score is the grade (the first such, the one a best-of grading picked on a tie of time
    aside); none when the grade is an average that no single attempt scored."""
    closed = Attempt.objects.filter(contest_id=participation.contest_id, user_id=participation.user_id)
    closed = closed.exclude(status=AttemptStatus.OPEN).order_by("finished_at", "number")
    return next((a for a in closed if round(a.score or 0, 4) == participation.grade), None)


@transaction.atomic
def issue_contest_certificate(participation: Participation, *, actor, rank: int | None) -> ContestCertificate:
    """The certificate of a finished participation as it stands, when the participant or the contest's organiser
    first prints it; printing again gives the same certificate (same code) while the result and the place are
    the same. A changed result gets a new certificate; the earlier one stays genuine for what it stated. A
    result whose certificate was revoked is not certified again."""
    if actor is None or actor.pk != participation.user_id:
        require(actor, "learning.add_contestcertificate", participation.contest)
    locked = Participation.objects.select_for_update().select_related("user", "contest").get(pk=participation.pk)
    if locked.finished_at is None:
        raise ValidationError(_("The participant has not finished the contest yet."))
    same = ContestCertificate.objects.filter(
        contest_id=locked.contest_id, user_id=locked.user_id, score=locked.grade, rank=rank
    )
    if existing := same.filter(revoked_at=None).first():
        return existing
    if same.exists():
        raise ValidationError(_("The certificate of this result has been revoked by the organiser."))
    attempt = _graded_attempt(locked)
    certificate = ContestCertificate(
        contest=locked.contest,
        user=locked.user,
        name=str(locked.user)[:200],
        unit=locked.unit,
        attempt=attempt,
        score=locked.grade,
        max_score=attempt.max_score if attempt else float(locked.contest.question_count),
        rank=rank,
        issued_at=timezone.now(),
        issued_by=actor,
    )
    certificate.full_clean()
    certificate.save()
    return certificate


@transaction.atomic
def revoke_contest_certificate(certificate: ContestCertificate, *, actor, reason: str) -> ContestCertificate:
    """The organiser withdraws a printed certificate: its QR page says so from now on, with the reason."""
    require(actor, "learning.change_contestcertificate", certificate)
    locked = ContestCertificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.is_revoked:
        raise ValidationError(_("This certificate has already been revoked."))
    locked.revoked_reason = (reason or "").strip()
    if not locked.revoked_reason:
        raise ValidationError({"revoked_reason": _("Say why the certificate is revoked.")})
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.full_clean()
    locked.save(update_fields=["revoked_at", "revoked_by", "revoked_reason", "updated_at"])
    return locked


@transaction.atomic
def restore_contest_certificate(certificate: ContestCertificate, *, actor) -> ContestCertificate:
    """The organiser takes back a revocation made in error: the QR page confirms the certificate again. The change
    log keeps who revoked it, when and why, and who restored it."""
    require(actor, "learning.change_contestcertificate", certificate)
    locked = ContestCertificate.objects.select_for_update().get(pk=certificate.pk)
    if not locked.is_revoked:
        raise ValidationError(_("This certificate is not revoked."))
    locked.revoked_at, locked.revoked_by, locked.revoked_reason = None, None, ""
    locked.save(update_fields=["revoked_at", "revoked_by", "revoked_reason", "updated_at"])
    return locked


# --- question bank editing --------------------------------------------------------------------------------


@transaction.atomic
def save_question(
    question: Question,
    *,
    actor,
    competences: Iterable[Competence] | None = None,
    image=None,
    remove_image: bool = False,
) -> Question:
    """The question; an uploaded `image` goes the lesson images' way (`_publishable_image`), refused with
    nothing written when it is not a readable picture or too large."""
    require(actor, "learning.change_question" if question.pk else "learning.add_question", question)
    data = _publishable_image(image)
    question.full_clean(exclude=["image"])
    competences = _check_framework(question, competences)
    _replace_image(question, data, remove_image, "question.jpg")
    question.save()
    if competences is not None:
        question.competences.set(competences)
    return question


def check_tags(*, domain=None, level=None) -> None:
    """A domain and a level the framework's tables hold (either may be none)."""
    if domain is not None and not CompetenceDomain.objects.filter(number=domain).exists():
        raise ValidationError({"domain": _("Choose a competence domain of the framework.")})
    check_level(level)


def _check_framework(tagged, competences) -> list | None:
    """A domain and competences the framework has, the competences within the domain chosen."""
    check_tags(domain=tagged.domain, level=tagged.level)
    if competences is None:
        return None
    competences = list(competences)
    if tagged.domain is not None and any(c.domain.number != tagged.domain for c in competences):
        raise ValidationError({"competences": _("Choose competences of the chosen competence domain.")})
    return competences


# --- courses and placement --------------------------------------------------------------------------------


@transaction.atomic
def save_course(course: Course, *, actor, competences: Iterable[Competence] | None = None) -> Course:
    require(actor, "learning.change_course" if course.pk else "learning.add_course", course)
    course.full_clean()
    competences = _check_framework(course, competences)
    if course.quiz is not None and course.quiz.unit_id not in (*course.unit.ancestor_ids, course.unit_id):
        raise ValidationError({"quiz": _("The final quiz must belong to the course's unit or a unit above it.")})
    course.save()
    if competences is not None:
        course.competences.set(competences)
    return course


LESSON_IMAGE_PIXELS = 1280
LESSON_IMAGE_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def save_lesson(lesson: Lesson, *, actor, image=None, remove_image: bool = False) -> Lesson:
    """The lesson, with an uploaded `image` (a file object) made publishable first: upright, ≤ 1,280 px, JPEG
    without EXIF (a phone photo carries the GPS point and the phone). A file that is not a readable photo, or
    is too large, raises ValidationError on `image` and nothing is written. A new image (or `remove_image`)
    replaces the stored one, which is deleted once the change is committed."""
    require(actor, "learning.change_course", lesson.course)
    data = _publishable_image(image)
    lesson.full_clean(exclude=["image"])
    _replace_image(lesson, data, remove_image, "lesson.jpg")
    lesson.save()
    return lesson


def _publishable_image(image) -> bytes | None:
    """An uploaded file made publishable (upright, ≤ 1,280 px, JPEG without EXIF), or ValidationError on `image`."""
    if image is None:
        return None
    try:
        return publishable_jpeg(image, max_pixels=LESSON_IMAGE_PIXELS, max_bytes=LESSON_IMAGE_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"image": error.messages}) from error


def _replace_image(owner, data: bytes | None, remove: bool, name: str) -> None:
    """Put the new picture (or none) on `owner`, unsaved; the old file is deleted once the change is committed."""
    old_name = (getattr(owner, "_loaded_values", None) or {}).get("image") or ""  # as read from the database
    if data is not None:
        owner.image.save(name, ContentFile(data, name=name), save=False)  # named: else no width/height
    elif remove:
        owner.image = None
        owner.image_width = owner.image_height = None
    if old_name and old_name != owner.image.name:
        storage = owner.image.storage
        transaction.on_commit(lambda: storage.delete(old_name))


def _course_open_to(course: Course, user) -> None:
    if not user.is_authenticated or not user.is_active or not course.is_published:
        raise PermissionDenied(_("This course is not open."))


def read_lesson(lesson: Lesson, *, user, now: datetime.datetime | None = None) -> Enrolment:
    """The learner marks a lesson as read; the course's progress (and completion) follows."""
    course = lesson.course
    _course_open_to(course, user)
    with transaction.atomic():
        enrolment = _enrolment(course, user)
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        if lesson.pk not in locked.lessons_done:
            locked.lessons_done = sorted({*locked.lessons_done, lesson.pk})
            locked.save(update_fields=["lessons_done", "updated_at"])
        return refresh_enrolment(course, user.pk, now=now) or locked


def _enrolment(course: Course, user) -> Enrolment:
    enrolment = Enrolment.objects.filter(course=course, user=user).first()
    if enrolment:
        return enrolment
    try:
        with transaction.atomic():
            return Enrolment.objects.create(course=course, user=user, unit=participant_unit(user))
    except IntegrityError:  # two tabs at once
        return Enrolment.objects.get(course=course, user=user)


def refresh_enrolment(course: Course, user_id: int, *, now: datetime.datetime | None = None) -> Enrolment | None:
    """Progress from the lessons read and the final quiz's grade; completed once both are there (kept after)."""
    enrolment = Enrolment.objects.filter(course=course, user_id=user_id).first()
    if enrolment is None:
        from django.contrib.auth import get_user_model

        enrolment = _enrolment(course, get_user_model().objects.get(pk=user_id))
    lessons = set(course.lessons.values_list("pk", flat=True))
    read = lessons & set(enrolment.lessons_done)
    quiz_percent = None
    if course.quiz is not None:
        participation = Participation.objects.filter(contest=course.quiz, user_id=user_id).first()
        questions = course.quiz.question_count
        if participation and questions:
            quiz_percent = round(100 * participation.grade / questions, 1)
    passed = quiz_percent is not None and quiz_percent >= course.pass_percent if course.quiz_id else True
    fields = ["quiz_percent", "updated_at"]
    enrolment.quiz_percent = quiz_percent
    if enrolment.completed_at is None and lessons and read == lessons and passed:
        enrolment.completed_at = now or timezone.now()
        fields.append("completed_at")
    enrolment.save(update_fields=fields)
    return enrolment


PLACEMENT_PASS = 0.5  # a level is reached when at least half its points (and those of every level below) are


def placement_levels(attempt: Attempt, questions: dict) -> dict[int, int]:
    """Per competence domain on the paper: the highest level L such that every level up to L scored ≥ 50 %."""
    by_level: dict[int, dict[int, list[float]]] = {}
    for entry in attempt.questions:
        question = questions.get(entry["id"])
        if question is None or question.domain is None or question.level is None:
            continue
        score = grading.score_answer(question, attempt.answers.get(str(question.pk)))
        by_level.setdefault(question.domain, {}).setdefault(question.level, []).append(score)
    levels = {}
    for domain, scores in by_level.items():
        reached = 0
        for level in sorted(scores):
            if sum(scores[level]) / len(scores[level]) < PLACEMENT_PASS:
                break
            reached = level
        levels[domain] = reached
    return levels


def set_levels_from(attempt: Attempt, questions: dict) -> None:
    """Called as a placement attempt closes (inside its transaction): the learner's level per domain."""
    for domain, level in placement_levels(attempt, questions).items():
        LearnerLevel.objects.update_or_create(
            user_id=attempt.user_id,
            domain=domain,
            defaults={"level": level, "attempt": attempt, "assessed_at": attempt.finished_at, "unit": attempt.unit},
        )


def weakest_domain(user) -> int | None:
    """The competence domain where the placement set the learner's lowest level (ties: the lower number)."""
    return LearnerLevel.objects.filter(user=user).order_by("level", "domain").values_list("domain", flat=True).first()


def _in_domain(course: Course, domain: int | None) -> list[Competence] | bool:
    """The course's component competences of `domain` (or True when only the course's domain is that one)."""
    if domain is None:
        return False
    tagged = [c for c in course.competences.all() if c.domain.number == domain]
    return tagged or course.domain == domain


def next_courses(user, limit: int = 3) -> list[Course]:
    """What to learn next: published courses not completed, first those tagged with the component competences of
    the domain where the learner stands lowest (or in that domain), at the level just above the one the placement
    set (level 1 where nothing was assessed). Each comes with `focus_competences` (those competences) and
    `next_lesson` (the first lesson not read yet)."""
    levels = dict(LearnerLevel.objects.filter(user=user).values_list("domain", "level"))
    weakest = weakest_domain(user)
    done = set(Enrolment.objects.filter(user=user).exclude(completed_at=None).values_list("course_id", flat=True))
    candidates = (
        Course.objects.filter(is_published=True).exclude(pk__in=done).prefetch_related("competences__domain", "lessons")
    )

    def rank(course: Course):
        standing = levels.get(course.domain, 0) if course.domain else 0
        level = course.level or 1
        below = level <= standing  # already mastered: last
        return (below, not _in_domain(course, weakest), abs(level - (standing + 1)), standing, course.title)

    chosen = sorted(candidates, key=rank)[:limit]
    read = {e.course_id: set(e.lessons_done) for e in Enrolment.objects.filter(user=user, course__in=chosen)}
    for course in chosen:
        focus = _in_domain(course, weakest)
        course.focus_competences = focus if isinstance(focus, list) else []
        course.next_lesson = next((x for x in course.lessons.all() if x.pk not in read.get(course.pk, set())), None)
    return chosen


# --- live rounds ------------------------------------------------------------------------------------------

LIVE_KINDS = (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE)  # one tap on a phone
MAX_LIVE_QUESTIONS = 50


def _new_pin() -> str:
    """Six digits no round still running uses (an ended round frees its PIN)."""
    rng = random.SystemRandom()
    for _attempt in range(20):
        pin = f"{rng.randrange(10**6):06d}"
        if not LiveRound.objects.filter(pin=pin).exclude(status=LiveStatus.ENDED).exists():
            return pin
    raise ValidationError(_("No free PIN; try again."))


@transaction.atomic
def create_live_round(
    *, actor, unit: Unit, title: str, count: int, seconds: int = 20, topic: str = "", domain=None, level=None
) -> LiveRound:
    """A round of `count` questions drawn from the bank (single choice and true/false: one tap in a room)."""
    require(actor, "learning.add_liveround", unit)
    if not 1 <= count <= MAX_LIVE_QUESTIONS:
        raise ValidationError({"count": _("Choose 1 to 50 questions.")})
    if not 5 <= seconds <= 300:
        raise ValidationError({"seconds": _("Allow 5 to 300 seconds per question.")})
    check_tags(domain=domain, level=level)
    bank = Question.objects.filter(unit__in=[*unit.ancestor_ids, unit.pk], is_active=True, kind__in=LIVE_KINDS)
    for field, value in (("topic", topic), ("domain", domain), ("level", level)):
        if value:
            bank = bank.filter(**{field: value})
    ids = list(bank.values_list("pk", flat=True))
    if len(ids) < count:
        raise ValidationError(_("The question bank has too few questions for this contest."))
    live = LiveRound(unit=unit, host=actor, title=title, pin=_new_pin(), seconds_per_question=seconds)
    rng = random.Random()
    questions = Question.objects.in_bulk(rng.sample(ids, count))
    live.questions = [grading.paper_entry(question, rng, shuffle_choices=True) for question in questions.values()]
    live.full_clean()
    live.save()
    return live


def _require_host(live: LiveRound, actor) -> None:
    if actor is None or live.host_id != actor.pk:
        require(actor, "learning.change_liveround", live)


@transaction.atomic
def advance_live_round(live: LiveRound, *, actor, now: datetime.datetime | None = None) -> LiveRound:
    """The host's one button: open the next question; while a question is open, close it and show its answer;
    after the last one, end the round."""
    _require_host(live, actor)
    locked = LiveRound.objects.select_for_update().get(pk=live.pk)
    if locked.status == LiveStatus.ENDED:
        raise ValidationError(_("The round has ended."))
    if locked.status == LiveStatus.ASKING:
        locked.status = LiveStatus.SHOWING
    elif locked.current + 1 >= len(locked.questions):
        locked.status = LiveStatus.ENDED
    else:
        locked.current += 1
        locked.status = LiveStatus.ASKING
        locked.opened_at = now or timezone.now()
    locked.save(update_fields=["status", "current", "opened_at", "updated_at"])
    live_state.publish(locked)
    return locked


@transaction.atomic
def end_live_round(live: LiveRound, *, actor) -> LiveRound:
    _require_host(live, actor)
    locked = LiveRound.objects.select_for_update().get(pk=live.pk)
    locked.status = LiveStatus.ENDED
    locked.save(update_fields=["status", "updated_at"])
    live_state.publish(locked)
    return locked


def live_question_open(live: LiveRound, now: datetime.datetime | None = None) -> bool:
    if live.status != LiveStatus.ASKING or live.opened_at is None:
        return False
    return (now or timezone.now()) < live.opened_at + datetime.timedelta(seconds=live.seconds_per_question)


def answer_live(live: LiveRound, *, user, index: int, value, now: datetime.datetime | None = None) -> LiveAnswer:
    """A player's answer to the open question: points for a right answer, more the faster (500–1000)."""
    now = now or timezone.now()
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Log in to play."))
    if index != live.current or not live_question_open(live, now):
        raise ValidationError(_("This question is not open for answers."))
    question = Question.objects.get(pk=live.questions[index]["id"])
    try:
        cleaned = grading.clean_answer(question, value)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    elapsed = (now - live.opened_at).total_seconds() if live.opened_at else 0
    speed = max(0.0, 1 - elapsed / live.seconds_per_question)
    points = round(grading.score_answer(question, cleaned) * (500 + 500 * speed))
    try:
        with transaction.atomic():
            answer = LiveAnswer.objects.create(
                round=live, user=user, index=index, answer=cleaned, points=points, answered_at=now
            )
            live_state.answered(live, user)
            return answer
    except IntegrityError:
        raise ValidationError(_("You have already answered this question.")) from None
