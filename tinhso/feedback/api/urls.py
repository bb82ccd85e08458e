from .views import ReportViewSet


def register(router):
    router.register("feedback", ReportViewSet, basename="feedback")
    return []
