"""The agent: keeps the playlist, decides what plays, and reports every event.

Everything runs on one asyncio loop. `reconsider()` is the single place that decides; it runs when a
playlist arrives, a playback ends, a download completes, or an item opens or closes (a timer).
"""

import asyncio
import logging
import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import __version__, clock
from .config import Config
from .downloader import Downloader, DownloadError
from .mqtt_link import MqttLink
from .player import Playback
from .playlist import Item, Playlist, PlaylistError, eligible, parse
from .relay import RelaySession
from .store import StateStore

log = logging.getLogger("speaker.agent")
RETRY_FIRST, RETRY_MAX = 5.0, 300.0


@dataclass
class Current:
    item: Item
    playback: Playback | None
    repetition: int


class Agent:
    def __init__(self, config: Config, *, player, downloader: Downloader, store: StateStore, sink=None):
        self.config = config
        self.player = player
        self.downloader = downloader
        self.store = store
        self.sink: Callable[[dict], None] | None = sink
        self.playlist = Playlist()
        self.current: Current | None = None
        self.volume: int | None = None
        self._downloading: set[str] = set()
        self._retry_at: dict[str, tuple[float, float]] = {}  # sha256 -> (monotonic time, next delay)
        self._timer: asyncio.TimerHandle | None = None
        self._status_timer: asyncio.TimerHandle | None = None
        self._status_changed = False  # what plays changed: one status at the end of the decision says so
        self.link: MqttLink | None = None

    def start(self) -> None:
        """Connect and begin; must be called on the running loop."""
        self.link = MqttLink(self.config, on_playlist=self.on_playlist, on_connect=self.on_connect)
        self.link.start()

    def stop(self) -> None:
        for timer in (self._timer, self._status_timer):
            if timer:
                timer.cancel()
        if self.current and self.current.playback:
            self.current.playback.stop()
        self.current = None
        if self.link:
            self.link.stop()

    # -- from the broker ---------------------------------------------------------
    def on_connect(self) -> None:
        self.publish_status()

    def on_playlist(self, payload: bytes) -> None:
        try:
            playlist = parse(payload)
        except PlaylistError as error:
            log.warning("%s: %s", self.config.device, error)
            return
        if playlist.version < self.store.version:
            log.info("%s: ignoring playlist %s older than %s", self.config.device, playlist.version, self.store.version)
            return
        self.playlist = playlist
        self.store.accept_version(playlist.version, {item.item for item in playlist.items})
        self.reconsider()

    # -- the decision ----------------------------------------------------------------
    def reconsider(self) -> None:
        now = clock.now()
        self._drop_current_if_gone(now)
        candidates = [item for item in eligible(self.playlist, now, self.store.finished) if not self._waiting(item)]
        self._prefetch(now)
        best = candidates[0] if candidates else None
        if best and self._ready(best):
            if self.current is None:
                self._start(best)
            elif best.rank < self.current.item.rank:
                self._end_current("preempted")
                self._start(best)
        self._apply_volume()
        if self._status_changed:  # one status for the whole decision (an emergency: playing, at volume 100)
            self.publish_status()
        self._schedule(now)

    def _drop_current_if_gone(self, now) -> None:
        if not self.current:
            return
        fresh = self.playlist.find(self.current.item.item)
        if fresh is None:
            self._end_current("cancelled")
        elif not fresh.is_open(now):
            window_over = fresh.is_relay and fresh.ends_at and now >= fresh.ends_at
            self._end_current("finished" if window_over else "expired")
        else:
            self.current.item = fresh  # rank or volume may have changed; the playback goes on

    def _waiting(self, item: Item) -> bool:
        """An audio item whose download failed waits out its retry delay; a relay never waits for its
        fallback (it looks for the file only when the stream fails)."""
        return not item.is_relay and self._in_backoff(item)

    def _in_backoff(self, item: Item) -> bool:
        audio = item.audio
        retry = audio and self._retry_at.get(audio[1])
        return bool(retry) and time.monotonic() < retry[0]

    def _ready(self, item: Item) -> bool:
        audio = item.audio
        return item.is_relay or audio is None or self.downloader.cached(audio[1]) is not None

    def _schedule(self, now) -> None:
        if self._timer:
            self._timer.cancel()
        moment = self.playlist.next_change(now)
        delays = [(moment - now).total_seconds()] if moment else []
        delays += [at - time.monotonic() for at, _delay in self._retry_at.values() if at > time.monotonic()]
        # a minute at most, so a wall clock set by NTP after boot is noticed
        delay = min([60.0, *delays])
        self._timer = asyncio.get_running_loop().call_later(max(delay, 0.01), self.reconsider)

    # -- playing -------------------------------------------------------------------
    def _start(self, item: Item) -> None:
        current = Current(item, None, self.store.finished.get(item.item, 0) + 1)
        current.playback = self._playback_for(current)
        self.current = current
        self.emit("play", item, repetition=current.repetition, detail="stream" if item.is_relay else "")
        self._status_changed = True

    def _playback_for(self, current: Current) -> Playback:
        item, volume = current.item, self._volume_for(current.item)
        if item.is_relay:
            audio = item.audio
            fallback = (lambda: self.downloader.cached(audio[1])) if audio else (lambda: None)
            return RelaySession(item.stream_url or "", fallback, self.player, volume, self._relay_report)
        path = self.downloader.cached(item.audio[1]) if item.audio else None
        return self.player.play(
            path or Path("/dev/null"), item.duration, volume, lambda ok, detail: self._ended(current, ok, detail)
        )

    def _ended(self, current: Current, ok: bool, detail: str) -> None:
        """A playback ended by itself: a repetition is done (a failing player also uses one up, never looping)."""
        if self.current is not current:
            return
        self.current = None
        item = current.item
        self.store.finish_repetition(item.item)
        self.emit("stop", item, reason="finished" if ok else "error", detail=detail)
        if not ok:
            self.emit("failed", item, detail=detail)
        self._status_changed = True
        self.reconsider()

    def _end_current(self, reason: str) -> None:
        current, self.current = self.current, None
        if current.playback:
            current.playback.stop()
        self.emit("stop", current.item, reason=reason)
        self._status_changed = True

    def _relay_report(self, event: str, detail: str) -> None:
        if self.current:
            self.emit(event, self.current.item, detail=detail, repetition=self.current.repetition)

    # -- downloads -------------------------------------------------------------------
    def _prefetch(self, now) -> None:
        """Fetch every file the playlist will need, so a scheduled bulletin starts on time."""
        for item in self.playlist.items:
            audio = item.audio
            closes = item.closes_at
            if not audio or (closes and closes <= now) or self._in_backoff(item):
                continue
            if audio[1] not in self._downloading and not self.downloader.cached(audio[1]):
                self._downloading.add(audio[1])
                asyncio.get_running_loop().create_task(self._download(item, *audio))

    async def _download(self, item: Item, url: str, sha256: str) -> None:
        try:
            await self.downloader.fetch(url, sha256, (self.config.device, self.config.password))
        except DownloadError as error:
            _at, delay = self._retry_at.get(sha256, (0.0, RETRY_FIRST))
            self._retry_at[sha256] = (time.monotonic() + delay, min(delay * 2, RETRY_MAX))
            self.emit("download", item, detail=str(error))
        else:
            self._retry_at.pop(sha256, None)
            self.emit("download", item, detail="ok")
        finally:
            self._downloading.discard(sha256)
        self.reconsider()

    # -- volume, status, events --------------------------------------------------------
    def _volume_for(self, item: Item | None) -> int:
        if item is not None and item.volume is not None:
            return item.volume
        return self.playlist.volume

    def _apply_volume(self) -> None:
        volume = self._volume_for(self.current.item if self.current else None)
        if volume == self.volume:
            return
        self.volume = volume
        if self.config.volume_command:
            command = [token.replace("{volume}", str(volume)) for token in shlex.split(self.config.volume_command)]
            asyncio.get_running_loop().create_task(_run_quietly(command))
        self._status_changed = True

    def status(self) -> dict:
        playing = None
        if self.current:
            item = self.current.item
            playing = {"item": item.item, "bulletin": item.bulletin, "level": item.level}
        volume = self._volume_for(self.current.item if self.current else None)
        return {
            "online": True,
            "agent_version": __version__,
            "volume": volume,
            "playing": playing,
            "keepalive": self.config.keepalive,
            "at": clock.iso(clock.now()),
        }

    def publish_status(self) -> None:
        """On connect, on every change, and every keepalive seconds (the server's silence check)."""
        self._status_changed = False
        if self._status_timer:
            self._status_timer.cancel()
        if self.link and self.link.connected:
            self.link.publish("status", self.status(), retain=True)
        self._status_timer = asyncio.get_running_loop().call_later(self.config.keepalive, self.publish_status)

    def emit(self, event: str, item: Item, *, reason: str | None = None, detail: str = "", **extra) -> None:
        record = {
            "event": event,
            "item": item.item,
            "bulletin": item.bulletin,
            "level": item.level,
            "at": clock.iso(clock.now()),
            "reason": reason,
            "detail": detail,
            **extra,
        }
        if self.link:
            self.link.publish("events", record)  # queued by paho while offline, sent after reconnecting
        if self.sink:
            self.sink(record)


async def _run_quietly(command: list[str]) -> None:
    try:
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL
        )
        await process.wait()
    except OSError as error:
        log.warning("volume command failed: %s", error)
