"""The API of courses (list, a course with its lessons, my progress, a lesson read) and of live rounds (join
with the PIN, poll the state, answer; the host creates a round, opens and closes questions)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import live_state, services
from ..choices import LiveStatus
from ..course_views import _progress, visible_courses
from ..live_state import current_question, scoreboard
from ..live_views import has_joined, join_by_pin, ticket_for
from ..models import Course, Enrolment, LearnerLevel, LiveAnswer, LiveRound
from ..selectors import competence_domains, competence_levels


class LessonBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    title = serializers.CharField()
    read = serializers.BooleanField()


class CourseSerializer(serializers.ModelSerializer):
    progress = serializers.IntegerField(help_text="0–100 %")
    completed_at = serializers.DateTimeField(allow_null=True)
    lessons = LessonBriefSerializer(many=True, source="lessons_brief")

    class Meta:
        model = Course
        fields = [
            "id", "unit", "title", "summary", "domain", "level", "is_basic", "is_published", "quiz",
            "pass_percent", "progress", "completed_at", "lessons",
        ]  # fmt: skip


def _with_progress(courses: list[Course], user) -> list[Course]:
    enrolments = {e.course_id: e for e in Enrolment.objects.filter(user=user, course__in=courses)}
    for course in courses:
        enrolment = enrolments.get(course.pk)
        read = set(enrolment.lessons_done) if enrolment else set()
        lessons = list(course.lessons.all())
        course.lessons_brief = [  # type: ignore[attr-defined]
            {"id": lesson.pk, "order": lesson.order, "title": lesson.title, "read": lesson.pk in read}
            for lesson in lessons
        ]
        course.progress = _progress(course, enrolment, [lesson.pk for lesson in lessons])  # type: ignore[attr-defined]
        course.completed_at = enrolment.completed_at if enrolment else None  # type: ignore[attr-defined]
    return courses


class CourseListView(generics.ListAPIView):
    """Published courses (anyone logged in) and the courses the caller manages, with the caller's progress."""

    required_permission = None
    serializer_class = CourseSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Course.objects.none()
        return visible_courses(self.request.user).prefetch_related("lessons").order_by("pk")

    def get_serializer(self, *args, **kwargs):
        if args:
            rows = args[0] if isinstance(args[0], list) else [args[0]]
            _with_progress(list(rows), self.request.user)  # sets progress, completed_at, lessons_brief
        return super().get_serializer(*args, **kwargs)


class CourseDetailView(CourseListView, generics.RetrieveAPIView):
    @extend_schema(operation_id="courses_retrieve")
    def get(self, request, *args, **kwargs):
        return generics.RetrieveAPIView.get(self, request, *args, **kwargs)


class ProgressSerializer(serializers.Serializer):
    levels = serializers.ListField(child=serializers.DictField(), help_text="[{domain, name, level, levelName}]")
    courses = serializers.ListField(child=serializers.DictField())
    focusDomain = serializers.IntegerField(
        allow_null=True, help_text="the competence domain where the placement set the caller's lowest level"
    )
    next = serializers.ListField(
        child=serializers.DictField(),
        help_text="what to learn next: [{id, title, domain, level, competences (codes of the focus domain), "
        "nextLesson}]",
    )


class MyProgressView(APIView):
    """The caller's level in each competence domain, the courses begun, and what to learn next."""

    required_permission = None

    @extend_schema(responses=ProgressSerializer)
    def get(self, request):
        user = request.user
        levels = dict(LearnerLevel.objects.filter(user=user).values_list("domain", "level"))
        begun = list(
            visible_courses(user).filter(pk__in=Enrolment.objects.filter(user=user).values("course")).order_by("pk")
        )
        level_names = dict(competence_levels())
        return Response(
            {
                "levels": [
                    {
                        "domain": number,
                        "name": name,
                        "level": levels.get(number),
                        "levelName": level_names.get(levels.get(number)),
                    }
                    for number, name in competence_domains()
                ],
                "courses": [
                    {
                        "id": c.pk,
                        "title": c.title,
                        "progress": getattr(c, "progress", 0),
                        "completedAt": getattr(c, "completed_at", None),
                    }
                    for c in _with_progress(begun, user)
                ],
                "focusDomain": services.weakest_domain(user),
                "next": [
                    {
                        "id": c.pk,
                        "title": c.title,
                        "domain": c.domain,
                        "level": c.level,
                        "competences": [competence.code for competence in c.focus_competences],
                        "nextLesson": c.next_lesson.pk if c.next_lesson else None,
                    }
                    for c in services.next_courses(user)
                ],
            }
        )


class LessonCompleteView(APIView):
    """The caller has read the lesson: the course's progress (and its completion) follows."""

    required_permission = None

    @extend_schema(request=None, responses=ProgressSerializer)
    def post(self, request, pk: int):
        from ..models import Lesson

        lesson = get_object_or_404(Lesson.objects.select_related("course"), pk=pk)
        if not visible_courses(request.user).filter(pk=lesson.course_id, is_published=True).exists():
            raise Http404
        enrolment = services.read_lesson(lesson, user=request.user)
        course = _with_progress([lesson.course], request.user)[0]
        return Response(
            {"course": course.pk, "progress": getattr(course, "progress", 0), "completedAt": enrolment.completed_at},
            status=status.HTTP_200_OK,
        )


# --- live rounds ------------------------------------------------------------------------------------------


class JoinSerializer(serializers.Serializer):
    pin = serializers.CharField(max_length=6)


class JoinedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    ticket = serializers.CharField(help_text="send as `ticket` when polling and answering")


class LiveJoinView(APIView):
    """Join a running round with its 6-digit PIN (10 wrong PINs per person in 10 minutes)."""

    required_permission = None

    @extend_schema(request=JoinSerializer, responses=JoinedSerializer)
    def post(self, request):
        form = JoinSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        live = join_by_pin(request.user, form.validated_data["pin"])
        return Response({"id": live.pk, "title": live.title, "ticket": ticket_for(live, request.user)})


def _joined_round(request, pk: int, ticket: str) -> LiveRound:
    if not has_joined(request, pk, ticket):
        raise Http404  # join with the PIN first
    return get_object_or_404(LiveRound, pk=pk)


def play_state(live: LiveRound, user) -> dict:
    now = timezone.now()
    open_now = services.live_question_open(live, now)
    mine = None
    if live.current >= 0:
        mine = LiveAnswer.objects.filter(round=live, user=user, index=live.current).first()
    shown = live.status in (LiveStatus.SHOWING, LiveStatus.ENDED)
    total = LiveAnswer.objects.filter(round=live, user=user).aggregate(n=Sum("points"))["n"] or 0
    return {
        "id": live.pk,
        "title": live.title,
        "status": live.status,
        "question": current_question(live, with_answer=True),
        "open": open_now,
        "secondsLeft": (
            max(0, int(live.seconds_per_question - (now - live.opened_at).total_seconds()))
            if open_now and live.opened_at
            else 0
        ),
        "myAnswer": None if mine is None else {"answer": mine.answer, **({"points": mine.points} if shown else {})},
        "myPoints": total if shown else None,
        "board": scoreboard(live, 5) if shown else [],
    }


class LiveStateView(APIView):
    """The round as the phone shows it; `If-None-Match` with the last ETag → 304 while nothing changed."""

    required_permission = None

    @extend_schema(
        parameters=[OpenApiParameter("ticket", str, required=False)],
        responses={(200, "application/json"): OpenApiTypes.OBJECT},
    )
    def get(self, request, pk: int):
        live = _joined_round(request, pk, request.query_params.get("ticket", ""))
        tag = live_state.view_etag(request, live, live_state.player_state(live, request.user))
        if tag in request.headers.get("If-None-Match", ""):
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            response = Response(play_state(live, request.user))
        response["ETag"] = tag
        response["Cache-Control"] = "private, no-cache"
        return response


class LiveAnswerSerializer(serializers.Serializer):
    ticket = serializers.CharField(required=False, allow_blank=True)
    index = serializers.IntegerField(min_value=0, max_value=1000)
    answer = serializers.JSONField(help_text="a choice's key (single choice) or true/false")


class LiveAnswerView(APIView):
    """Answer the open question once; points (500–1000 for a right answer, by speed) show once it closes."""

    required_permission = None

    @extend_schema(request=LiveAnswerSerializer, responses={(201, "application/json"): OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        form = LiveAnswerSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        live = _joined_round(request, pk, form.validated_data.get("ticket", ""))
        value = form.validated_data["answer"]
        if isinstance(value, bool | int | list):
            pass
        else:
            raise ValidationError(_("Choose an answer."))
        services.answer_live(live, user=request.user, index=form.validated_data["index"], value=value)
        return Response({"index": form.validated_data["index"], "accepted": True}, status=status.HTTP_201_CREATED)


class LiveRoundSerializer(serializers.ModelSerializer):
    count = serializers.IntegerField(write_only=True, min_value=1, max_value=50)
    seconds = serializers.IntegerField(write_only=True, min_value=5, max_value=300, default=20)
    topic = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=200)
    # one of the framework's domains and levels as their tables hold them (the service checks: 400 otherwise)
    domain = serializers.IntegerField(write_only=True, required=False, allow_null=True, min_value=1)
    level = serializers.IntegerField(write_only=True, required=False, allow_null=True, min_value=1)
    questions = serializers.SerializerMethodField()

    class Meta:
        model = LiveRound
        fields = [
            "id", "unit", "title", "pin", "status", "current", "seconds_per_question", "questions",
            "count", "seconds", "topic", "domain", "level",
        ]  # fmt: skip
        read_only_fields = ["pin", "status", "current", "seconds_per_question"]

    def get_questions(self, live) -> int:
        return len(live.questions)

    def get_fields(self):
        from .serializers import ScopedUnitField

        fields = super().get_fields()
        fields["unit"] = ScopedUnitField()
        return fields


class HostedRounds:
    request: Any

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False) or not user.is_authenticated:
            return LiveRound.objects.none()
        return LiveRound.objects.restrict(user, "view") | LiveRound.objects.filter(host=user)


class LiveRoundListView(HostedRounds, generics.ListCreateAPIView):
    """The rounds the caller hosts or manages; a manager starts one (questions drawn from the bank)."""

    required_permission = "learning.view_liveround"
    serializer_class = LiveRoundSerializer

    def get_permissions(self):
        if self.request.method == "POST":
            self.required_permission = "learning.add_liveround"
        return super().get_permissions()

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.create_live_round(
            actor=self.request.user,
            unit=data["unit"],
            title=data["title"],
            count=data["count"],
            seconds=data["seconds"],
            topic=data.get("topic", ""),
            domain=data.get("domain"),
            level=data.get("level"),
        )


class HostStateSerializer(serializers.Serializer):
    status = serializers.CharField()
    question = serializers.DictField(allow_null=True)
    answered = serializers.IntegerField()
    players = serializers.IntegerField()
    board = serializers.ListField(child=serializers.DictField())


class LiveRoundDetailView(HostedRounds, generics.RetrieveAPIView):
    required_permission = "learning.view_liveround"
    serializer_class = LiveRoundSerializer


def host_state(live: LiveRound) -> dict:
    answered = LiveAnswer.objects.filter(round=live, index=live.current).count() if live.current >= 0 else 0
    players = LiveAnswer.objects.filter(round=live).aggregate(n=Count("user", distinct=True))["n"]
    return {
        "status": live.status,
        "question": current_question(live, with_answer=True),
        "answered": answered,
        "players": players,
        "board": scoreboard(live),
    }


class LiveHostActionView(APIView):
    """The host's button: `advance` opens the next question, or closes the open one and shows its answer, or
    ends the round after the last; `end` ends it now."""

    required_permission = None
    action = "advance"

    @extend_schema(request=None, responses=HostStateSerializer)
    def post(self, request, pk: int):
        live = get_object_or_404(LiveRound, pk=pk)
        if live.host_id != request.user.pk and not request.user.has_perm("learning.change_liveround", live):
            raise Http404
        if self.action == "end":
            live = services.end_live_round(live, actor=request.user)
        else:
            live = services.advance_live_round(live, actor=request.user)
        return Response(host_state(live))
