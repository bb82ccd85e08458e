from django.core.management.base import BaseCommand, CommandError

from tinhso.core.imports import ImportRejected
from tinhso.trace.weather_import import import_weather


class Command(BaseCommand):
    help = "Import the weather station table (station, day, temperature, humidity, rain) from CSV or Excel."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        with open(path, "rb") as uploaded:
            try:
                count = import_weather(uploaded)
            except ImportRejected as rejected:
                lines = "\n".join(f"  line {e.row}, {e.column}: {e.message}" for e in rejected.errors)
                raise CommandError(f"{rejected}\n{lines}") from rejected
        self.stdout.write(f"{count} station-days imported.")
