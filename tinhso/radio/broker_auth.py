"""amqtt plugins for the embedded broker: the same device accounts and ACL as the Mosquitto files.

Authentication reads the database (once per connection); topic checks are pure functions of the
user name (topics.may_use), because amqtt asks for every message delivered.
"""

import asyncio
import hmac
from dataclasses import dataclass

from amqtt.broker import Broker
from amqtt.contexts import Action
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


class DeviceBroker(Broker):
    """amqtt's broker, with the ACL applied to retained messages too.

    amqtt 0.12 hands a client that connects the retained messages of *every* subscription in the broker
    (`for topic in self._subscriptions` after CONNECT), and the retained messages of a new subscription,
    without asking the topic plugin: with the bridge subscribed to tinhso/v1/#, any logged-in device got
    every other cluster's retained status and playlist. Here each retained message goes only to a session
    the ACL lets receive it (topics.may_use), as Mosquitto does with the generated ACL file."""

    async def _publish_retained_messages_for_subscription(self, subscription, session) -> None:
        topic_filter, qos = subscription
        subscribers = self._subscriptions.get(topic_filter, [])
        if not any(subscriber.client_id == session.client_id for subscriber, _qos in subscribers):
            return  # the filter of another client's subscription: none of this session's business
        handler = self._get_handler(session)
        if handler is None:
            return
        sending = []
        for topic, retained in list(self._retained_messages.items()):
            if self._matches(topic, topic_filter) and await self._topic_filtering(session, topic, Action.RECEIVE):
                level = min(qos, retained.qos or qos)
                sending.append(asyncio.ensure_future(handler.mqtt_publish(topic, retained.data, level, retain=True)))
        if sending:
            await asyncio.wait(sending)
