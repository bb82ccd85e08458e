"""The home card "Learning": an attempt left open, the course in progress with its next lesson, or what to learn
next — so a person's first screen says what to continue today."""

from .choices import AttemptStatus
from .models import Attempt, Enrolment
from .services import next_courses


def learning_card(request) -> dict | None:
    user = request.user
    open_attempt = (
        Attempt.objects.filter(user=user, status=AttemptStatus.OPEN, contest__is_published=True)
        .select_related("contest")
        .order_by("deadline")
        .first()
    )
    enrolment = (
        Enrolment.objects.filter(user=user, completed_at=None, course__is_published=True)
        .select_related("course")
        .order_by("-updated_at")
        .first()
    )
    next_lesson = None
    if enrolment:
        next_lesson = enrolment.course.lessons.exclude(pk__in=enrolment.lessons_done).order_by("order", "pk").first()
    suggested = [] if enrolment else next_courses(user, limit=1)
    if not (open_attempt or enrolment or suggested):
        return None
    return {"open_attempt": open_attempt, "enrolment": enrolment, "next_lesson": next_lesson, "suggested": suggested}
