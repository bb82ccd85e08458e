from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from tinhso.core.api.parsers import JSONParser
from tinhso.core.api.serializers import JobSerializer
from tinhso.core.api.views import job_accepted
from tinhso.core.api.viewsets import ScopedReadOnlyViewSet, ScopedViewSetMixin
from tinhso.core.middleware import parse_date
from tinhso.units.snapshot import snapshot_on

from .. import services
from ..filtersets import ActivityFilterSet, ActivityTypeFilterSet, MemberFilterSet, TeamFilterSet
from ..models import Activity, ActivityType, Member, Team
from ..views.teams import active_members
from .serializers import (
    ActivityCreateSerializer,
    ActivitySerializer,
    ActivityTypeSerializer,
    MemberSerializer,
    TeamSerializer,
)

AS_OF = OpenApiParameter("as_of", str, description="ISO date of the administrative structure (default: today).")
WITHIN = OpenApiParameter("within", str, description="Code of a unit valid on `as_of`: keeps what stands inside it.")
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    required=True,
    description="A key the client makes once per activity (a UUID): sending it again returns the first activity.",
)
LISTED_BY_PLACE = extend_schema_view(list=extend_schema(parameters=[AS_OF, WITHIN]))


def requested_day(request):
    return parse_date(request.query_params.get("as_of")) or timezone.localdate()


@LISTED_BY_PLACE
class TeamViewSet(ScopedReadOnlyViewSet):
    """Community DX teams of communes and villages (`level`), active on `as_of` unless `include_dissolved`."""

    queryset = Team.objects.select_related("unit")
    serializer_class = TeamSerializer
    filterset_class = TeamFilterSet
    ordering_fields = ["name", "founded_on"]
    ordering = ["unit__path"]
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self):
        return super().get_queryset().annotate(member_count=active_members(requested_day(self.request)))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "structure": snapshot_on(requested_day(self.request))}


@LISTED_BY_PLACE
class MemberViewSet(ScopedReadOnlyViewSet):
    """Members of teams on `as_of`, with their role and the person's details."""

    queryset = Member.objects.select_related("person", "team")
    serializer_class = MemberSerializer
    filterset_class = MemberFilterSet
    ordering_fields = ["joined_on"]
    ordering = ["team__unit__path", "role", "person__search_name"]
    lookup_value_regex = r"[0-9]+"

    @extend_schema(
        request={"multipart/form-data": inline_serializer("TeamMemberImport", {"file": serializers.FileField()})},
        responses={202: JobSerializer},
        description=(
            "Import members from .xlsx or .csv as a background job: 202 with the job's address (`Location`, `url`)."
            " Follow it at /api/v1/jobs/<id>/: any bad row fails the job listing them all, and no member is added."
        ),
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_members(self, request):
        uploaded = request.FILES.get("file")
        if uploaded is None:
            raise ValidationError({"file": ["Hãy gửi tệp Excel hoặc CSV trong trường “file”."]})
        return job_accepted(request, services.start_member_import(uploaded, actor=request.user))

    def get_permissions(self):
        if self.action == "import_members":
            self.required_permission = "teams.import_member"
        return super().get_permissions()


@LISTED_BY_PLACE
class ActivityViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Field activities. POST needs an Idempotency-Key header: the same key twice records one activity."""

    queryset = Activity.objects.select_related("team", "activity_type", "village", "recorded_by").prefetch_related(
        "evidence"
    )
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet
    ordering_fields = ["date"]
    ordering = ["-date", "-id"]
    lookup_value_regex = r"[0-9]+"
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        request={"multipart/form-data": ActivityCreateSerializer, "application/json": ActivityCreateSerializer},
        responses={
            201: ActivitySerializer,
            200: OpenApiResponse(ActivitySerializer, description="Sent before with the same key: the first activity."),
            409: OpenApiResponse(description="The key was used before for an activity with other details."),
        },
    )
    def create(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or len(key) > 200:
            raise ValidationError(
                {"detail": "Thiếu tiêu đề Idempotency-Key (một mã UUID do ứng dụng tạo cho mỗi hoạt động)."}
            )
        data = ActivityCreateSerializer(data=request.data)
        if not data.is_valid():
            raise ValidationError({**self._team_problems(data), **data.errors})
        values = dict(data.validated_data)
        team = self._team(values.pop("team"))
        try:
            activity, created = services.record_activity(
                actor=request.user,
                team=team,
                idempotency_key=key,
                files=request.FILES.getlist("evidence"),
                village=services.find_village(values.pop("village_code", ""), values["date"]),
                **{name: value for name, value in values.items() if name != "evidence"},
            )
        except services.DuplicateSubmission as conflict:
            body = {"detail": str(conflict), "activity": ActivitySerializer(conflict.activity).data}
            return Response(body, status=status.HTTP_409_CONFLICT)
        response = Response(
            ActivitySerializer(activity).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )
        if not created:
            response["Idempotent-Replayed"] = "true"
        return response

    def _team_problems(self, data) -> dict:
        """The team's checks of the date, so that they show with the other fields' errors at once."""
        if "team" in data.errors or "date" in data.errors:
            return {}
        team_field, date_field = data.fields["team"], data.fields["date"]
        try:
            team = self._team(team_field.to_internal_value(data.initial_data.get("team")))
            day = date_field.to_internal_value(data.initial_data.get("date"))
        except serializers.ValidationError:
            return {}
        return services.activity_problems(team, day)

    def _team(self, team_id: int) -> Team:
        team = Team.objects.restrict(self.request.user).filter(pk=team_id).select_related("unit").first()
        if team is None:
            raise ValidationError({"team": ["Không tìm thấy tổ này trong phạm vi đơn vị của bạn."]})
        return team


class ActivityTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The province's catalogue of field activities."""

    queryset = ActivityType.objects.all()
    serializer_class = ActivityTypeSerializer
    filterset_class = ActivityTypeFilterSet
    lookup_value_regex = r"[0-9]+"
