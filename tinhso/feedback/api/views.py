from django.db.models import Q, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from tinhso.units.models import Organisation, Unit

from .. import attributes, services
from ..models import Report, ServiceCategory
from . import serializers as api

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    required=True,
    description="A key the app makes once per report (a UUID): sending it again returns the first report.",
)
MINE = OpenApiParameter("mine", bool, description="Only the reports I sent.")


def _picked(queryset, pk, field: str, message: str):
    found = queryset.filter(pk=pk).first() if pk else None
    if pk and found is None:
        raise ValidationError({field: [message]})
    return found


class ReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Citizen reports. Anyone signed in files one (POST, with an Idempotency-Key); `?mine=true` lists
    one's own; an office lists, answers, transfers and closes those routed to its units."""

    queryset = Report.objects.select_related("service", "place", "routed_to").prefetch_related("photos")
    serializer_class = api.CitizenReportSerializer
    required_permission = None  # each action checks in the services; the list is scoped below
    lookup_value_regex = r"[0-9]+"
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    ordering = ["-submitted_at", "-id"]
    ordering_fields = ["submitted_at", "deadline"]
    filterset_fields = ["status"]

    def get_queryset(self):
        user = self.request.user
        mine = Q(reporter=user.pk) | Q(assisted_by=user.pk)
        if self.action == "list" and self.request.query_params.get("mine") in ("true", "1"):
            return super().get_queryset().filter(mine)
        scoped = Report.objects.restrict(user, "view").values("pk")
        return super().get_queryset().filter(Q(pk__in=scoped) | mine)

    @extend_schema(parameters=[MINE])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        request={
            "multipart/form-data": api.CitizenReportCreateSerializer,
            "application/json": api.CitizenReportCreateSerializer,
        },
        responses={
            201: api.CitizenReportSerializer,
            200: OpenApiResponse(
                api.CitizenReportSerializer, description="Sent before with the same key: the first report."
            ),
            409: OpenApiResponse(description="The key was used before for a report with other details."),
        },
    )
    def create(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 200:
            raise ValidationError({"detail": _("Send an Idempotency-Key header (a UUID the app makes per report).")})
        data = api.CitizenReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        # routing reads the office's unit, the offer the owner unit
        services_offered = ServiceCategory.objects.select_related("organisation__unit", "unit")
        service = services_offered.filter(code=values.pop("service")).first()
        if service is None:
            raise ValidationError({"service": [_("Choose a category from the list.")]})
        today = timezone.localdate()
        places = Unit.objects.filter(level__in=("village", "commune"), valid_from__lte=today).exclude(
            valid_to__lt=today
        )
        places = places.select_related("parent__parent")  # routing climbs to the commune and the district
        place = _picked(places, values.pop("place", None), "place", _("Unknown village or commune."))
        # JSON: {"attributes": {code: value or [keys]}}; a form: attribute[code]=value, attribute[code][]=key.
        answers = values.pop("attributes", None)
        if answers is None and hasattr(request.data, "getlist"):
            answers = attributes.from_form(request.data)
        try:
            report, created = services.submit_report(
                actor=request.user,
                service=service,
                place=place,
                photos=request.FILES.getlist("photos"),
                attributes=answers,
                idempotency_key=key,
                **{name: value for name, value in values.items() if name != "photos"},
            )
        except services.DuplicateSubmission as conflict:
            body = {"detail": _("This key was used for another report."), "report": conflict.report.pk}
            return Response(body, status=status.HTTP_409_CONFLICT)
        prefetch_related_objects([report], "photos")  # the serializer reads them twice (ready, pending)
        response = Response(
            self.get_serializer(report).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
        if not created:
            response["Idempotent-Replayed"] = "true"
        return response

    def _done(self, report) -> Response:
        report = self.get_queryset().get(pk=report.pk)
        return Response(self.get_serializer(report).data)

    def _input(self, serializer_class):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data

    @extend_schema(request=api.CitizenReportAnswerSerializer, responses=api.CitizenReportSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """The office's public answer; refused (403) from an office the report is not routed to."""
        values = self._input(api.CitizenReportAnswerSerializer)
        return self._done(services.answer_report(self.get_object(), actor=request.user, answer=values["answer"]))

    @extend_schema(request=api.CitizenReportTransferSerializer, responses=api.CitizenReportSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        values = self._input(api.CitizenReportTransferSerializer)
        office = _picked(
            Organisation.objects.filter(is_active=True), values["organisation"], "organisation", _("Unknown office.")
        )
        report = services.transfer_report(
            self.get_object(), actor=request.user, organisation=office, reason=values["reason"]
        )
        return Response(self.get_serializer(Report.objects.get(pk=report.pk)).data)

    @extend_schema(request=api.CitizenReportReasonSerializer, responses=api.CitizenReportSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        values = self._input(api.CitizenReportReasonSerializer)
        return self._done(services.close_report(self.get_object(), actor=request.user, reason=values.get("reason", "")))

    @extend_schema(request=api.CitizenReportRateSerializer, responses=api.CitizenReportSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        """The reporter's satisfaction with the answer, 1 to 5; anyone else is refused."""
        values = self._input(api.CitizenReportRateSerializer)
        return self._done(services.rate_report(self.get_object(), actor=request.user, rating=values["rating"]))

    @extend_schema(request=api.CitizenReportReasonSerializer, responses=api.CitizenReportSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        values = self._input(api.CitizenReportReasonSerializer)
        return self._done(
            services.reopen_report(self.get_object(), actor=request.user, reason=values.get("reason", ""))
        )

    @extend_schema(request=api.CitizenReportNoteSerializer, responses={201: api.CitizenReportEventSerializer})
    @action(detail=True, methods=["post"])
    def note(self, request, pk=None):
        values = self._input(api.CitizenReportNoteSerializer)
        event = services.add_note(self.get_object(), actor=request.user, **values)
        return Response(api.CitizenReportEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=api.CitizenReportEventSerializer(many=True))
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        """The history; internal notes only for the office."""
        report = self.get_object()
        events = report.events.all()
        if not Report.objects.restrict(request.user, "view").filter(pk=report.pk).exists():
            events = events.exclude(kind__in=("note", "routed", "transferred"))
        return Response(api.CitizenReportEventSerializer(events, many=True).data)
