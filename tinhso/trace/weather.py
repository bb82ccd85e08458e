"""Weather and climate for a tree: the nearest station of the table imported from CSV, and the tree's sensors.

Sources are pluggable: `SOURCES` is tried in order; the online adapter joins only when
TRACE_WEATHER_ONLINE_URL is set (servers of a commune may have no internet).
"""

import datetime
import json
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Avg, Sum
from django.utils import timezone

from .models import SensorReading, WeatherObservation, WeatherStation
from .services import distance_km

SEASON_DAYS = 90


@dataclass
class Weather:
    source: str
    day: datetime.date | None = None
    temperature_c: float | None = None
    humidity_percent: float | None = None
    rain_mm: float | None = None
    season_temperature_c: float | None = None
    season_humidity_percent: float | None = None
    season_rain_mm: float | None = None
    distance_km: float | None = None


def nearest_station(latitude, longitude) -> tuple[WeatherStation, float] | None:
    stations = [(s, distance_km(latitude, longitude, s.latitude, s.longitude)) for s in WeatherStation.objects.all()]
    return min(stations, key=lambda pair: pair[1]) if stations else None


def station_weather(tree) -> Weather | None:
    found = nearest_station(tree.latitude, tree.longitude)
    if found is None:
        return None
    station, distance = found
    latest = station.observations.order_by("-day").first()
    if latest is None:
        return None
    season = WeatherObservation.objects.filter(
        station=station, day__gt=latest.day - datetime.timedelta(days=SEASON_DAYS)
    ).aggregate(temperature=Avg("temperature_c"), humidity=Avg("humidity_percent"), rain=Sum("rain_mm"))
    return Weather(
        source=station.name,
        day=latest.day,
        temperature_c=latest.temperature_c,
        humidity_percent=latest.humidity_percent,
        rain_mm=latest.rain_mm,
        season_temperature_c=season["temperature"],
        season_humidity_percent=season["humidity"],
        season_rain_mm=season["rain"],
        distance_km=round(distance),
    )


def online_weather(tree) -> Weather | None:  # pragma: no cover - off by default, needs the internet
    url = settings.TRACE_WEATHER_ONLINE_URL
    if not url:
        return None
    query = f"?latitude={tree.public_latitude}&longitude={tree.public_longitude}"
    query += "&current=temperature_2m,relative_humidity_2m"
    try:
        with urllib.request.urlopen(url + query, timeout=3) as response:
            current = json.load(response).get("current", {})
    except (OSError, ValueError):
        return None
    return Weather(
        source=url, temperature_c=current.get("temperature_2m"), humidity_percent=current.get("relative_humidity_2m")
    )


SOURCES = [station_weather, online_weather]


def weather_for(tree) -> Weather | None:
    for source in SOURCES:
        found = source(tree)
        if found is not None:
            return found
    return None


def latest_reading(tree) -> SensorReading | None:
    since = timezone.now() - datetime.timedelta(days=2)
    return SensorReading.objects.filter(tree=tree, time__gte=since).order_by("-time").first()
