from django.urls import reverse
from django.utils import timezone
from rest_framework import serializers

from tinhso.core.api.fields import IdField

from ..choices import PhotoStatus
from ..models import DESCRIPTION_MAX_LENGTH, Report, ReportEvent


class CitizenReportEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportEvent
        fields = ["kind", "status", "organisation", "text", "at"]
        read_only_fields = fields


class CitizenReportSerializer(serializers.ModelSerializer):
    """A report as its reporter and the office see it. The reporter's name and phone are left out for the
    office when the reporter asked to stay anonymous."""

    service = serializers.CharField(source="service.code", read_only=True)
    service_name = serializers.CharField(source="service.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    place_name = serializers.CharField(source="place.name", read_only=True, default="")
    routed_to_name = serializers.CharField(source="routed_to.name", read_only=True)
    is_overdue = serializers.SerializerMethodField()
    is_mine = serializers.SerializerMethodField()
    contact_name = serializers.SerializerMethodField()
    contact_phone = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField(help_text="The addresses of the photos ready to be shown.")
    photos_pending = serializers.SerializerMethodField(
        help_text="Photos received and still being prepared (resized, without EXIF) in the background."
    )
    photos_failed = serializers.SerializerMethodField(help_text="Photos that could not be processed after 5 tries.")
    is_published = serializers.SerializerMethodField(
        help_text="Shown on the public pages: false for a category whose reports are not published."
    )
    public_url = serializers.CharField(source="get_public_url", read_only=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "service",
            "service_name",
            "status",
            "status_label",
            "place",
            "place_name",
            "latitude",
            "longitude",
            "address",
            "attributes",
            "description",
            "public_text",
            "routed_to",
            "routed_to_name",
            "submitted_at",
            "deadline",
            "is_overdue",
            "answer",
            "answered_at",
            "closed_at",
            "rating",
            "duplicate_of",
            "is_anonymous",
            "is_mine",
            "contact_name",
            "contact_phone",
            "photos",
            "photos_pending",
            "photos_failed",
            "is_published",
            "public_url",
        ]
        read_only_fields = fields

    def _shows_contact(self, report) -> bool:
        user = self.context["request"].user
        return report.reporter_id == user.pk or not report.is_anonymous

    def get_is_overdue(self, report) -> bool:
        return report.status in ("open", "in_progress") and report.deadline < timezone.localdate()

    def get_is_mine(self, report) -> bool:
        return report.reporter_id == self.context["request"].user.pk

    def get_contact_name(self, report) -> str:
        return report.contact_name if self._shows_contact(report) else ""

    def get_contact_phone(self, report) -> str:
        return report.contact_phone if self._shows_contact(report) else ""

    def get_photos(self, report) -> list[str]:
        return [reverse("feedback:photo", args=[photo.pk]) for photo in report.photos.all() if photo.is_ready]

    def get_photos_pending(self, report) -> int:
        return sum(photo.status == PhotoStatus.PENDING for photo in report.photos.all())

    def get_photos_failed(self, report) -> int:
        return sum(photo.status == PhotoStatus.FAILED for photo in report.photos.all())

    def get_is_published(self, report) -> bool:
        return report.is_public and report.service.is_public


class CitizenReportCreateSerializer(serializers.Serializer):
    service = serializers.CharField(max_length=40, help_text="The category's code (GET /open311/v2/services.json).")
    place = IdField(required=False, allow_null=True, help_text="The village or commune (a unit id).")
    latitude = serializers.CharField(required=False, allow_blank=True, max_length=20)
    longitude = serializers.CharField(required=False, allow_blank=True, max_length=20)
    address = serializers.CharField(required=False, allow_blank=True, max_length=255)
    description = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH, trim_whitespace=True)
    is_anonymous = serializers.BooleanField(required=False, default=False)
    assisted = serializers.BooleanField(
        required=False, default=False, help_text="Filed by a village team member for a neighbour without a phone."
    )
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=120)
    contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    photos = serializers.ListField(child=serializers.FileField(), required=False, max_length=5)
    attributes = serializers.DictField(
        required=False,
        help_text="JSON: the answers to the category's attributes (GET /open311/v2/services/<code>.json), "
        '{"code": "value"} and {"code": ["key", ...]} for a multivaluelist. A form sends attribute[code]=value '
        "and attribute[code][]=key, as Open311.",
    )


class CitizenReportAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH)


class CitizenReportTransferSerializer(serializers.Serializer):
    organisation = IdField()
    reason = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH)


class CitizenReportReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH, required=False, allow_blank=True)


class CitizenReportNoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH)
    ask_reporter = serializers.BooleanField(required=False, default=False)


class CitizenReportRateSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
