from rest_framework import serializers

from tinhso.core.api.fields import IdField

from ..models import RoleAssignment, User
from ..roles import Role


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(help_text="Username or phone number.")
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


class RoleAssignmentSerializer(serializers.ModelSerializer):
    unit_code = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = RoleAssignment
        fields = [
            "id",
            "user",
            "role",
            "unit",
            "unit_code",
            "unit_name",
            "include_descendants",
            "valid_from",
            "valid_to",
            "continues",
        ]
        read_only_fields = ["valid_from", "valid_to", "continues"]


class UserSerializer(serializers.ModelSerializer):
    roles = RoleAssignmentSerializer(source="role_assignments", many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "phone", "organisation", "is_active", "roles"]
        read_only_fields = ["id", "username", "roles"]


class UserCreateSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=Role.choices)
    unit = IdField(help_text="Id of the unit the role is held on.")
    include_descendants = serializers.BooleanField(default=True)
