"""The playlist a device receives, and the one rule the device applies to it.

The server computes `rank`; the device never re-derives the chain. Among the items eligible now it plays
the one with the smallest (rank, starts_at, item); a strictly smaller rank pre-empts what is playing.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime

from . import clock


class PlaylistError(ValueError):
    pass


@dataclass(frozen=True)
class Item:
    item: str
    bulletin: int | None
    level: str
    rank: int
    starts_at: datetime
    expires_at: datetime | None = None
    kind: str = "audio"
    title: str = ""
    audio_url: str | None = None
    sha256: str | None = None
    duration: float = 0.0
    repeat: int = 1
    volume: int | None = None
    stream_url: str | None = None
    fallback_url: str | None = None
    fallback_sha256: str | None = None
    ends_at: datetime | None = None

    @property
    def is_relay(self) -> bool:
        return self.kind == "relay"

    @property
    def closes_at(self) -> datetime | None:
        """When the item stops being eligible: a relay's window end, else its expiry."""
        ends = [moment for moment in (self.ends_at if self.is_relay else None, self.expires_at) if moment]
        return min(ends) if ends else None

    @property
    def order(self) -> tuple:
        return (self.rank, self.starts_at, self.item)

    @property
    def audio(self) -> tuple[str, str] | None:
        """The file the device must have before it can play: the audio, or a relay's fallback."""
        url, sha256 = (self.fallback_url, self.fallback_sha256) if self.is_relay else (self.audio_url, self.sha256)
        return (url, sha256) if url and sha256 else None

    def is_open(self, now: datetime) -> bool:
        closes = self.closes_at
        return self.starts_at <= now and (closes is None or now < closes)


@dataclass(frozen=True)
class Playlist:
    version: int = -1
    volume: int = 100
    items: tuple[Item, ...] = field(default_factory=tuple)

    def find(self, item_id: str) -> Item | None:
        return next((item for item in self.items if item.item == item_id), None)

    def next_change(self, now: datetime) -> datetime | None:
        """The next moment an item opens or closes, when the choice may change without a new playlist."""
        moments = [moment for item in self.items for moment in (item.starts_at, item.closes_at) if moment]
        later = [moment for moment in moments if moment > now]
        return min(later) if later else None


def parse(payload: bytes) -> Playlist:
    try:
        data = json.loads(payload)
        items = tuple(_item(raw) for raw in data.get("items") or ())
        return Playlist(version=int(data["version"]), volume=int(data.get("volume", 100)), items=items)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise PlaylistError(f"unreadable playlist: {error}") from error


def _item(raw: dict) -> Item:
    kind = raw.get("kind") or "audio"
    if kind not in ("audio", "relay"):
        raise ValueError(f"unknown kind {kind!r}")
    return Item(
        item=str(raw["item"]),
        bulletin=raw.get("bulletin"),
        level=raw.get("level") or "normal",
        rank=int(raw.get("rank", 0)),
        starts_at=clock.parse(raw.get("starts_at")) or clock.now(),
        expires_at=clock.parse(raw.get("expires_at")),
        kind=kind,
        title=raw.get("title") or "",
        audio_url=raw.get("audio_url"),
        sha256=(raw.get("sha256") or "").lower() or None,
        duration=float(raw.get("duration") or 0),
        repeat=max(1, int(raw.get("repeat") or 1)),
        volume=None if raw.get("volume") is None else int(raw["volume"]),
        stream_url=raw.get("stream_url"),
        fallback_url=raw.get("fallback_url"),
        fallback_sha256=(raw.get("fallback_sha256") or "").lower() or None,
        ends_at=clock.parse(raw.get("ends_at")),
    )


def eligible(playlist: Playlist, now: datetime, finished: dict[str, int]) -> list[Item]:
    """Items that may play now, best first: open, and (for audio) with repetitions left."""
    items = [
        item
        for item in playlist.items
        if item.is_open(now) and (item.is_relay or finished.get(item.item, 0) < item.repeat)
    ]
    return sorted(items, key=lambda item: item.order)
