"""Device credentials: one-time passwords, the hashes Mosquitto and the platform check, device login."""

import base64
import hashlib
import hmac
import secrets

from django.contrib.auth.hashers import make_password

from ..models import SpeakerCluster

MOSQUITTO_ITERATIONS = 101


def new_password() -> str:
    return secrets.token_urlsafe(16)


def mosquitto_hash(password: str, *, salt: bytes | None = None, iterations: int = MOSQUITTO_ITERATIONS) -> str:
    """The `$7$` PBKDF2-SHA512 line Mosquitto's password file reads (what mosquitto_passwd writes)."""
    salt = salt or secrets.token_bytes(12)
    digest = hashlib.pbkdf2_hmac("sha512", password.encode(), salt, iterations, 64)
    return f"$7${iterations}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def matches_mosquitto_hash(password: str, stored: str) -> bool:
    try:
        _empty, kind, iterations, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.pbkdf2_hmac("sha512", password.encode(), base64.b64decode(salt), int(iterations), 64)
    except ValueError:
        return False
    return kind == "7" and hmac.compare_digest(actual, expected)


def authenticate_device(device_id: str, password: str) -> SpeakerCluster | None:
    """The cluster these credentials belong to, or None.

    Checked against the Mosquitto hash: device passwords are 128-bit random secrets, so its few rounds
    suffice, and 1,356 devices downloading an emergency at once must not each cost a slow hash.
    """
    cluster = SpeakerCluster.objects.filter(device_id=device_id).select_related("unit").first()
    if cluster is None or not password or not matches_mosquitto_hash(password, cluster.mosquitto_hash):
        return None
    return cluster


def set_new_password(cluster: SpeakerCluster) -> str:
    password = new_password()
    cluster.password_hash = make_password(password)
    cluster.mosquitto_hash = mosquitto_hash(password)
    return password
