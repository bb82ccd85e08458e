from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhso.core.api.viewsets import ScopedViewSetMixin

from .. import epcis, importers, services
from ..filtersets import TreeFilterSet
from ..models import Event, Garden, SensorReading, Tree
from .serializers import ReadingBatchSerializer, ReadingResultSerializer, TreeSerializer

EPCIS_DOCUMENT = inline_serializer(
    "EPCISDocument", {"type": serializers.CharField(), "epcisBody": serializers.DictField()}
)


class TreeViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Ancient tea trees of the caller's communes. Exact coordinates are returned to officers only (this API)."""

    queryset = Tree.objects.select_related("garden")
    serializer_class = TreeSerializer
    filterset_class = TreeFilterSet
    ordering = ["garden_id", "number"]
    lookup_value_regex = r"[0-9]+"

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        try:
            serializer.instance = services.create_tree(actor=self.request.user, **data)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages) from error

    @extend_schema(
        request={"multipart/form-data": inline_serializer("TraceTreeImport", {"file": serializers.FileField()})},
        responses={201: inline_serializer("TraceTreeImportResult", {"created": serializers.IntegerField()})},
        description="Import trees from .xlsx or .csv; any bad row → 400 listing every one, and no tree is added.",
    )
    @action(detail=False, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_trees(self, request):
        uploaded = request.FILES.get("file")
        if uploaded is None:
            raise ValidationError({"file": ["Hãy gửi tệp Excel hoặc CSV trong trường “file”."]})
        garden = None
        if request.data.get("garden"):
            garden = Garden.objects.restrict(request.user, "change").filter(pk=_number(request.data["garden"])).first()
            if garden is None:
                raise ValidationError({"garden": ["Không tìm thấy vườn này trong phạm vi của bạn."]})
        created = importers.import_trees(uploaded, actor=request.user, garden=garden)
        return Response({"created": len(created)}, status=status.HTTP_201_CREATED)

    def get_permissions(self):
        if self.action == "import_trees":
            self.required_permission = "trace.add_tree"
        return super().get_permissions()


def _number(value) -> int:
    return int(value) if str(value).isdigit() else 0


class EventView(APIView):
    """EPCIS 2.0 events. POST an EPCISDocument (all events or none are recorded); GET exports JSON-LD."""

    parser_classes = [JSONParser]

    @property
    def required_permission(self):
        return "trace.add_event" if self.request.method == "POST" else "trace.view_event"

    @extend_schema(
        parameters=[OpenApiParameter("tree", int, description="Only this tree's events, with its sensor readings.")],
        responses={200: EPCIS_DOCUMENT},
    )
    def get(self, request):
        events = Event.objects.restrict(request.user, "view").select_related("tree").order_by("event_time")
        items = []
        tree_id = _number(request.query_params.get("tree", ""))
        if request.query_params.get("tree"):
            tree = Tree.objects.restrict(request.user, "view").filter(pk=tree_id).first()
            if tree is None:
                return Response({"detail": "Không tìm thấy cây này."}, status=404)
            events = events.filter(tree=tree)
            readings = SensorReading.objects.filter(tree=tree).select_related("device").order_by("-time")[:96]
            items = [epcis.reading_json(reading, tree) for reading in readings]
        items = [epcis.event_json(event) for event in events[:5000]] + items
        return Response(epcis.document(items), content_type="application/ld+json")

    @extend_schema(
        request=EPCIS_DOCUMENT,
        responses={
            201: inline_serializer("EPCISCaptured", {"recorded": serializers.IntegerField()}),
            400: OpenApiResponse(description="Every bad event, by index; nothing recorded."),
        },
    )
    def post(self, request):
        trees = Tree.objects.restrict(request.user, "view")
        try:
            events = epcis.parse_document(request.data, trees)
            recorded = services.record_events(events, actor=request.user)
        except epcis.DocumentError as error:
            raise ValidationError(error.errors) from error
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages) from error
        return Response({"recorded": len(recorded)}, status=status.HTTP_201_CREATED)


class EventImportView(APIView):
    """Care and harvest records from .xlsx or .csv (Số hiệu cây, Loại, Ngày, Sản lượng (kg), Người thực hiện,
    Vật tư, Ghi chú); any bad row → 400 listing every one, and nothing is recorded."""

    parser_classes = [MultiPartParser, FormParser]
    required_permission = "trace.add_event"

    @extend_schema(
        request={"multipart/form-data": inline_serializer("TraceEventImport", {"file": serializers.FileField()})},
        responses={201: inline_serializer("TraceEventImportResult", {"recorded": serializers.IntegerField()})},
    )
    def post(self, request):
        uploaded = request.FILES.get("file")
        if uploaded is None:
            raise ValidationError({"file": ["Hãy gửi tệp Excel hoặc CSV trong trường “file”."]})
        recorded = importers.import_events(uploaded, actor=request.user)
        return Response({"recorded": len(recorded)}, status=status.HTTP_201_CREATED)


class SensorReadingView(APIView):
    """Readings of one device, authenticated by the device's own token (`Authorization: Device <token>`).

    Idempotent on (device, time): a reading sent again is counted as a duplicate and not stored twice."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]

    @extend_schema(
        request=ReadingBatchSerializer,
        responses={
            201: ReadingResultSerializer,
            200: ReadingResultSerializer,
            401: OpenApiResponse(description="Unknown or revoked device, or a wrong token."),
        },
    )
    def post(self, request, device_id: str):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        device = services.authenticate_device(device_id, token.strip()) if scheme in ("Device", "Bearer") else None
        if device is None:
            raise AuthenticationFailed("Thiết bị không được nhận: chưa đăng ký, đã bị thu hồi hoặc sai mã bí mật.")
        payload = (
            request.data
            if isinstance(request.data, dict) and "readings" in request.data
            else {"readings": [request.data]}
        )
        serializer = ReadingBatchSerializer(data=payload)
        serializer.is_valid(raise_exception=True)
        stored, duplicates = services.store_readings(device, serializer.validated_data["readings"])
        return Response(
            {"stored": stored, "duplicates": duplicates},
            status=status.HTTP_201_CREATED if stored else status.HTTP_200_OK,
        )
