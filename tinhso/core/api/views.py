from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

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
    """Background jobs with live progress: those the caller started, and those of units in their scope.

    Imports sent to the API answer 202 Accepted with the job's address here (`Location` and `url`).
    """

    queryset = Job.objects.all()
    serializer_class = JobSerializer
    required_permission = None

    def get_queryset(self):
        user = self.request.user
        in_scope = Job.objects.restrict(user, "view").values("pk")
        return Job.objects.filter(Q(created_by=user) | Q(pk__in=in_scope)).order_by("-created_at")


def job_accepted(request, job: Job) -> Response:
    """The answer to a request whose work runs as a background job: 202 with where to follow it."""
    url = request.build_absolute_uri(reverse("job-detail", args=[job.pk]))
    body = {**JobSerializer(job).data, "url": url}
    return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": url})
