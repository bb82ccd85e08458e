"""The radio card of the home page.

An officer sees the bulletins scheduled today and the speaker clusters offline in their units; a citizen sees
the latest bulletins that went on air in their village (what the loudspeakers said: never drafts, never
cancelled ones), with playback. At most four queries.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views import View

from tinhso.accounts.access import home_unit

from .choices import BulletinStatus
from .models import Bulletin, SpeakerCluster

SHOWN = 5
AIRED = (BulletinStatus.ON_AIR, BulletinStatus.FINISHED)
UPCOMING = (BulletinStatus.SCHEDULED, BulletinStatus.ON_AIR)


def radio_card(request) -> dict | None:
    user = request.user
    if user.has_perm("radio.view_bulletin"):
        return _officer_card(user)
    unit = home_unit(user, "units.view_unit")
    if unit is None:
        return None
    return _citizen_card(user, unit)


def _officer_card(user) -> dict:
    today = timezone.localdate()
    today_bulletins = (
        Bulletin.objects.restrict(user)
        .filter(Q(send_at__date=today) | Q(status=BulletinStatus.ON_AIR), status__in=UPCOMING)
        .select_related("unit")
        .order_by("send_at", "pk")
    )
    clusters = SpeakerCluster.objects.restrict(user).filter(is_online=False).select_related("unit")
    card = {
        "role": "officer",
        "today": today,
        "bulletins": list(today_bulletins[:SHOWN]),
        "bulletins_today": today_bulletins.count(),
        "can_send": user.has_perm("radio.add_bulletin"),
        "offline": [],
        "clusters_offline": 0,
    }
    if user.has_perm("radio.view_speakercluster"):
        card["offline"] = list(clusters.order_by("unit__path", "name")[:SHOWN])
        card["clusters_offline"] = clusters.count()
    return card


def citizen_bulletins(unit):
    """What went on air for `unit`: sent to it, to a unit above it, or to its clusters."""
    reached = [*unit.ancestor_ids, unit.pk]
    return (
        Bulletin.objects.filter(status__in=AIRED, broadcast_at__isnull=False)
        .filter(
            Q(target_units__in=reached)
            | Q(target_units__path__startswith=unit.path)
            | Q(target_clusters__unit__path__startswith=unit.path)
        )
        .distinct()
    )


def _citizen_card(user, unit) -> dict:
    bulletins = list(citizen_bulletins(unit).select_related("unit").order_by("-broadcast_at", "-pk")[:SHOWN])
    for bulletin in bulletins:
        bulletin.listen_url = _listen_url(bulletin)
    return {"role": "citizen", "unit": unit, "bulletins": bulletins}


def _listen_url(bulletin) -> str:
    if not bulletin.audio_sha256:
        return ""
    try:
        return reverse("radio:home_bulletin_audio", args=[bulletin.pk])
    except NoReverseMatch:  # the route is declared in radio/urls.py (see docs/home.md)
        return ""


class CitizenBulletinAudioView(LoginRequiredMixin, View):
    """The audio of a bulletin that went on air in the citizen's village, as the loudspeakers played it."""

    def get(self, request, pk: int):
        from .views.audio import audio_response

        unit = home_unit(request.user, "units.view_unit")
        if unit is None:
            raise Http404("no unit")
        bulletin = get_object_or_404(citizen_bulletins(unit), pk=pk)
        if not bulletin.audio_sha256:
            raise Http404("no audio")
        return audio_response(bulletin.audio_sha256)
