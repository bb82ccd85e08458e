from pathlib import Path

from django.core.management.base import BaseCommand

from tinhso.radio import services, topics
from tinhso.radio.models import SpeakerCluster

ACL = """# Written by `manage.py radio_mosquitto_config`; regenerate after adding clusters, then reload Mosquitto.
user {bridge}
topic readwrite tinhso/v1/#

# Every speaker cluster (user name = device id) reads only its playlist and writes only its status and events.
pattern read tinhso/v1/devices/%u/playlist
pattern write tinhso/v1/devices/%u/status
pattern write tinhso/v1/devices/%u/events
"""


def password_lines() -> list[str]:
    bridge = f"{topics.bridge_user()}:{services.mosquitto_hash(topics.bridge_password())}"
    devices = SpeakerCluster.objects.order_by("device_id").values_list("device_id", "mosquitto_hash")
    return [bridge, *(f"{device_id}:{hashed}" for device_id, hashed in devices if hashed)]


def write_private(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o640)


class Command(BaseCommand):
    help = "Write Mosquitto's password file ($7$ hashes kept at cluster creation) and ACL file for the radio."

    def add_arguments(self, parser):
        parser.add_argument("--password-file", required=True, type=Path)
        parser.add_argument("--acl-file", required=True, type=Path)

    def handle(self, *args, **options):
        lines = password_lines()
        write_private(options["password_file"], "\n".join(lines) + "\n")
        write_private(options["acl_file"], ACL.format(bridge=topics.bridge_user()))
        self.stdout.write(f"{len(lines) - 1} speaker clusters and the bridge written; reload Mosquitto (SIGHUP).")
