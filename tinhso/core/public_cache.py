"""Whole public pages replayed from the cache before any other middleware runs.

A page that is the same for every reader (a tree's QR page, a standard's well-known document) is marked by
its view with `cacheable(response, ...)`. On the way out, `PublicPageCacheMiddleware` (first in the
stack, after the metrics) stores the final bytes and headers — after gzip, security headers and all —
with an ETag, per path + raw query + gzip or not. The next request for the same URL is answered from
that entry: one cache read, no session, no auth, no URL resolving, no database; a matching
`If-None-Match` gets a 304 with no body. A view may name an `on_hit` handler (registered with
`on_hit(name, fn)`) that still runs on replayed hits, e.g. to count scans.

Apps name the paths worth a cache read with `serve(regex)`; other requests pass untouched.
Owners forget their pages when the object changes: `forget(paths)`; otherwise an entry lives `seconds`.
Only GET/HEAD, 200, without cookies, and never when the request would be redirected to HTTPS or its
Host is not allowed (those still go through the full stack).

Each process also keeps the entries it has read in memory (`PUBLIC_CACHE_LOCAL_ENTRIES`, 0 turns it off),
so a hit costs one read of a small generation token instead of the whole page: a read of the shared
cache that every worker does per request. `forget()` deletes the shared entries and writes a new token,
and every worker drops its memory copies when it sees a token other than the one they were read under —
a change shows in every worker at the next request, as before. An entry in memory also ends when its
shared copy would have expired.

Pages that differ per reader but are polled often (a live round's phones) may answer here too:
`early(regex, handler)` runs `handler(request, match)` for a GET/HEAD whose path matches, before any
cache entry, session or database; the handler returns a response (typically a 304 it can vouch for from
the cache alone) or None to let the request through the full stack."""

import hashlib
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.utils.http import quote_etag

PREFIX = "public-page:"
GENERATION_KEY = f"{PREFIX}generation"
_HANDLERS: dict[str, Callable[[str], None]] = {}
SKIPPED_HEADERS = {"set-cookie", "content-length", "x-request-id"}  # the id is per request, not per page


_EARLY: list[tuple[re.Pattern, Callable]] = []


def early(pattern: str, handler: Callable) -> None:
    """`handler(request, match)` may answer a GET/HEAD on paths matching `pattern` before the rest of the
    stack (return a response) or pass (return None). Call in AppConfig.ready(); the handler must be cheap
    and never trust the request beyond what it can verify itself (e.g. a signed ETag)."""
    if all(existing.pattern != pattern for existing, _handler in _EARLY):
        _EARLY.append((re.compile(pattern), handler))


_PATTERNS: list[str] = []
_SERVED: list[re.Pattern] = []


def serve(pattern: str) -> None:
    """Paths matching `pattern` (a regular expression on request.path) are looked up in the cache; every
    other request goes straight on, without a cache read. Call in AppConfig.ready()."""
    if pattern not in _PATTERNS:
        _PATTERNS.append(pattern)
        _SERVED[:] = [re.compile("|".join(f"(?:{p})" for p in _PATTERNS))]


def on_hit(name: str, handler: Callable[[str], None]) -> None:
    """`handler(argument)` runs for every replayed hit of a page marked with `on_hit=(name, argument)`."""
    _HANDLERS[name] = handler


def cacheable(response: HttpResponse, *, seconds: int, on_hit: tuple[str, str] | None = None) -> HttpResponse:
    response._public_cache = {"seconds": seconds, "on_hit": on_hit}  # type: ignore[attr-defined]
    return response


def _gzip(request) -> bool:
    return "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")


def _key(path: str, query: str, gzip: bool) -> str:
    digest = hashlib.sha1(f"{path}?{query}".encode(), usedforsecurity=False).hexdigest()
    return f"{PREFIX}{'gz' if gzip else 'id'}:{digest}"


def forget(paths: Iterable[str], queries: Iterable[str] = ("", "lang=en", "lang=vi")) -> None:
    """Drop every stored variant of these paths (with each of these raw query strings)."""
    queries = list(queries)
    keys = [_key(path, query, gzip) for path in paths for query in queries for gzip in (True, False)]
    if keys:
        cache.delete_many(keys)
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)  # every worker drops its memory copies
        _local.clear()


class _LocalLayer:
    """The entries this process has replayed, valid while the shared generation token is unchanged."""

    def __init__(self):
        self.entries: dict[str, dict] = {}
        self.generation: str | None = None
        self.lock = threading.Lock()

    def clear(self) -> None:
        with self.lock:
            self.entries = {}
            self.generation = None

    def current_generation(self) -> str:
        generation = cache.get(GENERATION_KEY)
        if generation is None:  # never forgotten, or the shared cache was cleared: start a new one
            cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
            generation = cache.get(GENERATION_KEY) or ""
        return generation

    def get(self, key: str) -> dict | None:
        limit = getattr(settings, "PUBLIC_CACHE_LOCAL_ENTRIES", 2000)
        if not limit:
            return cache.get(key)
        generation = self.current_generation()
        if generation != self.generation:
            with self.lock:
                self.entries = {}
                self.generation = generation
        entry = self.entries.get(key)
        if entry is not None and entry.get("expires", 0) > time.time():
            return entry
        entry = cache.get(key)
        if entry is not None:
            with self.lock:
                if generation == self.generation:
                    if len(self.entries) >= limit:
                        self.entries.pop(next(iter(self.entries)), None)
                    self.entries[key] = entry
        return entry


_local = _LocalLayer()


def _replay(request, entry: dict) -> HttpResponse:
    if entry["etag"] in request.META.get("HTTP_IF_NONE_MATCH", ""):
        response = HttpResponse(status=304)
        for header, value in entry["headers"]:
            if header.lower() in ("cache-control", "vary", "etag", "link", "access-control-allow-origin"):
                response[header] = value
    else:
        response = HttpResponse(b"" if request.method == "HEAD" else entry["body"], status=200)
        for header, value in entry["headers"]:
            response[header] = value
        response["Content-Length"] = str(len(entry["body"]))
    response["ETag"] = entry["etag"]
    response["X-Request-ID"] = str(_request_id(request))  # per answer, not per page (RequestContextMiddleware's)
    return response


def _request_id(request) -> uuid.UUID:
    try:
        return uuid.UUID(request.META.get("HTTP_X_REQUEST_ID", ""))
    except ValueError:
        return uuid.uuid4()


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _EARLY and request.method in ("GET", "HEAD"):
            response = self._early(request)
            if response is not None:
                return response
        if request.method not in ("GET", "HEAD") or not _SERVED or not _SERVED[0].match(request.path):
            return self.get_response(request)
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return self.get_response(request)
        key = _key(request.path, request.META.get("QUERY_STRING", ""), _gzip(request))
        entry = _local.get(key)
        if entry is not None:
            try:
                request.get_host()
            except DisallowedHost:
                return self.get_response(request)
            if entry["on_hit"] and entry["on_hit"][0] in _HANDLERS:
                _HANDLERS[entry["on_hit"][0]](entry["on_hit"][1])
            return _replay(request, entry)
        response = self.get_response(request)
        marked = getattr(response, "_public_cache", None)
        fresh = request.method == "GET" and response.status_code == 200
        if marked and fresh and not response.cookies and not response.streaming:
            self._store(key, response, marked)
        return response

    def _early(self, request):
        for pattern, handler in _EARLY:
            match = pattern.match(request.path)
            if match is None:
                continue
            if settings.SECURE_SSL_REDIRECT and not request.is_secure():
                return None
            try:
                request.get_host()
            except DisallowedHost:
                return None
            return handler(request, match)
        return None

    def _store(self, key: str, response: HttpResponse, marked: dict) -> None:
        body = response.content
        etag = quote_etag(hashlib.sha1(body, usedforsecurity=False).hexdigest()[:20])
        response["ETag"] = etag
        headers = [(h, v) for h, v in response.items() if h.lower() not in SKIPPED_HEADERS]
        entry = {"body": body, "headers": headers, "etag": etag, "on_hit": marked["on_hit"]}
        entry["expires"] = time.time() + marked["seconds"]
        cache.set(key, entry, marked["seconds"])
