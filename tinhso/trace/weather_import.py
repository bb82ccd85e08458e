"""The weather station table from CSV/Excel: one row per station and day; all rows or none."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from tinhso.core.imports import ImportRejected, RowError, cell_date, read_table

from .models import WeatherObservation, WeatherStation

COLUMNS = {
    "code": ("Mã trạm", "Station code", "station"),
    "name": ("Tên trạm", "Station name", "name"),
    "latitude": ("Vĩ độ", "Latitude"),
    "longitude": ("Kinh độ", "Longitude"),
    "altitude": ("Độ cao (m)", "Altitude"),
    "day": ("Ngày", "Day", "Date"),
    "temperature": ("Nhiệt độ (°C)", "Nhiệt độ", "Temperature"),
    "humidity": ("Độ ẩm (%)", "Độ ẩm", "Humidity"),
    "rain": ("Lượng mưa (mm)", "Lượng mưa", "Rain"),
}
NUMBERS = ("latitude", "longitude", "altitude", "temperature", "humidity", "rain")


def import_weather(uploaded) -> int:
    rows = read_table(uploaded, COLUMNS, required=("code", "day"))
    errors, parsed = [], []
    for row in rows:
        values = {}
        for name in NUMBERS:
            raw = str(row.get(name, "") or "").replace(",", ".").strip()
            try:
                values[name] = Decimal(raw) if raw else None
            except InvalidOperation:
                errors.append(RowError(row["_row"], name, _("Not a number: “%(value)s”.") % {"value": raw[:40]}))
        day = cell_date(row.get("day"))
        if day is None:
            errors.append(RowError(row["_row"], "day", _("Not a date.")))
        parsed.append((row, values, day))
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():
        stations: dict[str, WeatherStation] = {}
        for row, values, day in parsed:
            code = str(row["code"])
            if code not in stations:
                stations[code], _created = WeatherStation.objects.update_or_create(
                    code=code,
                    defaults={
                        "name": row.get("name") or code,
                        "latitude": values["latitude"] or 0,
                        "longitude": values["longitude"] or 0,
                        "altitude_m": values["altitude"],
                    },
                )
            WeatherObservation.objects.update_or_create(
                station=stations[code],
                day=day,
                defaults={
                    "temperature_c": values["temperature"],
                    "humidity_percent": values["humidity"],
                    "rain_mm": values["rain"],
                },
            )
    return len(parsed)
