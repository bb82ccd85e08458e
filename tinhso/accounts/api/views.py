from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed, NotFound, PermissionDenied, Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from tinhso.core.api.viewsets import ScopedViewSetMixin
from tinhso.units.models import Unit

from .. import services, throttle, two_factor
from ..models import RoleAssignment, User
from .serializers import (
    RoleAssignmentSerializer,
    TokenRequestSerializer,
    TokenSerializer,
    UserCreateSerializer,
    UserSerializer,
)


class LoginRateThrottle(AnonRateThrottle):
    scope = "login"


class TokenView(APIView):
    """Exchange a username (or phone number) and password for an API token.

    Only for accounts without two-step verification: a person with an authenticator app (or whose role
    requires one) makes a token on their profile page, in a session that passed the code (403 here)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [LoginRateThrottle]

    @extend_schema(request=TokenRequestSerializer, responses=TokenSerializer)
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        login, password = data.validated_data["username"], data.validated_data["password"]
        if throttle.is_locked(login, throttle.client_address(request)):
            raise Throttled(detail=_("Too many failed logins. Please wait 15 minutes and try again."))
        user = authenticate(request, username=login, password=password)
        if user is None:
            raise AuthenticationFailed(_("Wrong username, phone number or password."))
        if two_factor.has_device(user) or two_factor.must_use(user):
            raise PermissionDenied(
                _("This account uses two-step verification: make an API token on your account page after the code.")
            )
        return Response({"token": services.issue_token(user)})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        """Revoke the caller's token (log out everywhere the token was used)."""
        if not request.user.is_authenticated:
            raise AuthenticationFailed()
        services.revoke_token(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def get_authenticate_header(self, request):
        return "Token"  # a refused login is a 401 that names the scheme to use

    def get_authenticators(self):
        if self.request is not None and self.request.method == "DELETE":
            from rest_framework.authentication import TokenAuthentication

            return [TokenAuthentication()]
        return []


class UserViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Accounts of people whose roles are on the caller's units."""

    queryset = User.objects.prefetch_related("role_assignments__unit")
    serializer_class = UserSerializer
    search_fields = ["username", "full_name", "phone", "email"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer})
    def create(self, request, *args, **kwargs):
        data = UserCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        unit = Unit.objects.restrict(request.user, "view").filter(pk=values.pop("unit")).first()
        if unit is None:
            raise NotFound(_("No administrative unit with this id is within your units."))
        user = services.create_user(actor=request.user, unit=unit, **values)
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        serializer.instance = services.update_user(
            serializer.instance, actor=self.request.user, changes=dict(serializer.validated_data)
        )

    @extend_schema(responses=UserSerializer)
    @action(detail=False, methods=["get"], permission_classes=[IsAuthenticated])
    def me(self, request):
        """The caller's own account and roles."""
        return Response(UserSerializer(request.user).data)


class RoleAssignmentViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Who holds which role on which unit."""

    queryset = RoleAssignment.objects.select_related("unit", "user")
    serializer_class = RoleAssignmentSerializer
    filterset_fields = ["user", "role", "unit"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def perform_create(self, serializer):
        values = serializer.validated_data
        serializer.instance = services.assign_role(
            values["user"],
            actor=self.request.user,
            role=values["role"],
            unit=values["unit"],
            include_descendants=values.get("include_descendants", True),
        )

    def perform_destroy(self, instance):
        services.remove_role(instance, actor=self.request.user)
