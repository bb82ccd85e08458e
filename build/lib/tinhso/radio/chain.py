"""The priority chain of the smart radio, as pure functions.

emergency > province priority > commune priority > normal > relay > idle (nothing eligible).

The server turns every bulletin into an integer ``rank`` (smaller plays first) with ``rank_for``; a speaker
cluster never re-derives the rules, it only runs ``decide`` (the same function the device mirrors): among the
eligible items play the smallest ``(rank, starts_at, item)``, and an item with a strictly smaller rank than
the one playing pre-empts it. Circular 39/2020/TT-BTTTT: thông thường (normal, the commune schedules it),
ưu tiên (priority, played first), khẩn cấp (emergency, played at once). When a province priority bulletin
clashes with the commune's own priority bulletins, the commune user sets the order (``commune_first``,
``position``). No Django models here: the bridge, the pages and the device side all rely on this module.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

CHAIN = ("emergency", "province_priority", "commune_priority", "normal", "relay")
LEVELS = ("normal", "priority", "emergency", "relay")
HIGHER_ORIGINS = ("province", "district")
ORIGINS = ("province", "district", "commune", "village")

# Rank bands leave room between levels so the priority band can hold the commune's own order.
EMERGENCY_RANK = 0
PRIORITY_BASE = 100
NORMAL_RANK = 1000
RELAY_RANK = 2000
MAX_POSITION = 99
UNORDERED_SLOT = MAX_POSITION + 1  # priority bulletins the commune has not placed play after the placed ones


@dataclass(frozen=True)
class Item:
    """One playlist entry as a cluster sees it (the ``items`` of the MQTT playlist)."""

    item: str
    bulletin: int
    level: str
    rank: int
    starts_at: datetime
    expires_at: datetime  # for a relay: the end of its window
    kind: str = "audio"  # "audio" | "relay"
    repeat: int = 1
    done: int = 0  # finished repetitions; an interrupted one does not count

    @property
    def sort_key(self) -> tuple:
        return (self.rank, self.starts_at, self.item)


@dataclass(frozen=True)
class Decision:
    play: Item | None
    stop: Item | None = None
    reason: str | None = None  # "preempted" | "cancelled" | "expired" | None
    requeue: bool = False  # the stopped item stays in the queue (audio from its start, relay if window open)


def chain_level(level: str, origin_level: str) -> str:
    """The place in the chain of a bulletin of ``level`` sent by a unit at ``origin_level``."""
    if level not in LEVELS:
        raise ValueError(f"unknown bulletin level {level!r}")
    if origin_level not in ORIGINS:
        raise ValueError(f"unknown unit level {origin_level!r}")
    if level == "priority":
        return "province_priority" if origin_level in HIGHER_ORIGINS else "commune_priority"
    return level


def rank_for(level: str, origin_level: str, *, commune_first: bool = False, position: int = 0) -> int:
    """Smaller plays first.

    Priority bulletins share one band: first the ones the commune user placed (``position`` 1..99, in that
    order), then the unplaced ones (``position`` 0). Within the same slot the province's come before the
    commune's own, unless the commune chose ``commune_first``. Emergencies, normal bulletins and relays
    ignore ``position``: an emergency is never reordered by a commune.
    """
    if not 0 <= position <= MAX_POSITION:
        raise ValueError(f"position must be between 0 and {MAX_POSITION}")
    place = chain_level(level, origin_level)
    if place == "emergency":
        return EMERGENCY_RANK
    if place == "normal":
        return NORMAL_RANK
    if place == "relay":
        return RELAY_RANK
    slot = position or UNORDERED_SLOT
    commune_goes_first = (place == "commune_priority") == commune_first
    return PRIORITY_BASE + slot * 2 + (0 if commune_goes_first else 1)


def level_of_rank(rank: int) -> str:
    """The chain level a rank belongs to (for logs and reports)."""
    if rank <= EMERGENCY_RANK:
        return "emergency"
    if rank < NORMAL_RANK:
        return "priority"
    return "normal" if rank < RELAY_RANK else "relay"


def is_eligible(item: Item, now: datetime) -> bool:
    """Inside its window and with repetitions left; a relay has no repetitions, only its window."""
    if not item.starts_at <= now < item.expires_at:
        return False
    return item.kind == "relay" or item.done < item.repeat


def best(items: list[Item], now: datetime) -> Item | None:
    candidates = [item for item in items if is_eligible(item, now)]
    return min(candidates, key=lambda item: item.sort_key, default=None)


def decide(playing: Item | None, eligible: list[Item], now: datetime) -> Decision:
    """What a cluster does now, given what it is playing and the items of its current playlist.

    ``eligible`` may hold items that are not yet (or no longer) eligible: they are filtered here. The
    playing item is matched by its ``item`` id; absent from the list means the server cancelled it.
    Expiry is a hard stop: a bulletin never plays past its ``expires_at``.
    """
    current = {item.item: item for item in eligible}
    if playing is None:
        return Decision(play=best(eligible, now))
    if playing.item not in current:
        return Decision(play=best(eligible, now), stop=playing, reason="cancelled")
    if now >= current[playing.item].expires_at:
        others = [item for item in eligible if item.item != playing.item]
        return Decision(play=best(others, now), stop=playing, reason="expired")
    challenger = best([item for item in eligible if item.item != playing.item], now)
    if challenger is not None and challenger.rank < playing.rank:
        return Decision(play=challenger, stop=playing, reason="preempted", requeue=True)
    return Decision(play=playing)


def finished(item: Item) -> Item:
    """The item after one complete repetition (a relay never runs out of repetitions)."""
    if item.kind == "relay":
        return item
    return replace(item, done=item.done + 1)
