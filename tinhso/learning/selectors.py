"""Read side shared by pages and API: which contests a person sees, the leaderboard, an attempt as shown."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.units.choices import UnitLevel
from tinhso.units.models import Organisation, Unit

from . import grading
from .choices import Eligibility, Review
from .models import Attempt, Contest, Participation, Question
from .services import close_if_overdue, is_eligible


def visible_contests(user):
    """Published contests (anyone logged in may read them and their leaderboards; entering needs eligibility),
    and every contest the person manages."""
    if not user.is_authenticated:
        return Contest.objects.none()
    managed = Contest.objects.restrict(user, "view").values("pk")
    return Contest.objects.filter(Q(is_published=True) | Q(pk__in=managed)).select_related("unit")


def own_attempt(user, pk: int) -> Attempt:
    """A participant's own attempt (anyone else's is simply not found), closed on access if overdue."""
    attempt = Attempt.objects.select_related("contest").get(pk=pk, user=user)
    close_if_overdue(attempt)
    return attempt


def units_with_code(code: str) -> list[str]:
    from tinhso.units.succession import extend_across_reorganisations

    paths = set(Unit.objects.filter(code=code).values_list("path", flat=True))
    if not paths:
        return []
    subtrees, _exact = extend_across_reorganisations(paths, set())
    return sorted(subtrees)


def leaderboard(contest: Contest, *, within: str = "", organisation: str = ""):
    """Participations best first, ties broken by the shorter time; `None` when `within` names no unit."""
    rows = Participation.objects.filter(contest=contest).select_related("user", "unit", "organisation")
    if within:
        paths = units_with_code(within)
        if not paths:
            return None
        condition = Q(pk__in=[])
        for path in paths:
            condition |= Q(unit_path__startswith=path)
        rows = rows.filter(condition)
    if organisation:
        if not organisation.isdigit() or not Organisation.objects.filter(pk=organisation).exists():
            return None
        rows = rows.filter(organisation_id=organisation)
    return rows.order_by("-grade", "seconds", "finished_at", "pk")


def review_allowed(attempt: Attempt) -> bool:
    contest = attempt.contest
    if attempt.is_open:
        return False
    if contest.review == Review.ANSWERS:
        return True
    return contest.review == Review.ANSWERS_AFTER_CLOSE and timezone.now() >= contest.closes_at


def score_visible(attempt: Attempt) -> bool:
    return not attempt.is_open and attempt.contest.review != Review.NOTHING


def _image(attempt: Attempt, question: Question) -> dict | None:
    """Where the participant reads the question's picture (a link only they may open), its size and its words."""
    return question.picture(reverse("learning:attempt_question_image", args=[attempt.pk, question.pk]))


def attempt_view(attempt: Attempt) -> dict:
    """The attempt as its participant may see it now: questions never carry answers while it is open. The
    paper's questions are read here unless the service that just started or closed the attempt left them on it
    (`paper_questions`: it had read them to draw or to grade)."""
    questions = getattr(attempt, "paper_questions", None)
    if questions is None:
        questions = Question.objects.in_bulk([entry["id"] for entry in attempt.questions])
    shown = [grading.public_question(questions[entry["id"]], entry) for entry in attempt.questions]
    for question in shown:
        question["image"] = _image(attempt, questions[question["id"]])
    view = {
        "id": attempt.pk,
        "contest": attempt.contest_id,
        "number": attempt.number,
        "status": attempt.status,
        "started_at": attempt.started_at,
        "deadline": attempt.deadline,
        "seconds_left": max(0, int((attempt.deadline - timezone.now()).total_seconds())) if attempt.is_open else 0,
        "questions": shown,
        "answers": attempt.answers,
        "score": attempt.score if score_visible(attempt) else None,
        "max_score": attempt.max_score,
    }
    if review_allowed(attempt):
        view["review"] = {
            str(pk): {
                "correct": grading.correct_answer(question),
                "score": grading.score_answer(question, attempt.answers.get(str(pk))),
            }
            for pk, question in questions.items()
        }
    return view


def leaderboard_communes(contest: Contest):
    """Communes with participants (for the commune filter), from the participants' units."""
    paths = contest.participations.values_list("unit_path", flat=True).distinct()
    ids = {int(part) for path in paths for part in path.strip("/").split("/") if part}
    communes: dict[str, Unit] = {}
    for unit in Unit.objects.filter(pk__in=ids, level=UnitLevel.COMMUNE).order_by("name", "-valid_from"):
        communes.setdefault(unit.code, unit)  # a commune kept its code across the reform: list it once
    return list(communes.values())


def competence_domains() -> list[tuple[int, str]]:
    """The framework's domains as the province keeps them (number, name), in order."""
    from .models import CompetenceDomain

    return list(CompetenceDomain.objects.order_by("number").values_list("number", "name"))


def competence_levels() -> list[tuple[int, str]]:
    """The framework's levels as the province keeps them (number, "Bậc 1 (Cơ bản)"), in order."""
    from .models import CompetenceLevel

    return [(level.number, level.label) for level in CompetenceLevel.objects.order_by("number")]


@dataclass
class CoverageRow:
    code: str  # "" for the questions tagged with no component competence
    name: str
    cells: list[tuple[int | None, int]]  # (level number or None, active questions) per column
    total: int


def bank_coverage(questions, levels: list[tuple[int, str]]) -> list[CoverageRow]:
    """Active questions per component competence × level of the framework (a question with two competences counts
    under each; the last column is the questions with no level), every competence of the tables listed so that
    the gaps show; a last row for the questions with no competence, when there are any."""
    from .models import Competence

    counts: dict[tuple[str | None, int | None], int] = {}
    for row in questions.filter(is_active=True).values("competences__code", "level").annotate(n=Count("pk")):
        counts[row["competences__code"], row["level"]] = row["n"]
    columns: list[int | None] = [number for number, _label in levels]
    columns.append(None)
    rows = [
        CoverageRow(code, name, [(level, counts.get((code, level), 0)) for level in columns], 0)
        for code, name in Competence.objects.values_list("code", "name")
    ]
    if any(code is None for code, _level in counts):
        rows.append(CoverageRow("", "", [(level, counts.get((None, level), 0)) for level in columns], 0))
    for row in rows:
        row.total = sum(count for _level, count in row.cells)
    return rows


# --- the public contest page ------------------------------------------------------------------------------

NOT_YET_OPEN, OPEN, CLOSED = "not_yet_open", "open", "closed"


def contest_status(contest: Contest, now=None) -> str:
    now = now or timezone.now()
    if now < contest.opens_at:
        return NOT_YET_OPEN
    return OPEN if now < contest.closes_at else CLOSED


def public_contest(user, pk: int) -> Contest:
    """The contest a shared link names, as far as `user` may see it: a published one to anyone (anonymous too),
    a draft only to those who read its unit. Anything else is not found."""
    contests = visible_contests(user) if user.is_authenticated else Contest.objects.filter(is_published=True)
    return contests.select_related("unit").prefetch_related("pools").get(pk=pk)


def who_may_take_part(contest: Contest) -> str:
    """The eligibility rule in plain words, naming the organisations or units listed."""
    if contest.eligibility == Eligibility.OFFICIALS:
        names = ", ".join(o.name for o in contest.eligible_organisations.order_by("name"))
        return _("Officials of these organisations: %(names)s.") % {"names": names or "—"}
    if contest.eligibility == Eligibility.RESIDENTS:
        names = ", ".join(str(unit) for unit in contest.eligible_units.order_by("name"))
        return _("People living in: %(names)s.") % {"names": names or "—"}
    return _("Anyone with an account, including residents who register themselves with their phone number.")


def why_not_eligible(contest: Contest, user) -> str:
    """Why a logged-in person may not take part, in a sentence ("" when they may)."""
    if not contest.is_published:
        return _("The contest is a draft: nobody can take part until it is published.")
    if is_eligible(contest, user):
        return ""
    if contest.eligibility == Eligibility.OFFICIALS:
        return _("This contest is for officials of the organisations listed; your account belongs to none of them.")
    return _("This contest is for people living in the places listed; the place in your account is not one of them.")
