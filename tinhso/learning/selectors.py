"""Read side shared by pages and API: which contests a person sees, the leaderboard, an attempt as shown."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from tinhso.units.choices import UnitLevel
from tinhso.units.models import Organisation, Unit

from . import grading
from .choices import Review
from .models import Attempt, Contest, Participation, Question
from .services import close_if_overdue


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
    if not question.image:
        return None
    url = reverse("learning:attempt_question_image", args=[attempt.pk, question.pk])
    return {"url": url, "width": question.image_width, "height": question.image_height, "alt": question.image_caption}


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
