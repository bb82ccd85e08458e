from rest_framework import serializers

from ..choices import UnitType
from ..models import Organisation, Unit


class UnitSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", read_only=True, default=None)

    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "level",
            "unit_type",
            "parent",
            "parent_code",
            "valid_from",
            "valid_to",
            "is_official",
            "latitude",
            "longitude",
            "area_km2",
            "population",
            "households",
        ]
        read_only_fields = fields


class UnitSuccessionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    code = serializers.CharField()
    name = serializers.CharField()
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()


class UnitDetailSerializer(UnitSerializer):
    predecessors = UnitSuccessionSerializer(many=True, read_only=True)
    successors = UnitSuccessionSerializer(many=True, read_only=True)

    class Meta(UnitSerializer.Meta):
        fields = [*UnitSerializer.Meta.fields, "predecessors", "successors"]
        read_only_fields = fields


class UnitUpdateSerializer(serializers.ModelSerializer):
    """Fields a user may change; codes and levels come from official decisions and stay."""

    parent = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), required=False)

    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "unit_type",
            "valid_to",
            "latitude",
            "longitude",
            "area_km2",
            "population",
            "households",
            "parent",
        ]


class UnitCreateSerializer(serializers.Serializer):
    parent_code = serializers.CharField(help_text="Code of the commune (or higher unit) the new unit belongs to.")
    code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    short_name = serializers.CharField(max_length=120)
    unit_type = serializers.ChoiceField(choices=UnitType.choices)
    valid_from = serializers.DateField(required=False)
    population = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    households = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)


class OrganisationSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "unit",
            "unit_code",
            "parent",
            "code",
            "phone",
            "email",
            "address",
            "is_active",
        ]
