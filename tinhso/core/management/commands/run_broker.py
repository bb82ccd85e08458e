import asyncio
import logging
import socket

from django.conf import settings
from django.core.management.base import BaseCommand

logger = logging.getLogger(__name__)


# amqtt's Broker with the ACL applied to retained messages as well (named, like the plugins, not imported).
BROKER_CLASS = "tinhso.radio.broker_auth.DeviceBroker"


def make_broker(host: str, port: int, **options):
    from django.utils.module_loading import import_string

    return import_string(BROKER_CLASS)(broker_config(host, port), **options)


def broker_config(host: str, port: int) -> dict:
    return {
        "listeners": {"default": {"type": "tcp", "bind": f"{host}:{port}"}},
        # Speaker clusters and the radio bridge log in; the ACL is the one Mosquitto gets (tinhso.radio.topics).
        "plugins": {
            "tinhso.radio.broker_auth.DeviceAuthPlugin": {},
            "tinhso.radio.broker_auth.DeviceTopicPlugin": {},
            "amqtt.plugins.sys.broker.BrokerSysPlugin": {"sys_interval": 60},
        },
    }


def port_in_use(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


class Command(BaseCommand):
    help = "Run the embedded MQTT broker (amqtt) on MQTT_URL's port, for laptops without Mosquitto."

    def handle(self, *args, **options):
        host, port = settings.MQTT_HOST, settings.MQTT_PORT
        if not settings.MQTT_EMBEDDED:
            self.stdout.write(f"MQTT_URL points to an external broker ({settings.MQTT_URL}); nothing to run.")
            asyncio.run(_wait_forever())
            return
        if port_in_use(host, port):
            self.stdout.write(f"A broker already listens on {host}:{port}; using it.")
            asyncio.run(_wait_forever())
            return
        self.stdout.write(f"Embedded MQTT broker on mqtt://{host}:{port}")
        asyncio.run(_serve(host, port))


async def _serve(host: str, port: int) -> None:
    broker = make_broker(host, port)
    await broker.start()
    try:
        await _wait_forever()
    finally:
        await broker.shutdown()


async def _wait_forever() -> None:
    while True:
        await asyncio.sleep(3600)
