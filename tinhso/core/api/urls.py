"""The /api/v1/ router. Each app (foundation and domains) adds its viewsets in its own api/urls.py
`register(router)`, discovered in INSTALLED_APPS order; core only adds its own."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from tinhso.core.api.views import JobViewSet, ObjectChangeViewSet
from tinhso.core.modules import module_api_registrations

router = DefaultRouter()
extra_paths = []
for register in module_api_registrations():
    extra_paths += register(router) or []
router.register("changes", ObjectChangeViewSet, basename="objectchange")
router.register("jobs", JobViewSet, basename="job")

urlpatterns = [
    *extra_paths,
    path("", include(router.urls)),
]
