from .views import OrganisationViewSet, UnitViewSet


def register(router):
    router.register("units", UnitViewSet, basename="unit")
    router.register("organisations", OrganisationViewSet, basename="organisation")
    return []
