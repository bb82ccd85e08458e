from django.urls import path

from .views import CatalogueImportView, EvaluationView, WorkItemViewSet


def register(router):
    router.register("work", WorkItemViewSet, basename="workitem")
    return [
        path("work/catalogue/import/", CatalogueImportView.as_view(), name="work-catalogue-import"),
        path("evaluations/", EvaluationView.as_view(), name="work-evaluations"),
    ]
