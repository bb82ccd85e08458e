from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from tinhso.core.api.serializers import JobSerializer
from tinhso.core.api.views import job_accepted
from tinhso.core.api.viewsets import ScopedModelViewSet

from .. import services
from ..filtersets import OrganisationFilterSet, UnitFilterSet
from ..models import Organisation, Unit
from .serializers import (
    OrganisationSerializer,
    UnitCreateSerializer,
    UnitDetailSerializer,
    UnitSerializer,
    UnitUpdateSerializer,
)


@extend_schema(
    parameters=[
        OpenApiParameter("as_of", str, description="ISO date; the structure valid that day (default: today)."),
        OpenApiParameter("within", str, description="Official code of an ancestor unit."),
    ]
)
class UnitViewSet(ScopedModelViewSet):
    """Administrative units, as a tree that changes over time (see `as_of`)."""

    queryset = Unit.objects.select_related("parent")
    filterset_class = UnitFilterSet
    ordering_fields = ["code", "name", "path"]
    ordering = ["path"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return UnitDetailSerializer
        if self.action == "partial_update":
            return UnitUpdateSerializer
        if self.action == "create":
            return UnitCreateSerializer
        return UnitSerializer

    def filter_queryset(self, queryset):
        # Filters (and the default "valid today") shape lists; one unit is found whatever its dates.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("predecessors", "successors")
        return queryset

    @extend_schema(responses=UnitDetailSerializer)
    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        day = values.pop("valid_from", None) or timezone.localdate()
        parent = self._parent(values.pop("parent_code"), day)
        code = values.pop("code", "") or services.next_village_code(parent)
        unit = services.create_unit(actor=request.user, parent=parent, code=code, valid_from=day, **values)
        return Response(UnitDetailSerializer(unit).data, status=status.HTTP_201_CREATED)

    def _parent(self, code: str, day) -> Unit:
        parent = Unit.objects.restrict(self.request.user, "view").valid_on(day).filter(code=code).first()
        if parent is None:
            raise NotFound(f"Không tìm thấy đơn vị có mã {code} trong phạm vi của bạn.")
        return parent

    @extend_schema(responses=UnitDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        unit = self.get_object()
        data = UnitUpdateSerializer(unit, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        unit = services.update_unit(unit, actor=request.user, changes=dict(data.validated_data))
        return Response(UnitDetailSerializer(unit).data)

    def perform_destroy(self, instance):
        services.delete_unit(instance, actor=self.request.user)

    @extend_schema(
        request={"multipart/form-data": inline_serializer("UnitImport", {"file": serializers.FileField()})},
        responses={202: JobSerializer},
        description=(
            "Import villages from .xlsx or .csv as a background job: 202 with the job's address (`Location`, `url`)."
            " Follow it at /api/v1/jobs/<id>/: any bad row fails the job listing them all, and nothing is written."
        ),
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_villages(self, request):
        uploaded = request.FILES.get("file")
        if uploaded is None:
            return Response(
                {"detail": "Hãy gửi tệp Excel hoặc CSV trong trường “file”."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        return job_accepted(request, services.start_village_import(uploaded, actor=request.user))

    def get_permissions(self):
        if self.action == "import_villages":
            self.required_permission = "units.add_unit"
        return super().get_permissions()


class OrganisationViewSet(ScopedModelViewSet):
    """Organisations (departments, People's Committees, party cells, schools...) of each unit."""

    queryset = Organisation.objects.select_related("unit")
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilterSet
    ordering_fields = ["name"]

    def perform_create(self, serializer):
        serializer.instance = services.create_organisation(actor=self.request.user, data=serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.update_organisation(
            serializer.instance, actor=self.request.user, data=serializer.validated_data
        )

    def perform_destroy(self, instance):
        services.delete_organisation(instance, actor=self.request.user)
