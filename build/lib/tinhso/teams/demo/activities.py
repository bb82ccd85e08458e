"""A year of field activities: every team has its own pace (so that scores vary), busier months
and quieter ones (Tết, the rainy season), and favourite kinds of work."""

import datetime
import math
import random
import struct
import zlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ..models import Activity, Evidence
from .catalogue import ACTIVITY_TYPES

MONTHLY_RATE = {"village": 1.3, "commune": 2.8}
SEASON = {1: 1.0, 2: 0.5, 3: 1.2, 4: 1.2, 5: 1.1, 6: 1.0, 7: 0.9, 8: 0.7, 9: 0.8, 10: 1.2, 11: 1.3, 12: 1.1}
EVIDENCE_NAME = "teams/evidence/demo/minh-hoa.png"


def poisson(rate: float, rng: random.Random) -> int:
    limit, count, product = math.exp(-rate), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def pace(rng: random.Random) -> float:
    """How active a team is, relative to the average: a few barely, most around 1, some twice."""
    return 0.1 if rng.random() < 0.05 else rng.betavariate(2.2, 2.4) * 2.1


def months(start: datetime.date, end: datetime.date):
    day = start.replace(day=1)
    while day <= end:
        following = (day + datetime.timedelta(days=32)).replace(day=1)
        yield max(day, start), min(following - datetime.timedelta(days=1), end)
        day = following


class ActivityMaker:
    def __init__(self, rng: random.Random, types: list, window: tuple[datetime.date, datetime.date]):
        self.rng, self.window = rng, window
        self.types = types
        self.profiles = {
            code: (people, households, weight) for code, _n, _d, people, households, weight in ACTIVITY_TYPES
        }

    def year_of(self, team, villages: list) -> list[Activity]:
        rng, made = self.rng, []
        rate = MONTHLY_RATE[team.level] * pace(rng)
        weights = [self.profiles[t.code][2] * rng.uniform(0.3, 2.5) for t in self.types]
        for first, last in months(*self.window):
            for _ in range(poisson(rate * SEASON[first.month], rng)):
                activity_type = rng.choices(self.types, weights=weights)[0]
                made.append(self._one(team, activity_type, first, last, villages))
        return made

    def _one(self, team, activity_type, first, last, villages) -> Activity:
        rng = self.rng
        people, households, _weight = self.profiles[activity_type.code]
        reached = rng.randint(*people)
        return Activity(
            team=team,
            activity_type=activity_type,
            date=first + datetime.timedelta(days=rng.randrange((last - first).days + 1)),
            village=rng.choice(villages) if villages and (team.level == "village" or rng.random() < 0.7) else None,
            people_reached=reached,
            households_reached=min(reached, rng.randint(*households)),
            description="",
        )


def evidence_for(activities: list[Activity], rng: random.Random) -> list[Evidence]:
    """One shared illustration stands for the photos members attach to about a third of activities."""
    picture = _illustration()
    if not default_storage.exists(EVIDENCE_NAME):
        default_storage.save(EVIDENCE_NAME, ContentFile(picture))
    return [
        Evidence(
            activity=activity,
            file=EVIDENCE_NAME,
            original_name="anh-hoat-dong.png",
            content_type="image/png",
            size=len(picture),
        )
        for activity in activities
        if rng.random() < 0.35
    ]


def _illustration(width: int = 160, height: int = 120) -> bytes:
    """A small PNG (green hills under a blue sky), made here so the demo ships no binary file."""
    rows = b"".join(b"\x00" + b"".join(_pixel(x, y, height) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def _pixel(x: int, y: int, height: int) -> bytes:
    hill = height * 0.55 + 14 * math.sin(x / 17) + 8 * math.cos(x / 7)
    return bytes((46, 125, 50) if y > hill else (120, 180, 230))
