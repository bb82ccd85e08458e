from django.urls import path

from .views import BulletinViewSet, CapImportView, ClusterViewSet, NormalizeView, PlayEventViewSet


def register(router):
    router.register("radio/clusters", ClusterViewSet, basename="radiocluster")
    router.register("radio/bulletins", BulletinViewSet, basename="radiobulletin")
    router.register("radio/events", PlayEventViewSet, basename="radioevent")
    return [
        path("radio/normalize/", NormalizeView.as_view(), name="radio-normalize"),
        path("radio/cap/", CapImportView.as_view(), name="radio-cap-import"),
    ]
