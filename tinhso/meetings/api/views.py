from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from tinhso.core.api.serializers import JobSerializer
from tinhso.core.api.views import job_accepted

from .. import services
from ..access import managed_bodies, may_read_document, visible_meetings
from ..models import AgendaItem, Meeting
from .serializers import (
    AttendanceSerializer,
    BodiesNoticeSerializer,
    CheckinSerializer,
    DocumentSerializer,
    MeetingCreateSerializer,
    MeetingSerializer,
    NoticeResultSerializer,
)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Meetings of the bodies the caller belongs to or oversees; others are simply not there (404).
    Creating, notifying and checking in go through the services, which check who runs the body."""

    queryset = Meeting.objects.none()
    serializer_class = MeetingSerializer
    lookup_value_regex = r"[0-9]+"
    required_permission = None  # membership or the unit's officers: decided by the queryset and the services
    ordering_fields = ["starts_at"]

    def get_queryset(self):
        if self.action in ("checkin", "attendance"):
            # The check-in path reads the meeting, its body (quorum rule) and unit (the change log's scope): no
            # agenda, one query.
            return visible_meetings(self.request.user).select_related("body__unit")
        return (
            visible_meetings(self.request.user)
            .select_related("body")
            .prefetch_related(Prefetch("agenda", queryset=AgendaItem.objects.order_by("order", "pk")))
            .order_by("-starts_at", "pk")
        )

    @extend_schema(request=MeetingCreateSerializer, responses={201: MeetingSerializer})
    def create(self, request):
        data = _valid(MeetingCreateSerializer, request)
        body = managed_bodies(request.user).filter(pk=data["body"]).first()
        if body is None:
            raise ValidationError({"body": [_("No such body among those you run.")]})
        meeting = services.create_meeting(
            body,
            actor=request.user,
            data=services.MeetingData(
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                online_link=data["online_link"],
                mode=data["mode"],
            ),
            agenda=[(line["title"], line["presenter"], line["starts_at"]) for line in data["agenda"]],
        )
        return Response(MeetingSerializer(self.get_queryset().get(pk=meeting.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=NoticeResultSerializer)
    @action(detail=True, methods=["post"])
    def notify(self, request, pk=None):
        meeting = self.get_object()
        notices = services.send_notices(meeting, actor=request.user)
        meeting.refresh_from_db()
        return Response({"sent": len(notices), "revision": meeting.sequence})

    @extend_schema(request=CheckinSerializer, responses=AttendanceSerializer)
    @action(detail=True, methods=["post"])
    def checkin(self, request, pk=None):
        meeting = self.get_object()
        data = _valid(CheckinSerializer, request)
        person = None
        if data["user"] is not None:
            person = get_user_model().objects.filter(pk=data["user"], body_memberships__body=meeting.body).first()
            if person is None:
                raise ValidationError({"user": [_("This person is not invited to this meeting.")]})
        services.check_in(
            meeting,
            actor=request.user,
            code=data["code"],
            member_number=data["member_number"],
            user=person,
            status=data["status"],
            reason=data["reason"],
        )
        return Response(services.attendance_summary(meeting))

    @extend_schema(responses=AttendanceSerializer)
    @action(detail=True, methods=["get"])
    def attendance(self, request, pk=None):
        return Response(services.attendance_summary(self.get_object()))

    @extend_schema(responses=DocumentSerializer(many=True))
    @action(detail=True, methods=["get"])
    def documents(self, request, pk=None):
        meeting = self.get_object()
        documents = [doc for doc in meeting.documents.all() if may_read_document(request.user, doc)]
        return Response(DocumentSerializer(documents, many=True).data)

    @extend_schema(
        request=BodiesNoticeSerializer,
        responses={202: JobSerializer},
        description=(
            "A meeting for every active body of `kind` in `unit` and below (a province-wide meeting of every party"
            " cell), each member notified: the same background job as /meetings/notify-bodies/. Needs"
            " `meetings.change_meeting` on the unit (a province or district officer). 202 with the job's address"
            " (`Location`, `url`); follow its progress at /api/v1/jobs/<id>/."
        ),
    )
    @action(detail=False, methods=["post"], url_path="notify-bodies")
    def notify_bodies(self, request):
        from tinhso.units.models import Unit

        data = _valid(BodiesNoticeSerializer, request)
        unit = (
            Unit.objects.restrict(request.user, "meetings.change_meeting")
            .valid_on(timezone.localdate())
            .filter(pk=data["unit"], depth__lte=1)
            .first()
        )
        if unit is None:
            raise ValidationError({"unit": [_("Choose a province or district unit where you may call meetings.")]})
        job = services.start_notice_to_bodies(
            actor=request.user,
            unit=unit,
            kind=data["kind"],
            data=services.MeetingData(
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                online_link=data["online_link"],
                mode=data["mode"],
            ),
        )
        return job_accepted(request, job)

    def get_permissions(self):
        # Only someone who may run meetings somewhere calls every body of a unit; the unit is checked above.
        self.required_permission = "meetings.change_meeting" if self.action == "notify_bodies" else None
        return super().get_permissions()
