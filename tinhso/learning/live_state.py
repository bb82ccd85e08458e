"""The live round's state in the cache, so that a phone's poll is answered before sessions, authentication and
the database (`tinhso.core.public_cache.early`): 304 when nothing changed, and when something did, a 200 put
together from a fragment rendered once per state for every phone.

The cache (Redis in production, the shared file cache otherwise) holds, per round, the few fields a poll
depends on — status, current question, when it opened and for how long — written by the host's services
after their transaction commits; per round and player, what that player has answered (how many, their
points, their latest answer), written after an answer commits; and the phone's fragment for each state,
rendered once (by the host's service after commit, or by the first poll that misses it) with markers where
a player's points and CSRF token go. The play view computes the same from the database and fills the cache
where an entry is missing (`cache.add`: never over a newer value a service wrote).

The ETag is signed with the secret key over the round, the player, the session cookie and the language, so
it cannot be forged for another player's state, and a different cookie (logged out, another person) or
language never gets an answer here. A phone whose signed ETag is stale proves the same as one whose ETag is
current — this cookie was this player in this round — so it gets the new state from the cache too."""

import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Sum
from django.http import HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import parse_etags

from . import grading
from .choices import LiveStatus
from .models import LiveAnswer, LiveRound, Question

STATE_SECONDS = 600  # an entry outlives any question; a missing one only costs one full poll
PLAY_PATH = r"^/learning/live/(?P<pk>\d+)/play/$"
FRAGMENT = "learning/partials/_live_play.html"
POLL_SECONDS = 1  # the question waited for matters most, so phones and host poll this fast while it runs
_TAG = re.compile(
    r"^live-(?P<round>(?P<pk>\d+)\.\d+)-(?P<uid>\d+)-(?P<body>[a-z]+\.-?\d+\.[01]\.\d+)-(?P<sig>[0-9a-f]{16})$"
)


def identity(live) -> str:
    """The round's id and when it was made: a cache that outlived a database (restored, reseeded, a bench run)
    never answers for another round that got the same id."""
    return f"{live.pk}.{int(live.created_at.timestamp() * 1_000_000)}"


def _round_key(ident: str) -> str:
    return f"learning-live:{ident}"


def _mine_key(ident: str, uid: int) -> str:
    return f"learning-live:{ident}:{uid}"


def round_state(live) -> dict:
    opened = live.opened_at.timestamp() if live.opened_at else None
    return {"status": live.status, "current": live.current, "opened": opened, "seconds": live.seconds_per_question}


def player_state(live, user) -> dict:
    """What a player has answered in the round: how many, their points, and their latest answer (the only one
    that can be for the current question: answers are taken for the open question only)."""
    rows = list(LiveAnswer.objects.filter(round=live, user=user).values_list("index", "points"))
    return {"count": len(rows), "total": sum(points for _index, points in rows), "last": max(rows, default=None)}


def _open(state: dict, now: float) -> bool:
    return state["status"] == "asking" and state["opened"] is not None and now < state["opened"] + state["seconds"]


def publish(live) -> None:
    """The host's services call this inside their transaction: the old state is dropped at once (a poll
    meanwhile goes to the database) and the new one written once the transaction commits, then the phones'
    fragments for it are rendered, so the burst of polls that follows finds them."""
    state = round_state(live)
    ident = identity(live)
    cache.delete(_round_key(ident))
    transaction.on_commit(lambda: cache.set(_round_key(ident), state, STATE_SECONDS))
    transaction.on_commit(lambda: warm(live.pk), robust=True)  # a failed render only costs full polls


def answered(live, user) -> None:
    """After a player's answer (inside its transaction): their entry, read back once the answer commits."""
    key = _mine_key(identity(live), user.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.set(key, player_state(live, user), STATE_SECONDS))


def _cookie(request) -> str:
    return request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")


def _body(state: dict, mine: dict, now: float) -> str:
    return f"{state['status']}.{state['current']}.{int(_open(state, now))}.{mine['count']}"


def _signature(ident: str, uid: int, body: str, cookie: str, language: str) -> str:
    value = f"{ident}-{uid}-{body}-{cookie}-{language}"
    return salted_hmac("learning.live.poll", value, algorithm="sha256").hexdigest()[:16]


def _tag(ident: str, uid: int, body: str, cookie: str, language: str) -> str:
    return f'"live-{ident}-{uid}-{body}-{_signature(ident, uid, body, cookie, language)}"'


def etag(ident: str, uid: int, state: dict, mine: dict, cookie: str, language: str, now: float | None = None) -> str:
    return _tag(ident, uid, _body(state, mine, timezone.now().timestamp() if now is None else now), cookie, language)


def view_etag(request, live, mine: dict, now: float | None = None) -> str:
    """The ETag from the database (pages and API); fills the cache where it has nothing yet."""
    state = round_state(live)
    ident = identity(live)
    cache.add(_round_key(ident), state, STATE_SECONDS)
    cache.add(_mine_key(ident, request.user.pk), mine, STATE_SECONDS)
    return etag(ident, request.user.pk, state, mine, _cookie(request), translation.get_language(), now)


# --- the phone's fragment, rendered once per state --------------------------------------------------------------


def scoreboard(live: LiveRound, limit: int = 10) -> list[dict]:
    rows = (
        LiveAnswer.objects.filter(round=live)
        .values("user_id", "user__full_name", "user__username")
        .annotate(points=Sum("points"))
        .order_by("-points", "user_id")[:limit]
    )
    return [
        {"rank": rank, "name": row["user__full_name"] or row["user__username"], "points": row["points"]}
        for rank, row in enumerate(rows, start=1)
    ]


def current_question(live: LiveRound, *, with_answer: bool) -> dict | None:
    """The question on screen now: never before the host opens it; its answer only once the host closes it."""
    if live.current < 0 or live.status == LiveStatus.WAITING:
        return None
    entry = live.questions[live.current]
    question = Question.objects.get(pk=entry["id"])
    shown = grading.public_question(question, entry)
    shown["number"], shown["total"] = live.current + 1, len(live.questions)
    shown["image"] = question_image(live, live.current, question)
    if with_answer and live.status in (LiveStatus.SHOWING, LiveStatus.ENDED):
        shown["correct"] = grading.correct_answer(question)
    return shown


def question_image(live: LiveRound, index: int, question: Question) -> dict | None:
    """The question's picture as the room and the phones load it: through the round's image view, which gives
    it to a player only once the host has opened that question (to the host at any time)."""
    return question.picture(reverse("learning:live_question_image", args=[live.pk, index]))


def _variant(state: dict, mine: dict) -> str:
    """Which of a state's fragments a player sees: nothing answered yet, answered (while the question is
    asked), or right / wrong (once the answer shows)."""
    last = mine["last"]
    if state["status"] not in ("asking", "showing") or last is None or last[0] != state["current"]:
        return "none"
    if state["status"] == "asking":
        return "sent"
    return "right" if last[1] else "wrong"


def _fragment_key(ident: str, state: dict, is_open: bool, variant: str, language: str) -> str:
    return f"learning-live:{ident}:html:{state['status']}.{state['current']}.{int(is_open)}.{variant}.{language}"


def _render(live: LiveRound, state: dict, is_open: bool, variant: str, board: list, question) -> dict:
    marker = secrets.token_hex(8)  # stands where each player's own figures go; no question text can guess it
    mine = {"none": None, "sent": {"points": 0}, "right": {"points": f"{marker}-points"}, "wrong": {"points": 0}}
    context = {
        "live": live,
        "question": question,
        "open_now": is_open,
        "mine": mine[variant],
        "total": f"{marker}-total",
        "board": board,
        "poll": POLL_SECONDS,
        "csrf_token": f"{marker}-csrf",
    }
    return {"html": render_to_string(FRAGMENT, context), "marker": marker}


def _assemble(fragment: dict, mine: dict, csrf_token: str) -> str:
    marker = fragment["marker"]
    points = str(mine["last"][1]) if mine["last"] else "0"
    html = fragment["html"].replace(f"{marker}-total", str(mine["total"])).replace(f"{marker}-points", points)
    return html.replace(f"{marker}-csrf", csrf_token)


def _shown(live: LiveRound) -> tuple[list, dict | None]:
    board = scoreboard(live, 5) if live.status in (LiveStatus.SHOWING, LiveStatus.ENDED) else []
    return board, current_question(live, with_answer=True)


def fragment(live: LiveRound, mine: dict, csrf_token: str, now: float | None = None) -> str:
    """The phone's fragment for this player (pages: the play page and the polls that reach the view)."""
    state = round_state(live)
    is_open = _open(state, timezone.now().timestamp() if now is None else now)
    variant = _variant(state, mine)
    key = _fragment_key(identity(live), state, is_open, variant, translation.get_language())
    entry = cache.get(key)
    if entry is None:
        entry = _render(live, state, is_open, variant, *_shown(live))
        cache.set(key, entry, STATE_SECONDS)
    return _assemble(entry, mine, csrf_token)


def warm(pk: int) -> None:
    """Render the fragments every phone will ask for in the round's new state, in every language."""
    live = LiveRound.objects.get(pk=pk)
    state = round_state(live)
    is_open = _open(state, timezone.now().timestamp())
    variants = {"asking": ["none"], "showing": ["none", "right", "wrong"]}.get(live.status, ["none"])
    board, question = _shown(live)
    entries = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for variant in variants:
                key = _fragment_key(identity(live), state, is_open, variant, language)
                entries[key] = _render(live, state, is_open, variant, board, question)
    cache.set_many(entries, STATE_SECONDS)


# --- the early answer, before sessions and the database ------------------------------------------------------


def _csrf_token(request) -> str | None:
    """The form's token from the phone's CSRF cookie, as the view would give it; None without a valid one."""
    from django.middleware.csrf import CsrfViewMiddleware, get_token

    if settings.CSRF_USE_SESSIONS:
        return None
    CsrfViewMiddleware(HttpResponse).process_request(request)  # reads and checks the cookie; never responds
    if "CSRF_COOKIE" not in request.META or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return None  # no cookie, or a bad one: the view sets a new cookie
    return get_token(request)


def _headers(response: HttpResponse, tag: str) -> HttpResponse:
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Cookie, HX-Request"
    return response


def poll(request, match) -> HttpResponse | None:
    """Registered with public_cache.early: a 304 from two cache reads when the phone's ETag is still right, a
    200 from three when its state changed; None (the full view) whenever the cache cannot vouch for it."""
    if request.method != "GET" or not request.headers.get("HX-Request"):
        return None
    cookie, pk = _cookie(request), match["pk"]
    language = translation.get_language_from_request(request)
    for tag in parse_etags(request.headers.get("If-None-Match", "")[:1000])[:3]:
        parsed = _TAG.match(tag.strip('"'))
        if not cookie or not parsed or parsed["pk"] != pk:
            continue
        ident, uid = parsed["round"], int(parsed["uid"])
        if not constant_time_compare(_signature(ident, uid, parsed["body"], cookie, language), parsed["sig"]):
            continue
        entries = cache.get_many([_round_key(ident), _mine_key(ident, uid)])
        state, mine = entries.get(_round_key(ident)), entries.get(_mine_key(ident, uid))
        if state is None or not isinstance(mine, dict):
            return None
        now = timezone.now().timestamp()
        body = _body(state, mine, now)
        current = _tag(ident, uid, body, cookie, language)
        if body == parsed["body"]:
            return _headers(HttpResponseNotModified(), current)
        return _changed(request, ident, state, mine, language, now, current)
    return None


def _changed(request, ident: str, state: dict, mine: dict, language: str, now: float, tag: str) -> HttpResponse | None:
    is_open = _open(state, now)
    variant = _variant(state, mine)
    entry = cache.get(_fragment_key(ident, state, is_open, variant, language))
    if entry is None:
        return None
    csrf_token = ""
    if variant == "none" and is_open:  # the answer buttons are a form
        csrf_token = _csrf_token(request) or ""
        if not csrf_token:
            return None
    response = HttpResponse(_assemble(entry, mine, csrf_token), content_type="text/html; charset=utf-8")
    response["Content-Language"] = language
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Frame-Options"] = "DENY"
    return _headers(response, tag)
