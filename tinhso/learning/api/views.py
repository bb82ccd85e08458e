import math

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import Throttled
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from tinhso.accounts.access import home_unit
from tinhso.core.api.viewsets import ScopedReadOnlyViewSet
from tinhso.core.files import download_response
from tinhso.units.models import Unit

from .. import selectors, services
from ..formats import FORMATS, FormatError, export_questions
from ..formats.registry import CONTENT_TYPES, EXTENSIONS
from ..models import Attempt, Contest, Participation, Question
from . import serializers


class QuestionViewSet(ScopedReadOnlyViewSet):
    """The question bank of the caller's units (with answers: for the people who manage it)."""

    queryset = Question.objects.select_related("unit")  # each row's unit path: may the caller see its picture
    serializer_class = serializers.QuestionSerializer
    filterset_fields = ["kind", "topic", "domain", "level"]


def owner_unit(user, code: str | None) -> Unit:
    """The unit an import belongs to: the one named (in the caller's scope), else the highest unit on which the
    caller holds a role that may add questions."""
    if code:
        unit = Unit.objects.restrict(user, "view").filter(code=code).order_by("-valid_from").first()
    else:
        unit = home_unit(user, "learning.add_question")
        if unit is None and user.is_superuser:
            unit = Unit.objects.filter(depth=0).order_by("-valid_from").first()
    if unit is None:
        raise Http404
    return unit


class QuestionImportView(APIView):
    required_permission = "learning.add_question"
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=serializers.ImportRequestSerializer, responses=serializers.ImportResultSerializer)
    def post(self, request):
        form = serializers.ImportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        unit = owner_unit(request.user, form.validated_data.get("unit"))
        dry_run = form.validated_data["dryRun"]
        text = services.read_upload(form.validated_data["file"], form.validated_data["format"])
        try:
            result = services.import_questions(
                actor=request.user, unit=unit, format_name=form.validated_data["format"], text=text, dry_run=dry_run
            )
        except FormatError as error:
            body = {"imported": 0, "dryRun": dry_run, "errors": [e.as_dict() for e in error.errors]}
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response({"imported": result.imported, "dryRun": dry_run, "errors": []})


class FixedJsonNegotiation(DefaultContentNegotiation):
    """`?format=` names the question bank format here, not DRF's renderer."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class QuestionExportView(APIView):
    required_permission = "learning.view_question"
    content_negotiation_class = FixedJsonNegotiation

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=sorted(FORMATS), required=True)],
        responses={(200, "text/plain"): OpenApiTypes.STR},
        description="Moodle XML carries each question's picture (its <file>, base64, shown by an <img> whose alt is "
        "the caption); GIFT and Aiken cannot. The response header X-Images-Left-Out says how many exported "
        "questions went out without their picture.",
    )
    def get(self, request):
        format_name = request.query_params.get("format", "")
        if format_name not in FORMATS:
            return Response({"format": ["gift, aiken, moodlexml"]}, status=status.HTTP_400_BAD_REQUEST)
        questions = (
            Question.objects.restrict(request.user, "view")
            .filter(is_active=True)
            .prefetch_related("competences")
            .order_by("topic", "pk")
        )
        left_out: list = []
        text = export_questions(format_name, questions, left_out)
        response = download_response(text, f"questions.{EXTENSIONS[format_name]}", CONTENT_TYPES[format_name])
        # GIFT and Aiken cannot carry a picture; Moodle XML can (it loses one only if its file cannot be read).
        response["X-Images-Left-Out"] = str(len(left_out))
        return response


class ContestListView(generics.ListCreateAPIView):
    """Contests the caller may enter, and those they manage; a manager creates one here."""

    required_permission = None
    serializer_class = serializers.ContestSerializer

    def get_queryset(self):
        return (
            selectors.visible_contests(self.request.user)
            .prefetch_related("pools", "eligible_units", "eligible_organisations")
            .order_by("-opens_at", "pk")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        pools = data.pop("pools")
        units, organisations = data.pop("eligible_units", []), data.pop("eligible_organisations", [])
        serializer.instance = services.save_contest(
            Contest(**data), actor=self.request.user, pools=pools, units=units, organisations=organisations
        )


class AttemptThrottled:
    # Each person's calls to the attempt APIs are limited per scope (rates in settings' DEFAULT_THROTTLE_RATES,
    # like the login's); over the limit a 429 in Vietnamese, before the view reads or writes anything.
    throttle_classes = [ScopedRateThrottle]

    def throttled(self, request, wait):
        error = Throttled(detail=_("Too many requests for this contest. Wait a moment and try again."))
        error.wait = math.ceil(wait) if wait else None  # Retry-After, without DRF's English sentence in the detail
        raise error


class AttemptStartView(AttemptThrottled, APIView):
    """Start an attempt, or resume the open one: the same questions and the time that is left (429 over the
    per-person limit)."""

    required_permission = None
    throttle_scope = "attempt_start"

    @extend_schema(request=None, responses={201: serializers.AttemptViewSerializer})
    def post(self, request, pk: int):
        contest = get_object_or_404(selectors.visible_contests(request.user), pk=pk)
        attempt = services.start_or_resume(contest, user=request.user)
        return Response(selectors.attempt_view(attempt), status=status.HTTP_201_CREATED)


class AttemptMixin:
    required_permission = None

    def attempt(self, request, pk: int) -> Attempt:
        try:
            return selectors.own_attempt(request.user, pk)
        except Attempt.DoesNotExist:
            raise Http404 from None


class AttemptDetailView(AttemptMixin, APIView):
    @extend_schema(responses=serializers.AttemptViewSerializer)
    def get(self, request, pk: int):
        return Response(selectors.attempt_view(self.attempt(request, pk)))


class AttemptAnswersView(AttemptThrottled, AttemptMixin, APIView):
    """Save (autosave) answers of one's own open attempt; limited per person (429 over the limit)."""

    throttle_scope = "attempt_answers"

    @extend_schema(request=serializers.AnswersSerializer, responses=serializers.AttemptViewSerializer)
    def put(self, request, pk: int):
        attempt = self.attempt(request, pk)
        answers = request.data.get("answers") if isinstance(request.data, dict) else None
        services.save_answers(attempt, actor=request.user, answers=answers)
        return Response({"saved": len(answers or {}), "deadline": attempt.deadline})


class AttemptFinishView(AttemptThrottled, AttemptMixin, APIView):
    """Hand in one's own attempt and get its result; limited per person (429 over the limit)."""

    throttle_scope = "attempt_finish"

    @extend_schema(request=None, responses=serializers.AttemptViewSerializer)
    def post(self, request, pk: int):
        attempt = services.finish_attempt(self.attempt(request, pk), actor=request.user)
        return Response(selectors.attempt_view(attempt))


class LeaderboardView(generics.ListAPIView):
    required_permission = None
    serializer_class = serializers.LeaderboardRowSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("within", str, description="Code of a unit (commune, province...)"),
            OpenApiParameter("organisation", int),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Participation.objects.none()
        contest = get_object_or_404(selectors.visible_contests(self.request.user), pk=self.kwargs["pk"])
        params = self.request.query_params
        rows = selectors.leaderboard(
            contest, within=params.get("within", ""), organisation=params.get("organisation", "")
        )
        if rows is None:
            raise Http404
        return rows

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        offset = (self.paginator.page.number - 1) * self.paginator.get_page_size(self.request)
        for index, row in enumerate(page, start=offset + 1):
            row.rank = index
        return page
