"""Wall-clock time as the protocol writes it: ISO 8601 with the +07:00 offset.

Vietnam has had no daylight saving since 1975, so a fixed offset is exact and spares the board tzdata.
"""

from datetime import datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7))


def now() -> datetime:
    return datetime.now(VIETNAM)


def iso(moment: datetime) -> str:
    return moment.astimezone(VIETNAM).isoformat(timespec="milliseconds")


def parse(text: str | None) -> datetime | None:
    """An ISO time from a playlist; a time without offset is taken as Vietnam time."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM)
