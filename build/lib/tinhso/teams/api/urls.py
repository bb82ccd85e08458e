from .views import ActivityTypeViewSet, ActivityViewSet, MemberViewSet, TeamViewSet


def register(router):
    # The longer prefixes first, and numeric ids only, so that "teams/members" is never read as a team.
    router.register("teams/members", MemberViewSet, basename="teammember")
    router.register("teams/activities", ActivityViewSet, basename="teamactivity")
    router.register("teams/activity-types", ActivityTypeViewSet, basename="teamactivitytype")
    router.register("teams", TeamViewSet, basename="team")
    return []
