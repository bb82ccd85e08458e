"""The live round's state in the cache, so that a phone's poll whose state has not changed is answered 304
before sessions, authentication and the database (`tinhso.core.public_cache.early`).

The cache (Redis in production, the shared file cache otherwise) holds, per round, the few fields a poll
depends on — status, current question, when it opened and for how long — written by the host's services
after their transaction commits; and, per round and player, how many questions that player has answered,
written after an answer commits. The play view computes the same ETag from the database and fills the
cache when an entry is missing (`cache.add`: never over a newer value a service wrote).

The ETag is signed with the secret key over the round, the player and the session cookie, so it cannot be
forged for another player's state, and a different cookie (logged out, another person) never gets a 304."""

import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponseNotModified
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import parse_etags

STATE_SECONDS = 600  # an entry outlives any question; a missing one only costs one full poll
PLAY_PATH = r"^/learning/live/(?P<pk>\d+)/play/$"
_PLAY = re.compile(PLAY_PATH)
_TAG = re.compile(r"^live-(?P<pk>\d+)-(?P<uid>\d+)-(?P<state>[a-z]+\.-?\d+\.[01]\.\d+)-(?P<sig>[0-9a-f]{16})$")


def _round_key(pk: int) -> str:
    return f"learning-live:{pk}"


def _mine_key(pk: int, uid: int) -> str:
    return f"learning-live:{pk}:{uid}"


def round_state(live) -> dict:
    opened = live.opened_at.timestamp() if live.opened_at else None
    return {"status": live.status, "current": live.current, "opened": opened, "seconds": live.seconds_per_question}


def _open(state: dict, now: float) -> bool:
    return state["status"] == "asking" and state["opened"] is not None and now < state["opened"] + state["seconds"]


def publish(live) -> None:
    """The host's services call this inside their transaction: the old state is dropped at once (a poll
    meanwhile goes to the database) and the new one written once the transaction commits."""
    state = round_state(live)
    cache.delete(_round_key(live.pk))
    transaction.on_commit(lambda: cache.set(_round_key(live.pk), state, STATE_SECONDS))


def answered(pk: int, uid: int, count: int) -> None:
    cache.delete(_mine_key(pk, uid))
    transaction.on_commit(lambda: cache.set(_mine_key(pk, uid), count, STATE_SECONDS))


def _cookie(request) -> str:
    return request.COOKIES.get(settings.SESSION_COOKIE_NAME, "")


def etag(pk: int, uid: int, state: dict, mine: int, cookie: str, now: float | None = None) -> str:
    now = timezone.now().timestamp() if now is None else now
    body = f"{state['status']}.{state['current']}.{int(_open(state, now))}.{mine}"
    sig = salted_hmac("learning.live.poll", f"{pk}-{uid}-{body}-{cookie}", algorithm="sha256").hexdigest()[:16]
    return f'"live-{pk}-{uid}-{body}-{sig}"'


def view_etag(request, live, mine: int) -> str:
    """The play view's ETag, from the database; fills the cache where it has nothing yet."""
    state = round_state(live)
    cache.add(_round_key(live.pk), state, STATE_SECONDS)
    cache.add(_mine_key(live.pk, request.user.pk), mine, STATE_SECONDS)
    return etag(live.pk, request.user.pk, state, mine, _cookie(request))


def not_modified(request, match) -> HttpResponseNotModified | None:
    """Registered with public_cache.early: a 304 from two cache reads when the phone's ETag is still right."""
    if request.method != "GET" or not request.headers.get("HX-Request"):
        return None
    cookie = _cookie(request)
    pk = int(match["pk"])
    for tag in parse_etags(request.headers.get("If-None-Match", "")[:1000])[:3]:
        parsed = _TAG.match(tag.strip('"'))
        if not cookie or not parsed or int(parsed["pk"]) != pk:
            continue
        uid = int(parsed["uid"])
        entries = cache.get_many([_round_key(pk), _mine_key(pk, uid)])
        state, mine = entries.get(_round_key(pk)), entries.get(_mine_key(pk, uid))
        if state is None or mine is None:
            return None
        expected = etag(pk, uid, state, mine, cookie)
        if constant_time_compare(expected, tag):
            response = HttpResponseNotModified()
            response["ETag"] = expected
            response["Cache-Control"] = "private, no-cache"
            response["Vary"] = "Cookie, HX-Request"
            return response
    return None
