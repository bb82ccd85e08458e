import os
import socket

from django.core.management.base import BaseCommand

DEFAULT_PORT = 1883


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def port_is_free(host: str, port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
        return True


def choose_broker(host: str = "127.0.0.1") -> tuple[str, bool]:
    """The broker `make run` uses: MQTT_URL when set; else an embedded one on 1883, or a free port."""
    if os.getenv("MQTT_URL"):
        embedded = os.getenv("MQTT_EMBEDDED", "false").lower() in ("1", "true", "yes", "on")
        return os.environ["MQTT_URL"], embedded
    port = DEFAULT_PORT if port_is_free(host, DEFAULT_PORT) else free_port(host)
    return f"mqtt://{host}:{port}", True


class Command(BaseCommand):
    help = "Print MQTT_URL=... and MQTT_EMBEDDED=... for `make run` (1883 if free, else a free port)."

    def handle(self, *args, **options):
        url, embedded = choose_broker()
        self.stdout.write(f"MQTT_URL={url} MQTT_EMBEDDED={'true' if embedded else 'false'}")
