"""Question banks, contests, attempts and each person's standing in a contest."""

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tinhso.core.files import UnguessableName
from tinhso.core.models import ChangeLoggedModel, ScopedModel

from .choices import AttemptStatus, Eligibility, Grading, LiveStatus, Purpose, QuestionKind, Review
from .formats import check_data


class CompetenceDomain(ChangeLoggedModel):
    """A domain of the digital competence framework (Circular 02/2025/TT-BGDĐT: six); data the province keeps."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("competence domain")
        verbose_name_plural = _("competence domains")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"


class Competence(ChangeLoggedModel):
    """A component competence of a domain ("4.2 Bảo vệ dữ liệu cá nhân và quyền riêng tư")."""

    domain = models.ForeignKey(
        CompetenceDomain, verbose_name=_("competence domain"), on_delete=models.PROTECT, related_name="competences"
    )
    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        ordering = ["domain__number", "order", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class CompetenceLevel(ChangeLoggedModel):
    """A level of the framework (Circular 02/2025/TT-BGDĐT: eight "bậc" in four stages); data the province keeps.
    Questions, courses, pools and learners' levels refer to a level by its number."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=100, help_text=_("In Vietnamese, e.g. “Bậc 1”."))
    stage = models.CharField(_("stage"), max_length=100, blank=True, help_text=_("In Vietnamese, e.g. “Cơ bản”."))
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    stage_en = models.CharField(_("stage in English"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("competence level")
        verbose_name_plural = _("competence levels")
        ordering = ["number"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """ "Bậc 1 (Cơ bản)" in Vietnamese, "Level 1 (Foundation)" in English (the Vietnamese where none)."""
        english = (translation.get_language() or "").startswith("en")
        name = (self.name_en if english else "") or self.name
        stage = (self.stage_en if english else "") or self.stage
        return f"{name} ({stage})" if stage else name


def check_level(level: int | None) -> None:
    """A level the framework's table holds (or none)."""
    if level is not None and not CompetenceLevel.objects.filter(number=level).exists():
        raise ValidationError({"level": _("Choose a level of the competence framework.")})


def picture_field(folder: str) -> models.ImageField:
    """The uploaded picture of a `Picture` model, its files in `folder` under names nobody can guess (the one
    field the models do not share as it is: each keeps its files in its own folder)."""
    return models.ImageField(
        _("image"),
        upload_to=UnguessableName(folder),
        width_field="image_width",
        height_field="image_height",
        blank=True,
    )


class Picture(models.Model):
    """One uploaded picture with its size and its words, as a question and a lesson carry it: a JPEG re-encoded
    by core.images (upright, ≤ 1,280 px, no EXIF), written by the services' `_replace_image`. The model declares
    `image = picture_field(folder)`."""

    image: Any  # the model's own picture_field(folder)
    image_width = models.PositiveIntegerField(_("image width"), null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(_("image height"), null=True, blank=True, editable=False)
    image_caption = models.CharField(
        _("image caption"), max_length=200, blank=True, help_text=_("Read aloud to those who cannot see the image.")
    )

    class Meta:
        abstract = True

    def picture(self, url: str) -> dict | None:
        """`{url, width, height, alt}` of the picture at `url` (the view that checks who reads it), or None."""
        if not self.image:
            return None
        return {"url": url, "width": self.image_width, "height": self.image_height, "alt": self.image_caption}

    @property
    def image_version(self) -> str:
        """A piece of the stored name: a replaced image gets a new address, so no browser keeps the old one."""
        return self.image.name.rsplit("/", 1)[-1][:8] if self.image else ""


class Question(ChangeLoggedModel, ScopedModel, Picture):
    """One question of the bank owned by a unit (the province's DX centre, a commune...)."""

    unit = models.ForeignKey("units.Unit", verbose_name=_("bank owner"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=QuestionKind.choices)
    name = models.CharField(_("title"), max_length=200, blank=True)
    text = models.TextField(_("question"))
    data = models.JSONField(_("answers"), default=dict)
    topic = models.CharField(_("topic"), max_length=120, blank=True, db_index=True)
    domain = models.PositiveSmallIntegerField(_("competence domain"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("competence level"), null=True, blank=True)
    competences = models.ManyToManyField(
        Competence, verbose_name=_("competences"), blank=True, related_name="questions"
    )
    is_active = models.BooleanField(_("in use"), default=True)
    # One picture, served only to a participant of an attempt holding the question, or to whoever manages the bank.
    image = picture_field("learning/questions")

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["topic", "id"]
        indexes = [models.Index(fields=["unit", "topic", "domain", "level"], name="question_pool_idx")]

    def __str__(self):
        return self.name or self.text[:80]

    def clean(self):
        problems = check_data(self.kind, self.data)
        if problems:
            raise ValidationError({"data": problems})
        check_level(self.level)

    @property
    def competence_codes(self) -> list[str]:
        """The component competences' codes (for the exchange formats' tags; prefetch `competences`)."""
        return [competence.code for competence in self.competences.all()] if self.pk else []


class Contest(ChangeLoggedModel, ScopedModel):
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    time_limit_minutes = models.PositiveIntegerField(_("time limit (minutes)"), default=30)
    attempts_allowed = models.PositiveSmallIntegerField(_("attempts allowed"), default=3)
    grading = models.CharField(_("grading"), max_length=10, choices=Grading.choices, default=Grading.BEST)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    review = models.CharField(_("review"), max_length=24, choices=Review.choices, default=Review.SCORE)
    eligibility = models.CharField(
        _("who may take part"), max_length=12, choices=Eligibility.choices, default=Eligibility.REGISTERED
    )
    eligible_organisations = models.ManyToManyField(
        "units.Organisation", verbose_name=_("organisations"), blank=True, related_name="+"
    )
    eligible_units = models.ManyToManyField("units.Unit", verbose_name=_("units"), blank=True, related_name="+")
    is_published = models.BooleanField(_("published"), default=False)
    purpose = models.CharField(
        _("purpose"),
        max_length=10,
        choices=Purpose.choices,
        default=Purpose.CONTEST,
        help_text=_("A placement test sets the learner's level in each competence domain of its questions."),
    )

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-opens_at"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The contest must close after it opens.")})
        if self.attempts_allowed == 0:
            raise ValidationError({"attempts_allowed": _("Allow at least one attempt.")})
        if self.time_limit_minutes == 0:
            raise ValidationError({"time_limit_minutes": _("The time limit must be at least one minute.")})

    @property
    def question_count(self) -> int:
        return sum(pool.count for pool in self.pools.all())


class QuestionPool(ChangeLoggedModel, ScopedModel):
    """Draw `count` questions at random from the bank's active questions matching the tags set here."""

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="pools")
    topic = models.CharField(_("topic"), max_length=120, blank=True)
    domain = models.PositiveSmallIntegerField(_("competence domain"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("competence level"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("number of questions"), default=10)

    scope_path = "contest__unit__path"

    class Meta:
        verbose_name = _("question pool")
        verbose_name_plural = _("question pools")
        ordering = ["contest", "id"]

    def __str__(self):
        return f"{self.contest}: {self.count}"


class Attempt(ChangeLoggedModel, ScopedModel):
    """One sitting of a contest by one person. `questions` fixes the draw (and choice order) at the start, so a
    resumed attempt shows the same paper; `answers` is what was saved, graded when the attempt closes."""

    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("participant's unit"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "units.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    number = models.PositiveSmallIntegerField(_("attempt number"))
    status = models.CharField(_("status"), max_length=10, choices=AttemptStatus.choices, default=AttemptStatus.OPEN)
    started_at = models.DateTimeField(_("started at"))
    deadline = models.DateTimeField(_("deadline"), db_index=True)
    finished_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    questions = models.JSONField(_("paper"), default=list)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    max_score = models.FloatField(_("maximum score"), default=0)

    scope_path = "unit__path"
    change_log_exclude = ("created_at", "updated_at", "questions", "answers")
    # Not a field: the paper's questions by id, left on the instance by the service that has just read them (to
    # draw or to grade) so that showing the attempt does not read them again (selectors.attempt_view).
    paper_questions: dict[int, Question]

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("contest attempts")
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["contest", "user", "number"], name="unique_attempt_number")]
        indexes = [models.Index(fields=["status", "deadline"], name="attempt_open_deadline_idx")]

    def __str__(self):
        return f"{self.contest} — {self.user} — {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == AttemptStatus.OPEN

    @property
    def seconds_used(self) -> int:
        end = self.finished_at or self.deadline
        return max(0, int((end - self.started_at).total_seconds()))


class Participation(ScopedModel):
    """A person's standing in a contest: the grade by the contest's method, ties broken by time taken.
    Kept up to date whenever an attempt closes, so the leaderboard is one indexed query."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("units.Unit", null=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "units.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit_path = models.CharField(max_length=255, db_index=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    grade = models.FloatField(default=0)
    seconds = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True)

    scope_path = "unit_path"

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [models.UniqueConstraint(fields=["contest", "user"], name="unique_participation")]
        indexes = [models.Index(fields=["contest", "-grade", "seconds"], name="participation_rank_idx")]

    def __str__(self):
        return f"{self.contest} — {self.user}"


class DigitalCitizenProfile(ChangeLoggedModel, ScopedModel):
    """What a resident declared or the commune confirmed about their digital life, read by the recognition
    rules (with the person's contests) on the shared scoring engine."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="digital_profile"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    has_electronic_identity = models.BooleanField(_("VNeID account, level 2"), default=False)
    online_services = models.PositiveSmallIntegerField(_("online public services used this year"), default=0)
    pays_cashless = models.BooleanField(_("pays without cash"), default=False)

    class Meta:
        verbose_name = _("digital citizen profile")
        verbose_name_plural = _("digital citizen profiles")

    def __str__(self):
        return str(self.user)


class Certificate(ChangeLoggedModel, ScopedModel):
    """A digital-citizen certificate; its code is printed as a QR that opens the public verification page."""

    code = models.UUIDField(_("verification code"), unique=True, default=uuid.uuid4, editable=False)
    evaluation = models.OneToOneField(
        "scoring.Evaluation", verbose_name=_("evaluation"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("resident"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey("units.Unit", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    tier = models.CharField(_("tier"), max_length=20)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    issued_on = models.DateField(_("certificate date"))

    class Meta:
        verbose_name = _("digital citizen certificate")
        verbose_name_plural = _("digital citizen certificates")

    def __str__(self):
        return f"{self.user} — {self.tier}"


class ContestCertificate(ChangeLoggedModel, ScopedModel):
    """A contest certificate as it was printed: who, which contest, the result and the place it certified, when and
    by whom. Its QR code names this row, so the certificate stays genuine whatever comes later (a better attempt,
    a new site key) until the organiser revokes it, with a reason."""

    code = models.UUIDField(_("verification code"), unique=True, default=uuid.uuid4, editable=False)
    contest = models.ForeignKey(
        Contest, verbose_name=_("contest"), on_delete=models.PROTECT, related_name="certificates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name on the certificate"), max_length=200)
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("participant's unit"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    attempt = models.ForeignKey(
        Attempt,
        verbose_name=_("graded attempt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("None when the grade is the average of several attempts."),
    )
    score = models.FloatField(_("score"))
    max_score = models.FloatField(_("maximum score"))
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("printed by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_reason = models.CharField(_("reason for revoking"), max_length=500, blank=True)

    scope_path = "contest__unit__path"

    class Meta:
        verbose_name = _("contest certificate")
        verbose_name_plural = _("contest certificates")
        ordering = ["-issued_at", "-pk"]
        indexes = [models.Index(fields=["contest", "user"], name="contest_certificate_idx")]

    def __str__(self):
        return f"{self.contest} — {self.name}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class Course(ChangeLoggedModel, ScopedModel):
    """A short course of the "Bình dân học vụ số" programme: lessons, then a final quiz (a contest whose purpose is
    the quiz). Passing it with `pass_percent` after reading every lesson completes the course."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    domain = models.PositiveSmallIntegerField(_("competence domain"), null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("competence level"), null=True, blank=True)
    competences = models.ManyToManyField(Competence, verbose_name=_("competences"), blank=True, related_name="courses")
    quiz = models.ForeignKey(
        Contest,
        verbose_name=_("final quiz"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="courses",
        limit_choices_to={"purpose": Purpose.QUIZ},
    )
    pass_percent = models.PositiveSmallIntegerField(_("pass mark (%)"), default=50)
    is_basic = models.BooleanField(
        _("basic digital skills course"),
        default=False,
        help_text=_("Completing it counts towards the digital-citizen criteria."),
    )
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["domain", "level", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        check_level(self.level)
        if not 1 <= self.pass_percent <= 100:
            raise ValidationError({"pass_percent": _("The pass mark is a percentage from 1 to 100.")})
        if self.quiz is not None and self.quiz.purpose != Purpose.QUIZ:
            raise ValidationError({"quiz": _("Choose a final quiz (a contest whose purpose is a course's quiz).")})


class Lesson(ChangeLoggedModel, ScopedModel, Picture):
    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    image_url = models.URLField(_("image link"), blank=True)
    # Served only by the lesson's image view to someone who may read the lesson; shown before the link.
    image = picture_field("learning/lessons")
    video_url = models.URLField(_("video link"), blank=True)

    scope_path = "course__unit__path"

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["course", "order", "id"]

    def __str__(self):
        return self.title


class Enrolment(ChangeLoggedModel, ScopedModel):
    """A learner's progress in a course, kept up to date when a lesson is read or the final quiz closes."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.CASCADE, related_name="enrolments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("learner's unit"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    lessons_done = models.JSONField(_("lessons read"), default=list, blank=True)
    quiz_percent = models.FloatField(_("final quiz result (%)"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="unique_enrolment")]

    def __str__(self):
        return f"{self.course} — {self.user}"


class LearnerLevel(ChangeLoggedModel, ScopedModel):
    """The level a placement test set for a learner in one competence domain (0: below level 1)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("learner's unit"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    domain = models.PositiveSmallIntegerField(_("competence domain"))
    level = models.PositiveSmallIntegerField(_("competence level"))
    attempt = models.ForeignKey(
        Attempt, verbose_name=_("placement attempt"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"))

    class Meta:
        verbose_name = _("learner level")
        verbose_name_plural = _("learner levels")
        constraints = [models.UniqueConstraint(fields=["user", "domain"], name="unique_learner_level")]

    def __str__(self):
        return f"{self.user} — {self.domain}: {self.level}"


class LiveRound(ChangeLoggedModel, ScopedModel):
    """A host-driven round in a room: the host opens the questions one by one, players answer on their phones
    after joining with the PIN; the pages poll (HTMX) for the current state."""

    unit = models.ForeignKey(
        "units.Unit", verbose_name=_("organising unit"), on_delete=models.PROTECT, related_name="+"
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("host"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    pin = models.CharField(_("PIN"), max_length=6, db_index=True)
    questions = models.JSONField(_("questions"), default=list)
    seconds_per_question = models.PositiveSmallIntegerField(_("seconds per question"), default=20)
    status = models.CharField(_("status"), max_length=10, choices=LiveStatus.choices, default=LiveStatus.WAITING)
    current = models.SmallIntegerField(_("current question"), default=-1)
    opened_at = models.DateTimeField(_("question opened at"), null=True, blank=True)

    class Meta:
        verbose_name = _("live round")
        verbose_name_plural = _("live rounds")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class LiveAnswer(ScopedModel):
    """One player's answer to one question of a live round (one per question; the first counts)."""

    round = models.ForeignKey(LiveRound, on_delete=models.CASCADE, related_name="answers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    index = models.PositiveSmallIntegerField()
    answer = models.JSONField(null=True)
    points = models.PositiveIntegerField(default=0)
    answered_at = models.DateTimeField()

    scope_path = "round__unit__path"

    class Meta:
        verbose_name = _("live answer")
        verbose_name_plural = _("live answers")
        constraints = [models.UniqueConstraint(fields=["round", "user", "index"], name="unique_live_answer")]
