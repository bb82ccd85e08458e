"""Pages of the courses: what to learn next, the learner's levels, a course, a lesson (thin: services write)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from tinhso.core.files import stored_file_response

from . import selectors, services
from .choices import AttemptStatus, Purpose
from .models import Attempt, Course, Enrolment, LearnerLevel, Lesson


def visible_courses(user):
    """Published courses (anyone logged in may learn), and every course the person manages."""
    managed = Course.objects.restrict(user, "view").values("pk")
    return Course.objects.filter(Q(is_published=True) | Q(pk__in=managed))


def _progress(course: Course, enrolment: Enrolment | None, lessons: list[int]) -> int:
    if enrolment is None or not lessons:
        return 0
    if enrolment.completed_at:
        return 100
    steps = len(lessons) + (1 if course.quiz_id else 0)
    done = len(set(enrolment.lessons_done) & set(lessons))
    if course.quiz_id and enrolment.quiz_percent is not None and enrolment.quiz_percent >= course.pass_percent:
        done += 1
    return round(100 * done / steps)


class CourseListView(LoginRequiredMixin, TemplateView):
    template_name = "learning/course_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        courses = list(visible_courses(user).prefetch_related("lessons").select_related("quiz"))
        enrolments = {e.course_id: e for e in Enrolment.objects.filter(user=user)}
        for course in courses:
            course.enrolment = enrolments.get(course.pk)
            course.progress = _progress(course, course.enrolment, [lesson.pk for lesson in course.lessons.all()])
        levels = dict(LearnerLevel.objects.filter(user=user).values_list("domain", "level"))
        placements = list(selectors.visible_contests(user).filter(purpose=Purpose.PLACEMENT, is_published=True))
        open_attempts = {
            a.contest_id: a
            for a in Attempt.objects.filter(user=user, contest__in=placements, status=AttemptStatus.OPEN)
        }
        for contest in placements:
            contest.open_attempt = open_attempts.get(contest.pk)
        domains = selectors.competence_domains()
        level_names = dict(selectors.competence_levels())
        weakest = services.weakest_domain(user)
        return super().get_context_data(
            courses=courses,
            next_courses=services.next_courses(user),
            levels=[(name, levels.get(number), level_names.get(levels.get(number))) for number, name in domains],
            weakest=(dict(domains).get(weakest), level_names.get(levels.get(weakest))) if weakest else None,
            domain_names=dict(domains),
            level_names=level_names,
            placements=placements,
            may_edit=user.has_perm("learning.add_course"),
            **kwargs,
        )


class CourseDetailView(LoginRequiredMixin, TemplateView):
    template_name = "learning/course_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        course = get_object_or_404(visible_courses(user).select_related("quiz", "unit"), pk=self.kwargs["pk"])
        lessons = list(course.lessons.all())
        enrolment = Enrolment.objects.filter(course=course, user=user).first()
        read = set(enrolment.lessons_done) if enrolment else set()
        for lesson in lessons:
            lesson.read = lesson.pk in read
        quiz_attempt = None
        if course.quiz_id:
            quiz_attempt = Attempt.objects.filter(contest=course.quiz, user=user, status=AttemptStatus.OPEN).first()
        return super().get_context_data(
            course=course,
            lessons=lessons,
            enrolment=enrolment,
            progress=_progress(course, enrolment, [lesson.pk for lesson in lessons]),
            all_read=bool(lessons) and all(lesson.read for lesson in lessons),
            quiz_attempt=quiz_attempt,
            may_edit=user.has_perm("learning.change_course", course),
            **kwargs,
        )


class LessonView(LoginRequiredMixin, TemplateView):
    template_name = "learning/lesson.html"

    def get_lesson(self) -> Lesson:
        lesson = get_object_or_404(Lesson.objects.select_related("course"), pk=self.kwargs["pk"])
        if not visible_courses(self.request.user).filter(pk=lesson.course_id).exists():
            raise Http404
        return lesson

    def get_context_data(self, **kwargs):
        lesson = self.get_lesson()
        siblings = list(lesson.course.lessons.values_list("pk", flat=True))
        position = siblings.index(lesson.pk)
        enrolment = Enrolment.objects.filter(course=lesson.course, user=self.request.user).first()
        return super().get_context_data(
            lesson=lesson,
            course=lesson.course,
            position=position + 1,
            total=len(siblings),
            read=bool(enrolment and lesson.pk in enrolment.lessons_done),
            next_pk=siblings[position + 1] if position + 1 < len(siblings) else None,
            **kwargs,
        )

    def post(self, request, pk: int):
        lesson = self.get_lesson()
        try:
            services.read_lesson(lesson, user=request.user)
        except PermissionDenied:
            raise Http404 from None  # an unpublished course seen by its manager: nothing to record
        siblings = list(lesson.course.lessons.values_list("pk", flat=True))
        position = siblings.index(lesson.pk)
        if position + 1 < len(siblings):
            return redirect("learning:lesson", pk=siblings[position + 1])
        return redirect("learning:course", pk=lesson.course_id)


class LessonImageView(LessonView):
    """The uploaded image of a lesson, to whoever may read the lesson (there is no public media folder)."""

    def get(self, request, *args, **kwargs):
        lesson = self.get_lesson()
        if not lesson.image:
            raise Http404
        return stored_file_response(lesson.image.name, content_type="image/jpeg", storage=lesson.image.storage)

    def post(self, request, *args, **kwargs):
        return self.http_method_not_allowed(request, *args, **kwargs)
