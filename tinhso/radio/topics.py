"""MQTT protocol v1 of the smart radio: topic names and who may use which (see docs/radio-protocol.md)."""

import os
import secrets
import tempfile
from pathlib import Path

from django.conf import settings

PREFIX = "tinhso/v1/devices"
STATUS_FILTER = f"{PREFIX}/+/status"
EVENTS_FILTER = f"{PREFIX}/+/events"


def playlist_topic(device_id: str) -> str:
    return f"{PREFIX}/{device_id}/playlist"


def parse_device_topic(topic: str) -> tuple[str, str] | None:
    """`tinhso/v1/devices/c-1/status` -> ("c-1", "status")."""
    parts = topic.split("/")
    if len(parts) != 5 or "/".join(parts[:3]) != PREFIX:
        return None
    return parts[3], parts[4]


def bridge_user() -> str:
    return settings.MQTT_BRIDGE_USER


def bridge_password() -> str:
    """The bridge's own secret: MQTT_BRIDGE_PASSWORD, or a random one kept in <VAR_DIR>/mqtt-bridge-password.

    It is never derived from SECRET_KEY: whoever holds it can put an emergency on every speaker.
    """
    if settings.MQTT_BRIDGE_PASSWORD:
        return settings.MQTT_BRIDGE_PASSWORD
    return _generated_secret(Path(settings.VAR_DIR) / "mqtt-bridge-password")


def _generated_secret(path: Path) -> str:
    """Read the secret at `path`, creating it atomically (a hard link never overwrites) the first time."""
    if not path.is_file():
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as file:
            file.write(secrets.token_urlsafe(32))
        os.chmod(file.name, 0o600)
        try:
            os.link(file.name, path)
        except FileExistsError:
            pass  # another process made it first: use theirs
        finally:
            os.unlink(file.name)
    return path.read_text().strip()


def may_use(username: str | None, topic: str, action: str) -> bool:
    """The ACL: the bridge uses tinhso/v1/#; a device reads its playlist and writes its status and events.

    `action` is "subscribe", "receive" or "publish". Wildcards are refused to devices.
    """
    if not username or not topic:
        return False
    if username == bridge_user():
        return topic == "tinhso/v1/#" or topic.startswith("tinhso/v1/")
    own = f"{PREFIX}/{username}/"
    if action in ("subscribe", "receive"):
        return topic == own + "playlist"
    if action == "publish":
        return topic in (own + "status", own + "events")
    return False
