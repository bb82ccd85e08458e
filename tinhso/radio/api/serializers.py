from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from tinhso.core.api.fields import IdListField
from tinhso.units.models import Unit

from ..choices import VOICE_CHOICES, BulletinKind, BulletinLevel
from ..models import Bulletin, Delivery, PlayEvent, SpeakerCluster


class ClusterSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status = serializers.CharField(
        read_only=True, help_text="online, offline or silent (no status for 1.5 × keepalive)."
    )

    class Meta:
        model = SpeakerCluster
        fields = [
            "id",
            "name",
            "unit",
            "unit_name",
            "device_id",
            "latitude",
            "longitude",
            "keepalive",
            "volume",
            "note",
            "status",
            "is_online",
            "last_seen_at",
            "playing",
            "agent_version",
            "reported_volume",
        ]
        read_only_fields = fields


class ClusterCreateSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(help_text="Code of the village or commune (valid today).")

    class Meta:
        model = SpeakerCluster
        fields = ["name", "unit", "latitude", "longitude", "keepalive", "volume", "note"]

    def validate_unit(self, code):
        unit = Unit.objects.valid_on(timezone.localdate()).filter(code=code.strip()).first()
        if unit is None:
            raise serializers.ValidationError(_("No administrative unit has this code today."))
        return unit


class ClusterUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = SpeakerCluster
        fields = ["name", "latitude", "longitude", "keepalive", "volume", "note"]


class ClusterCredentialsSerializer(ClusterSerializer):
    password = serializers.CharField(read_only=True, help_text="Shown once: only hashes are kept.")

    class Meta(ClusterSerializer.Meta):
        fields = [*ClusterSerializer.Meta.fields, "password"]
        read_only_fields = fields


class BulletinSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    targets = serializers.SerializerMethodField(help_text="Codes of the target units.")
    clusters = serializers.PrimaryKeyRelatedField(source="target_clusters", many=True, read_only=True)
    audio_url = serializers.SerializerMethodField(
        help_text="The audio (Ogg Opus), fetched with the same token or session as this answer."
    )
    deliveries = serializers.SerializerMethodField(help_text="How many target clusters are in each state.")

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "title",
            "text",
            "reading",
            "kind",
            "level",
            "voice",
            "rate",
            "chime",
            "status",
            "unit",
            "targets",
            "clusters",
            "send_at",
            "recurrence",
            "expires_at",
            "repeat",
            "position",
            "stream_url",
            "audio_url",
            "duration",
            "broadcast_at",
            "cancelled_at",
            "cap_identifier",
            "deliveries",
            "created_at",
        ]
        read_only_fields = fields

    def get_targets(self, bulletin) -> list[str]:
        return [unit.code for unit in bulletin.target_units.all()]

    def get_audio_url(self, bulletin) -> str | None:
        """The API's own audio route: an API client fetches it with the token it already sends."""
        if not bulletin.audio_sha256:
            return None
        url = reverse("radiobulletin-audio", args=[bulletin.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_deliveries(self, bulletin) -> dict[str, int]:
        counts: dict[str, int] = {}
        for state in Delivery.objects.filter(bulletin=bulletin).values_list("state", flat=True):
            counts[state] = counts.get(state, 0) + 1
        return counts


class BulletinWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    text = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    level = serializers.ChoiceField(choices=BulletinLevel.choices, default=BulletinLevel.NORMAL)
    kind = serializers.ChoiceField(choices=BulletinKind.choices, default=BulletinKind.TEXT)
    targets = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text="Codes of villages, communes..."
    )
    clusters = IdListField(required=False, default=list)
    unit = serializers.CharField(required=False, help_text="Code of the sender unit (default: your highest unit).")
    send_at = serializers.DateTimeField(required=False, allow_null=True, help_text="Empty: now.")
    recurrence = serializers.JSONField(
        required=False, allow_null=True, help_text='e.g. {"weekdays": [0, 1, 2, 3, 4], "times": ["06:00", "17:00"]}'
    )
    expires_at = serializers.DateTimeField(required=False, allow_null=True)
    repeat = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=20)
    voice = serializers.ChoiceField(choices=VOICE_CHOICES, required=False)
    rate = serializers.IntegerField(required=False, allow_null=True, min_value=80, max_value=220)
    chime = serializers.BooleanField(required=False)
    position = serializers.IntegerField(required=False, min_value=0, max_value=99)
    stream_url = serializers.URLField(required=False, allow_blank=True)
    audio = serializers.FileField(required=False, help_text="mp3, wav, ogg, m4a or a browser recording (webm).")
    fallback = serializers.FileField(required=False, help_text="A relay's fallback audio.")

    def validate_targets(self, codes):
        today = timezone.localdate()
        units = {unit.code: unit for unit in Unit.objects.valid_on(today).filter(code__in=codes)}
        missing = [code for code in codes if code not in units]
        if missing:
            raise serializers.ValidationError(
                _("No administrative unit has these codes today: %(codes)s.") % {"codes": ", ".join(missing)}
            )
        return [units[code] for code in dict.fromkeys(codes)]

    def validate_unit(self, code):
        return ClusterCreateSerializer().validate_unit(code)

    def validate_clusters(self, ids):
        user = self.context["request"].user
        found = {c.pk: c for c in SpeakerCluster.objects.restrict(user).filter(pk__in=ids).select_related("unit")}
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise serializers.ValidationError(
                _("These speaker clusters are not within your units: %(ids)s.") % {"ids": ", ".join(missing)}
            )
        return [found[pk] for pk in dict.fromkeys(ids)]


class BroadcastResultSerializer(BulletinSerializer):
    clusters_reached = serializers.IntegerField(read_only=True)

    class Meta(BulletinSerializer.Meta):
        fields = [*BulletinSerializer.Meta.fields, "clusters_reached"]
        read_only_fields = fields


class CapImportResultSerializer(serializers.Serializer):
    bulletin = BulletinSerializer(allow_null=True)
    cancelled = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of the bulletins cancelled.")
    already_received = serializers.BooleanField(
        help_text="True when this alert (sender, identifier, sent) was imported before: nothing was sent again."
    )
    detail = serializers.CharField(required=False, help_text="Why nothing was sent, when already_received.")


class PlayEventSerializer(serializers.ModelSerializer):
    device_id = serializers.CharField(source="cluster.device_id", read_only=True)
    cluster_name = serializers.CharField(source="cluster.name", read_only=True)

    class Meta:
        model = PlayEvent
        fields = [
            "id",
            "cluster",
            "cluster_name",
            "device_id",
            "bulletin",
            "item",
            "event",
            "reason",
            "detail",
            "level",
            "repetition",
            "at",
            "received_at",
        ]
        read_only_fields = fields


class NormalizedSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The normalised reading (what the speaker says).")
