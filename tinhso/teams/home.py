"""The teams card of the home page: the user's team this month, its score, what is missing, last activities.

"The user's team" is the highest active team in the units where the user may record activities: a village
team leader's village team, a commune officer's commune team. Five queries at most.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Sum
from django.utils import timezone

from tinhso.scoring.models import Evaluation, Score

from .models import Activity, Team

SHOWN_ACTIVITIES = 3
SHOWN_GAPS = 3


def teams_card(request) -> dict | None:
    user = request.user
    if not user.has_perm("teams.add_activity"):
        return None
    today = timezone.localdate()
    team = (
        Team.objects.restrict(user, "teams.add_activity")
        .active_on(today)
        .select_related("unit")
        .order_by("unit__depth", "unit__path", "pk")
        .first()
    )
    if team is None:
        return None
    activities = Activity.objects.filter(team=team)
    month = activities.filter(date__year=today.year, date__month=today.month).aggregate(
        count=Count("pk"), people=Sum("people_reached"), households=Sum("households_reached")
    )
    evaluation = (
        Evaluation.objects.restrict(user)
        .filter(subject_type=ContentType.objects.get_for_model(Team), subject_id=team.pk)
        .order_by("-period")
        .first()
    )
    gaps = []
    if evaluation is not None:
        gaps = list(
            Score.objects.filter(evaluation=evaluation, points__lt=F("criterion__max_points"))
            .select_related("criterion")
            .annotate(missing=F("criterion__max_points") - F("points"))
            .order_by("-missing", "criterion__order")[:SHOWN_GAPS]
        )
    return {
        "team": team,
        "today": today,
        "month": month,
        "evaluation": evaluation,
        "gaps": gaps,
        "activities": list(activities.select_related("activity_type").order_by("-date", "-pk")[:SHOWN_ACTIVITIES]),
    }
