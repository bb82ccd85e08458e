"""Real MQTT brokers for tests: Mosquitto from a generated configuration, and the embedded amqtt broker."""

import asyncio
import getpass
import socket
import subprocess
import threading
import time
from contextlib import contextmanager

from django.core.management import call_command


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, limit: float = 10.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"no broker on port {port}")


@contextmanager
def mosquitto(folder):
    """Mosquitto with the password and ACL files of `manage.py radio_mosquitto_config`."""
    port = free_port()
    passwords, acl, conf = folder / "passwords", folder / "acl", folder / "mosquitto.conf"
    call_command("radio_mosquitto_config", password_file=passwords, acl_file=acl)
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous false\npassword_file {passwords}\nacl_file {acl}\n"
        f"persistence false\nuser {getpass.getuser()}\n"  # as root, Mosquitto would switch to an unprivileged user
    )
    process = subprocess.Popen(["mosquitto", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port)
        yield f"mqtt://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


@contextmanager
def embedded_broker():
    """The amqtt broker of `manage.py run_broker`, with the radio's authentication and topic plugins."""
    from tinhso.core.management.commands.run_broker import make_broker

    port = free_port()
    loop = asyncio.new_event_loop()
    broker = make_broker("127.0.0.1", port, loop=loop)
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(broker.start(), loop).result(10)
    try:
        yield f"mqtt://127.0.0.1:{port}"
    finally:
        asyncio.run_coroutine_threadsafe(broker.shutdown(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
