from django.core.exceptions import ValidationError
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError

from tinhso.core.filtersets import ObjectChangeFilterSet
from tinhso.core.models import Job, ObjectChange

from .serializers import JobSerializer, ObjectChangeSerializer
from .viewsets import ScopedReadOnlyViewSet


class ObjectChangeViewSet(ScopedReadOnlyViewSet):
    """The change log: who changed what, when, under which request, with before and after."""

    queryset = ObjectChange.objects.select_related("object_type")
    serializer_class = ObjectChangeSerializer
    filterset_class = ObjectChangeFilterSet
    search_fields = ["object_repr", "user_name"]
    ordering_fields = ["time"]

    def get_queryset(self):
        return self.queryset.restrict(self.request.user, "view")

    def filter_queryset(self, queryset):
        try:
            return super().filter_queryset(queryset)
        except ValidationError as error:
            raise ApiValidationError({"object_type": error.messages}) from error


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """Background jobs the caller started, with live progress."""

    queryset = Job.objects.all()
    serializer_class = JobSerializer
    required_permission = None

    def get_queryset(self):
        return Job.objects.filter(created_by=self.request.user)
