import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from tinhso.radio.bridge import Bridge


class Command(BaseCommand):
    help = "Run the smart-radio bridge: publish playlists to speaker clusters and store their reports (MQTT)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=settings.MQTT_URL, help="MQTT broker, e.g. mqtt://127.0.0.1:1883")

    def handle(self, *args, **options):
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"Radio bridge on {options['url']} as {settings.MQTT_BRIDGE_USER}")
        Bridge(options["url"]).run(stop)
