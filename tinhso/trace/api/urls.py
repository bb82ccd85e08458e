from django.urls import path

from .views import EventImportView, EventView, SensorReadingView, TreeViewSet


def register(router):
    router.register("trace/trees", TreeViewSet, basename="tracetree")
    return [
        path("trace/events/", EventView.as_view(), name="trace-events"),
        path("trace/events/import/", EventImportView.as_view(), name="trace-events-import"),
        path("trace/sensors/<str:device_id>/readings/", SensorReadingView.as_view(), name="trace-sensor-readings"),
    ]
