"""The /api/v1/ router. Each module adds its viewsets in its own api/urls.py `register(router)`."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from tinhso.accounts.api.views import RoleAssignmentViewSet, TokenView, UserViewSet
from tinhso.core.api.views import JobViewSet, ObjectChangeViewSet
from tinhso.core.modules import module_api_registrations
from tinhso.units.api.views import OrganisationViewSet, UnitViewSet

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("users", UserViewSet, basename="user")
router.register("role-assignments", RoleAssignmentViewSet, basename="roleassignment")
router.register("changes", ObjectChangeViewSet, basename="objectchange")
router.register("jobs", JobViewSet, basename="job")
extra_paths = []
for register in module_api_registrations():
    extra_paths += register(router) or []

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="auth-token"),
    *extra_paths,
    path("", include(router.urls)),
]
