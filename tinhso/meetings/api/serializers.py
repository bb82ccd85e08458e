from django.urls import reverse
from rest_framework import serializers

from ..choices import AttendanceStatus, BodyKind, MeetingMode
from ..models import AgendaItem, Document, Meeting


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "order", "title", "presenter", "starts_at"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    body_name = serializers.CharField(source="body.name", read_only=True)
    agenda = AgendaItemSerializer(many=True, read_only=True)
    invite_url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "body",
            "body_name",
            "title",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "mode",
            "status",
            "cancel_reason",
            "ical_uid",
            "sequence",
            "agenda",
            "invite_url",
        ]
        read_only_fields = fields

    def get_invite_url(self, meeting) -> str:
        return reverse("meetings:invite_ics", args=[meeting.pk])


class AgendaLineSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    presenter = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    starts_at = serializers.TimeField(required=False, allow_null=True, default=None)


class MeetingCreateSerializer(serializers.Serializer):
    body = serializers.IntegerField()
    title = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    online_link = serializers.URLField(max_length=500, required=False, default="", allow_blank=True)
    mode = serializers.ChoiceField(choices=MeetingMode.choices, default=MeetingMode.IN_PERSON)
    agenda = AgendaLineSerializer(many=True, required=False, default=list)


class CheckinSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    member_number = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)
    user = serializers.IntegerField(required=False, allow_null=True, default=None)
    status = serializers.ChoiceField(choices=AttendanceStatus.choices, required=False, default="", allow_blank=True)
    reason = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class AttendanceSerializer(serializers.Serializer):
    invited = serializers.IntegerField()
    present = serializers.IntegerField()
    late = serializers.IntegerField()
    excused = serializers.IntegerField()
    absent = serializers.IntegerField()
    quorum = serializers.BooleanField()
    rule = serializers.DictField()


class DocumentSerializer(serializers.ModelSerializer):
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "title", "number", "access", "confidential", "agenda_item", "file_url"]
        read_only_fields = fields

    def get_file_url(self, document) -> str | None:
        """None for a confidential document (it has no file, ever) and for one without a file yet."""
        if document.confidential or not document.file:
            return None
        return reverse("meetings:document", args=[document.pk]) + "?download=1"

    def to_representation(self, document):
        data = super().to_representation(document)
        if document.confidential:
            data.pop("file_url", None)
        return data


class NoticeResultSerializer(serializers.Serializer):
    sent = serializers.IntegerField()
    revision = serializers.IntegerField()


class BodiesNoticeSerializer(serializers.Serializer):
    """A meeting for every body of a kind within a unit (the province-wide notice), as on /meetings/notify-bodies/."""

    unit = serializers.IntegerField(help_text="A province or district unit where the caller may run meetings.")
    kind = serializers.ChoiceField(choices=BodyKind.choices, default=BodyKind.PARTY_CELL)
    title = serializers.CharField(max_length=300)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    online_link = serializers.URLField(max_length=500, required=False, default="", allow_blank=True)
    mode = serializers.ChoiceField(choices=MeetingMode.choices, default=MeetingMode.IN_PERSON)
