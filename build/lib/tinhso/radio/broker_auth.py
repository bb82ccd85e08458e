"""amqtt plugins for the embedded broker: the same device accounts and ACL as the Mosquitto files.

Authentication reads the database (once per connection); topic checks are pure functions of the
user name (topics.may_use), because amqtt asks for every message delivered.
"""

import hmac
from dataclasses import dataclass

from amqtt.plugins.base import BaseAuthPlugin, BaseTopicPlugin
from asgiref.sync import sync_to_async

from . import topics


def _check_credentials(username: str, password: str) -> bool:
    from django.db import connection

    from .services import authenticate_device

    if username == topics.bridge_user():
        return hmac.compare_digest(password.encode(), topics.bridge_password().encode())
    try:
        return authenticate_device(username, password) is not None
    finally:
        connection.close()  # this runs in a pool thread of the broker: hold no connection between logins


class DeviceAuthPlugin(BaseAuthPlugin):
    """Only the bridge and known speaker clusters connect; a device's client id is its device id."""

    @dataclass
    class Config:
        pass

    async def authenticate(self, *, session) -> bool:
        username, password = session.username or "", session.password or ""
        if isinstance(password, bytes):
            password = password.decode("utf-8", "replace")
        if not username or not password:
            return False
        if username != topics.bridge_user() and session.client_id != username:
            return False
        return await sync_to_async(_check_credentials, thread_sensitive=False)(username, password)


class DeviceTopicPlugin(BaseTopicPlugin):
    @dataclass
    class Config:
        pass

    async def topic_filtering(self, *, session=None, topic=None, action=None) -> bool:
        username = session.username if session else None
        return topics.may_use(username, topic or "", str(action.value if action else ""))
