"""Live rounds in a room: the host's screen and the players' phones, both polling with HTMX every second while the
round runs (waiting for, showing or closing a question; not once ended), toward the issue's 1 s from question to phone.

Polling rather than WebSocket: a round is one room (tens to a few hundred phones on 3G), a poll is one small
indexed query answered by the ordinary gunicorn workers, and nothing else (Channels, Redis, an ASGI server) has
to run in a commune's deployment. A question reaches every phone within the poll interval plus one request; an
unchanged phone's poll is answered 304 without rendering, which is what makes a one-second interval affordable.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from tinhso.core.files import stored_file_response
from tinhso.core.views import ServiceFormView

from . import live_state, services
from .choices import LiveStatus
from .forms import LiveRoundForm
from .live_state import POLL_SECONDS, current_question, scoreboard
from .models import LiveAnswer, LiveRound, Question

SESSION_KEY = "learning_live_rounds"
PIN_TRIES, PIN_WINDOW = 10, 600  # wrong PINs a person may type in 10 minutes (a PIN is 1 of a million)


class LiveHomeView(LoginRequiredMixin, TemplateView):
    """Join with a PIN (anyone logged in); a host sees their rounds and starts a new one."""

    template_name = "learning/live_home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        may_host = user.has_perm("learning.add_liveround")
        rounds = LiveRound.objects.filter(host=user).exclude(status=LiveStatus.ENDED)[:20] if may_host else []
        return super().get_context_data(may_host=may_host, rounds=rounds, **kwargs)

    def post(self, request):
        try:
            live = join_by_pin(request.user, request.POST.get("pin", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("learning:live")
        joined = set(request.session.get(SESSION_KEY, []))
        request.session[SESSION_KEY] = sorted(joined | {live.pk})[-20:]
        return redirect("learning:live_play", pk=live.pk)


def join_by_pin(user, pin: str) -> LiveRound:
    """The running round with this PIN, or ValidationError; wrong PINs are limited per person (10 in 10 min)."""
    from django.core.cache import cache

    tries_key = f"learning-live-pin-tries:{user.pk}"
    if (cache.get(tries_key) or 0) >= PIN_TRIES:
        raise ValidationError(_("Too many wrong PINs. Wait ten minutes and try again."))
    pin = str(pin).strip()[:6]
    live = LiveRound.objects.filter(pin=pin).exclude(status=LiveStatus.ENDED).first() if pin.isdigit() else None
    if live is None:
        if not cache.add(tries_key, 1, PIN_WINDOW):
            cache.incr(tries_key)
        raise ValidationError(_("No round is running with this PIN."))
    return live


def ticket_for(live: LiveRound, user) -> str:
    """What an API client keeps after joining with the PIN (the pages keep the round in the session)."""
    from django.core import signing

    return signing.dumps([live.pk, user.pk], salt="learning.live.ticket")


def has_joined(request, pk: int, ticket: str = "") -> bool:
    from django.core import signing

    if pk in request.session.get(SESSION_KEY, []):
        return True
    try:
        return signing.loads(ticket or "", salt="learning.live.ticket", max_age=86400) == [pk, request.user.pk]
    except signing.BadSignature:
        return False


class LiveNewView(ServiceFormView):
    form_class = LiveRoundForm
    title = gettext_lazy("New live round")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("learning.add_liveround"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form):
        data = form.cleaned_data
        return services.create_live_round(
            actor=self.request.user,
            unit=data["unit"],
            title=data["title"],
            count=data["count"],
            seconds=data["seconds"],
            topic=data["topic"],
            domain=data["domain"],
            level=data["level"],
        )

    def get_success_url(self, result=None):
        from django.urls import reverse

        return reverse("learning:live_host", args=[result.pk])


class HostMixin(LoginRequiredMixin):
    def get_round(self) -> LiveRound:
        live = get_object_or_404(LiveRound, pk=self.kwargs["pk"])
        if live.host_id != self.request.user.pk and not self.request.user.has_perm("learning.change_liveround", live):
            raise Http404
        return live


class LiveHostView(HostMixin, TemplateView):
    """The host's screen (projected in the room): PIN, the question, answers in, the scoreboard."""

    template_name = "learning/live_host.html"

    def get_template_names(self):
        if self.request.headers.get("HX-Request"):
            return ["learning/partials/_live_host.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        live = self.get_round()
        answered = 0
        if live.current >= 0:
            answered = LiveAnswer.objects.filter(round=live, index=live.current).count()
        players = LiveAnswer.objects.filter(round=live).aggregate(n=Count("user", distinct=True))["n"]
        return super().get_context_data(
            live=live,
            question=current_question(live, with_answer=True),
            answered=answered,
            players=players,
            board=scoreboard(live),
            poll=POLL_SECONDS,
            **kwargs,
        )

    def post(self, request, pk: int):
        live = self.get_round()
        try:
            if "end" in request.POST:
                services.end_live_round(live, actor=request.user)
            else:
                services.advance_live_round(live, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("learning:live_host", pk=pk)


class LiveQuestionImageView(LoginRequiredMixin, View):
    """A live round's question picture: to its host at any time (to prepare the room), to a player who joined
    only once the host has opened that question (the current one or one before it), never while the round
    waits: a player cannot look ahead by guessing the next number."""

    def get(self, request, pk: int, index: int):
        live = get_object_or_404(LiveRound, pk=pk)
        is_host = live.host_id == request.user.pk or request.user.has_perm("learning.change_liveround", live)
        if not is_host:
            shown = live.status != LiveStatus.WAITING and index <= live.current
            if not has_joined(request, pk, request.GET.get("ticket", "")) or not shown:
                raise Http404
        if index >= len(live.questions):
            raise Http404
        image = get_object_or_404(Question, pk=live.questions[index]["id"]).image
        if not image:
            raise Http404
        return stored_file_response(image.name, content_type="image/jpeg", storage=image.storage)


class LivePlayView(LoginRequiredMixin, TemplateView):
    """A player's phone: the open question with its choices, then whether it was right, and the scoreboard."""

    template_name = "learning/live_play.html"

    def get(self, request, *args, **kwargs):
        """A poll (HTMX) whose state has not changed (round status, question, whether it is open, the phone's
        answers) is answered 304, and one whose state changed gets the fragment rendered once for that state —
        both by `live_state.poll` from the cache before sessions and the database; here, when the cache
        cannot vouch for it, from three small queries and the same fragment."""
        live = self.get_round()
        mine = live_state.player_state(live, request.user)
        now = timezone.now().timestamp()
        if not request.headers.get("HX-Request"):
            fragment = live_state.fragment(live, mine, get_token(request), now)
            return self.render_to_response(self.get_context_data(live=live, fragment=fragment))
        tag = live_state.view_etag(request, live, mine, now)
        if tag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(live_state.fragment(live, mine, get_token(request), now))
        response["ETag"] = tag
        response["Cache-Control"] = "private, no-cache"
        patch_vary_headers(response, ["Cookie", "HX-Request"])
        return response

    def get_round(self) -> LiveRound:
        if not has_joined(self.request, self.kwargs["pk"]):
            raise Http404  # join with the PIN first
        return get_object_or_404(LiveRound, pk=self.kwargs["pk"])

    def post(self, request, pk: int):
        live = self.get_round()
        index = request.POST.get("index", "")
        values = request.POST.getlist("answer")
        question_kind = None
        if index.isdigit() and int(index) < len(live.questions):
            question_kind = (
                Question.objects.filter(pk=live.questions[int(index)]["id"]).values_list("kind", flat=True).first()
            )
        value: object = None
        if question_kind == "multiple":
            value = [int(v) for v in values if v.isdigit()]
        elif question_kind == "truefalse":
            value = {"true": True, "false": False}.get(values[0] if values else "")
        elif values and values[0].isdigit():
            value = int(values[0])
        try:
            if not index.isdigit() or value is None:
                raise ValidationError(_("Choose an answer."))
            services.answer_live(live, user=request.user, index=int(index), value=value)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("learning:live_play", pk=pk)
