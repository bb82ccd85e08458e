from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "truefalse", _("True / false")
    SHORT = "short", _("Short answer")
    MATCHING = "matching", _("Matching")
    NUMERIC = "numeric", _("Numeric")


class Domain(models.IntegerChoices):
    """The six competence domains of the digital competence framework (Circular 02/2025/TT-BGDĐT)."""

    DATA = 1, _("Information and data literacy")
    COMMUNICATION = 2, _("Communication and collaboration")
    CONTENT = 3, _("Digital content creation")
    SAFETY = 4, _("Safety")
    PROBLEM_SOLVING = 5, _("Problem solving")
    AI = 6, _("Use of artificial intelligence")


class Grading(models.TextChoices):
    BEST = "best", _("Best attempt")
    LAST = "last", _("Last attempt")
    AVERAGE = "average", _("Average of attempts")


class Eligibility(models.TextChoices):
    REGISTERED = "registered", _("Anyone registered")
    OFFICIALS = "officials", _("Officials of the listed organisations")
    RESIDENTS = "residents", _("Residents of the listed units")


class Review(models.TextChoices):
    NOTHING = "nothing", _("Nothing")
    SCORE = "score", _("Score only")
    ANSWERS_AFTER_CLOSE = "answers_after_close", _("Correct answers after the contest closes")
    ANSWERS = "answers", _("Correct answers right after the attempt")


class AttemptStatus(models.TextChoices):
    OPEN = "open", _("Answering")
    FINISHED = "finished", _("Handed in")
    EXPIRED = "expired", _("Closed at the deadline")


class Purpose(models.TextChoices):
    """What a set of questions is for: the same machinery (draw, deadline, grading) serves all three."""

    CONTEST = "contest", _("Contest")
    QUIZ = "quiz", _("Final quiz of a course")
    PLACEMENT = "placement", _("Placement test")


class LiveStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for players")
    ASKING = "asking", _("Question open")
    SHOWING = "showing", _("Showing the answer")
    ENDED = "ended", _("Ended")
