from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import BaseParser, FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from tinhso.core.api.parsers import JSONParser, read_body
from tinhso.core.api.viewsets import ScopedViewSetMixin
from tinhso.core.files import download_response

from .. import audio, services
from ..filtersets import BulletinFilterSet, ClusterFilterSet, PlayEventFilterSet
from ..models import Bulletin, PlayEvent, SpeakerCluster
from ..views.audio import audio_response
from .serializers import (
    BroadcastResultSerializer,
    BulletinSerializer,
    BulletinWriteSerializer,
    CapImportResultSerializer,
    ClusterCreateSerializer,
    ClusterCredentialsSerializer,
    ClusterSerializer,
    ClusterUpdateSerializer,
    NormalizedSerializer,
    PlayEventSerializer,
)

ACTION_PERMISSIONS = {
    "broadcast": "radio.broadcast_bulletin",
    "cancel": "radio.cancel_bulletin",
    "cap": "radio.view_bulletin",
    "reset_password": "radio.reset_password_speakercluster",
}


class ActionPermissionMixin:
    """Custom actions need their own permission, not the one of their HTTP method."""

    @property
    def required_permission(self):
        if self.action in ACTION_PERMISSIONS:
            return ACTION_PERMISSIONS[self.action]
        model = self.queryset.model._meta
        verb = {"create": "add", "update": "change", "partial_update": "change"}.get(self.action, "view")
        return f"{model.app_label}.{verb}_{model.model_name}"


@extend_schema_view(
    create=extend_schema(request=ClusterCreateSerializer, responses={201: ClusterCredentialsSerializer}),
    update=extend_schema(request=ClusterUpdateSerializer, responses=ClusterSerializer),
    partial_update=extend_schema(request=ClusterUpdateSerializer, responses=ClusterSerializer),
)
class ClusterViewSet(
    ActionPermissionMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Speaker clusters (cụm loa) with their live status. Creating one returns its one-time device password."""

    queryset = SpeakerCluster.objects.select_related("unit")
    serializer_class = ClusterSerializer
    filterset_class = ClusterFilterSet
    ordering_fields = ["name", "last_seen_at"]
    ordering = ["unit__path", "name"]
    lookup_value_regex = r"[0-9]+"

    def create(self, request, *args, **kwargs):
        data = ClusterCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        cluster, password = services.create_cluster(actor=request.user, **data.validated_data)
        cluster.password = password
        return Response(ClusterCredentialsSerializer(cluster).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        cluster = self.get_object()
        data = ClusterUpdateSerializer(cluster, data=request.data, partial=kwargs.get("partial", False))
        data.is_valid(raise_exception=True)
        services.update_cluster(cluster, actor=request.user, **data.validated_data)
        return Response(ClusterSerializer(cluster).data)

    @extend_schema(request=None, responses=ClusterCredentialsSerializer)
    @action(detail=True, methods=["post"], url_path="reset-password")
    def reset_password(self, request, pk=None):
        """A new device password (the old one stops working); shown once."""
        cluster = self.get_object()
        cluster.password = services.reset_password(cluster, actor=request.user)
        return Response(ClusterCredentialsSerializer(cluster).data)


def _write_arguments(values: dict) -> dict:
    arguments = dict(values)
    arguments["upload"] = arguments.pop("audio", None)
    if arguments["upload"] is not None and arguments.get("kind", "text") == "text":
        arguments["kind"] = "audio"
    return arguments


WRITE_BODY = {"application/json": BulletinWriteSerializer, "multipart/form-data": BulletinWriteSerializer}


class OggRenderer(BaseRenderer):
    """Lets a client ask for the audio with `Accept: audio/ogg` (the bytes come from the view itself)."""

    media_type = "audio/ogg"
    format = "ogg"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


@extend_schema_view(
    create=extend_schema(request=WRITE_BODY, responses={201: BulletinSerializer}),
    partial_update=extend_schema(request=WRITE_BODY, responses=BulletinSerializer),
)
class BulletinViewSet(
    ActionPermissionMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Bulletins (bản tin). Create a draft (speech is rendered at once), then broadcast it; cancel stops it
    on every cluster. `level`: normal, priority or emergency (full volume, three times, at once)."""

    queryset = Bulletin.objects.select_related("unit").prefetch_related("target_units", "target_clusters")
    serializer_class = BulletinSerializer
    filterset_class = BulletinFilterSet
    ordering_fields = ["created_at", "send_at"]
    ordering = ["-created_at"]
    lookup_value_regex = r"[0-9]+"
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def create(self, request, *args, **kwargs):
        data = BulletinWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        bulletin = services.create_bulletin(actor=request.user, **_write_arguments(data.validated_data))
        return Response(self._out(bulletin), status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        bulletin = self.get_object()
        data = BulletinWriteSerializer(data=request.data, partial=True, context={"request": request})
        data.is_valid(raise_exception=True)
        values = _write_arguments(data.validated_data)
        for fixed in ("kind", "unit"):
            values.pop(fixed, None)
        services.update_bulletin(bulletin, actor=request.user, **values)
        return Response(self._out(bulletin))

    def _out(self, bulletin, serializer=BulletinSerializer, **extra):
        bulletin = self.get_queryset().get(pk=bulletin.pk)
        for name, value in extra.items():
            setattr(bulletin, name, value)
        return serializer(bulletin, context=self.get_serializer_context()).data

    @extend_schema(request=None, responses=BroadcastResultSerializer)
    @action(detail=True, methods=["post"])
    def broadcast(self, request, pk=None):
        """Put the bulletin in the playlist of every target cluster (now, or at its time)."""
        bulletin = self.get_object()
        reached = services.broadcast(bulletin, actor=request.user)
        return Response(self._out(bulletin, BroadcastResultSerializer, clusters_reached=reached))

    @extend_schema(request=None, responses=BulletinSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Stop the bulletin on every cluster (devices stop within a second of the new playlist)."""
        bulletin = self.get_object()
        services.cancel(bulletin, actor=request.user)
        return Response(self._out(bulletin))

    @extend_schema(responses={(200, "application/cap+xml"): OpenApiTypes.STR})
    @action(detail=True, methods=["get"])
    def cap(self, request, pk=None):
        """The bulletin as an OASIS CAP 1.2 alert (a Cancel once it is cancelled)."""
        bulletin = self.get_object()
        cap = services.export_cap(bulletin)
        return download_response(cap, f"bulletin-{bulletin.pk}.cap.xml", "application/cap+xml; charset=utf-8")

    @extend_schema(
        parameters=[OpenApiParameter("variant", str, enum=["audio", "fallback"], description="Default: audio.")],
        responses={(200, "audio/ogg"): OpenApiTypes.BINARY, 404: OpenApiResponse(description="No such audio.")},
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, OggRenderer])
    def audio(self, request, pk=None):
        """The bulletin's audio (Ogg Opus) for an API client that may see the bulletin, with its token."""
        bulletin = self.get_object()
        sha256 = (
            bulletin.fallback_sha256 if request.query_params.get("variant") == "fallback" else bulletin.audio_sha256
        )
        if not sha256:
            raise Http404(_("This bulletin has no audio."))
        return audio_response(sha256)


class CapParser(BaseParser):
    media_type = "application/cap+xml"

    def parse(self, stream, media_type=None, parser_context=None):
        return read_body(stream)


class XmlParser(CapParser):
    media_type = "application/xml"


class TextXmlParser(CapParser):
    media_type = "text/xml"


class CapImportView(APIView):
    """Import an OASIS CAP 1.2 alert: an emergency for the clusters of the units its area names
    (geocode VN-DVHC or names); a Cancel cancels what it references; an Update replaces it."""

    parser_classes = [CapParser, XmlParser, TextXmlParser]
    required_permission = "radio.import_cap_bulletin"

    @extend_schema(
        request={"application/cap+xml": OpenApiTypes.STR, "application/xml": OpenApiTypes.STR},
        responses={
            201: CapImportResultSerializer,
            200: OpenApiResponse(
                CapImportResultSerializer,
                description="A Cancel: what it cancelled; or an alert received before (same sender, identifier "
                "and sent): nothing sent again, `already_received` true.",
            ),
        },
    )
    def post(self, request):
        if not isinstance(request.data, bytes) or not request.data.strip():
            raise ValidationError({"detail": _("Send the CAP alert as XML in the request body.")})
        bulletin, cancelled, again = services.import_cap(request.data, actor=request.user)
        body = {
            "bulletin": BulletinSerializer(bulletin, context={"request": request}).data if bulletin else None,
            "cancelled": [item.pk for item in cancelled],
            "already_received": again,
        }
        if again:
            body["detail"] = _("This alert had already been received: nothing was sent again.")
        created = bulletin is not None and not again
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class NormalizeView(APIView):
    """The normalised Vietnamese reading of a text (dates, numbers, abbreviations...), as speakers say it."""

    required_permission = None

    @extend_schema(
        parameters=[
            OpenApiParameter("text", str, required=True),
            OpenApiParameter("unit", str, description="Unit code whose pronunciation dictionary applies."),
        ],
        responses=NormalizedSerializer,
    )
    def get(self, request):
        text = request.query_params.get("text", "")
        if not text.strip():
            raise ValidationError({"text": [_("Write the text of the bulletin.")]})
        if len(text) > services.MAX_TEXT:
            raise ValidationError({"text": [_("The text is too long.")]})
        unit = services.sender_unit_for(request.user)
        code = request.query_params.get("unit")
        if code:
            from tinhso.units.models import Unit

            unit = Unit.objects.restrict(request.user).filter(code=code).order_by("-valid_from").first() or unit
        return Response({"text": audio.normalize(text, unit)})


class PlayEventViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The append-only play log: plays, stops (finished, cancelled, pre-empted, expired), downloads, failures."""

    queryset = PlayEvent.objects.select_related("cluster")
    serializer_class = PlayEventSerializer
    filterset_class = PlayEventFilterSet
    ordering_fields = ["at"]
    ordering = ["-at", "-id"]
    lookup_value_regex = r"[0-9]+"
