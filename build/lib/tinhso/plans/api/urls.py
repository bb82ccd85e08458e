from django.urls import path

from .views import (
    DataElementViewSet,
    DataSetViewSet,
    DataValueSetView,
    IndicatorViewSet,
    PlanViewSet,
    ReportViewSet,
    TaskViewSet,
)


def register(router):
    router.register("dataelements", DataElementViewSet, basename="dataelement")
    router.register("datasets", DataSetViewSet, basename="dataset")
    router.register("indicators", IndicatorViewSet, basename="indicator")
    router.register("plans", PlanViewSet, basename="plan")
    router.register("tasks", TaskViewSet, basename="task")
    router.register("reports", ReportViewSet, basename="report")
    return [path("datavaluesets/", DataValueSetView.as_view(), name="datavaluesets")]
