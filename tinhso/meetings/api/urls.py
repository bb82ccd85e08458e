from .views import MeetingViewSet


def register(router):
    router.register("meetings", MeetingViewSet, basename="meeting")
    return []
