from django.urls import path

from .views import EvaluationView, WorkItemViewSet


def register(router):
    router.register("work", WorkItemViewSet, basename="workitem")
    return [path("evaluations/", EvaluationView.as_view(), name="work-evaluations")]
