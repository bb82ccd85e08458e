from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from tinhso.core.api.fields import IdField

from ..choices import ETHNIC_NAME
from ..models import Activity, ActivityType, Evidence, Member, Person, Team


class TeamSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    serves = serializers.SerializerMethodField(help_text="The unit the team serves in the structure of `as_of`.")
    member_count = serializers.IntegerField(read_only=True, help_text="Members on `as_of`.")

    class Meta:
        model = Team
        fields = [
            "id",
            "name",
            "level",
            "unit",
            "unit_code",
            "serves",
            "decision_number",
            "founded_on",
            "decision_signer",
            "ended_on",
            "member_count",
        ]
        read_only_fields = fields

    def get_serves(self, team) -> dict | None:
        place = self.context["structure"].representative(team.unit_id)
        return {"code": place.code, "name": place.name, "level": place.level} if place else None


class PersonSerializer(serializers.ModelSerializer):
    ethnicity_name = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = ["id", "full_name", "phone", "gender", "ethnicity", "ethnicity_name", "birth_year", "skills"]
        read_only_fields = fields

    def get_ethnicity_name(self, person) -> str:
        return ETHNIC_NAME.get(person.ethnicity, "")


class MemberSerializer(serializers.ModelSerializer):
    person = PersonSerializer(read_only=True)
    # A plain string in the schema: an enum named "role" already exists (accounts' roles).
    role = serializers.CharField(
        read_only=True, help_text="leader (tổ trưởng), deputy (tổ phó) or member (thành viên)."
    )
    team_name = serializers.CharField(source="team.name", read_only=True)

    class Meta:
        model = Member
        fields = ["id", "team", "team_name", "role", "joined_on", "left_on", "person"]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "original_name", "content_type", "size", "url"]
        read_only_fields = fields

    def get_url(self, evidence) -> str:
        return reverse("teams:evidence_file", args=[evidence.pk])


class ActivitySerializer(serializers.ModelSerializer):
    activity_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    activity_type_name = serializers.CharField(source="activity_type.name", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True)
    village_code = serializers.CharField(source="village.code", read_only=True, default=None)
    village_name = serializers.CharField(source="village.name", read_only=True, default=None)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True, default=None)
    evidence = EvidenceSerializer(many=True, read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True, help_text="The activity's page.")

    class Meta:
        model = Activity
        fields = [
            "id",
            "team",
            "team_name",
            "activity_type",
            "activity_type_name",
            "date",
            "village_code",
            "village_name",
            "people_reached",
            "households_reached",
            "description",
            "evidence",
            "recorded_by",
            "created_at",
            "url",
        ]
        read_only_fields = fields


class ActivityCreateSerializer(serializers.Serializer):
    team = IdField(help_text="Id of the team that did the activity.")
    activity_type = serializers.SlugRelatedField(
        slug_field="code", queryset=ActivityType.objects.all(), help_text="Code from /api/v1/teams/activity-types/."
    )
    date = serializers.DateField(
        error_messages={
            "invalid": _("This is not a date: write day/month/year, for example 27/3/2024."),
            "required": _("Enter the day of the activity, for example 27/3/2024."),
            "null": _("Enter the day of the activity, for example 27/3/2024."),
        },
        input_formats=["iso-8601", "%d/%m/%Y"],
    )
    village_code = serializers.CharField(
        required=False, allow_blank=True, help_text="Village code; empty: commune-wide."
    )
    people_reached = serializers.IntegerField(min_value=0, max_value=100000, default=0)
    households_reached = serializers.IntegerField(min_value=0, max_value=20000, default=0)
    description = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    evidence = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="Photos or files (multipart), at most 6."
    )


class ActivityTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityType
        fields = ["id", "code", "name", "description", "order", "is_active"]
        read_only_fields = fields
