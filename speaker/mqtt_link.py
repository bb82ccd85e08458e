"""The device's one MQTT connection, driven by an asyncio loop instead of a paho thread.

Running paho on the event loop (paho's external-loop socket callbacks) lets one thread hold thousands of
connections (the swarm) and keeps every callback on the loop, so the agent needs no locks. paho does not
reconnect by itself in this mode: `_schedule_reconnect` does it, with exponential backoff and jitter so a
province of devices does not reconnect in lockstep after a broker restart.
"""

import asyncio
import json
import logging
import random
from collections.abc import Callable

import paho.mqtt.client as mqtt

from .config import Config

log = logging.getLogger("speaker.mqtt")
OFFLINE = json.dumps({"online": False})
QUEUE_LIMIT = 1000  # events kept while offline; paho re-sends them after reconnecting


class BufferedClient(mqtt.Client):
    """paho reads a packet a few bytes at a time (a system call per header byte). Reading up to 64 KB at
    once and serving those small reads from memory makes one call per burst: a third of the swarm's CPU."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.forget_buffer()

    def forget_buffer(self) -> None:
        self._received, self._offset = b"", 0

    def has_buffered(self) -> bool:
        return self._offset < len(self._received)

    def _sock_recv(self, bufsize: int) -> bytes:
        if not self.has_buffered():
            self._received, self._offset = super()._sock_recv(65536), 0
        data = self._received[self._offset : self._offset + bufsize]
        self._offset += len(data)
        return data


class MqttLink:
    def __init__(self, config: Config, *, on_playlist: Callable[[bytes], None], on_connect: Callable[[], None]):
        self.config = config
        self.on_playlist = on_playlist
        self.on_connected = on_connect
        self.connected = False
        self.stopping = False
        self._loop = asyncio.get_running_loop()
        self._attempt = 0
        self._started = False
        self._retry: asyncio.TimerHandle | None = None
        self._misc: asyncio.TimerHandle | None = None
        self.client = self._make_client()

    def _make_client(self) -> mqtt.Client:
        config = self.config
        client = BufferedClient(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=config.device,
            clean_session=True,
            protocol=mqtt.MQTTv311,
        )
        client.username_pw_set(config.device, config.password)
        # the broker publishes this, retained, the moment the TCP connection drops without a DISCONNECT
        client.will_set(config.topic("status"), OFFLINE, qos=1, retain=True)
        client.max_queued_messages_set(QUEUE_LIMIT)
        client.connect_timeout = 5.0
        if config.broker_tls:
            client.tls_set()
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        client.on_socket_open = self._on_socket_open
        client.on_socket_close = self._on_socket_close
        client.on_socket_register_write = self._on_register_write
        client.on_socket_unregister_write = lambda _client, _userdata, sock: self._loop.remove_writer(sock)
        return client

    def start(self) -> None:
        self._connect()

    def _connect(self) -> None:
        self._retry = None
        if self.stopping:
            return
        try:
            if self._started:
                self.client.reconnect()
            else:
                self._started = True
                self.client.connect(self.config.broker_host, self.config.broker_port, keepalive=self.config.keepalive)
        except (OSError, ValueError) as error:
            log.info("%s: cannot reach broker (%s)", self.config.device, error)
            self._schedule_reconnect()

    def _schedule_reconnect(self) -> None:
        if self.stopping or self._retry is not None:
            return
        delay = min(self.config.reconnect_max, 0.5 * 2**self._attempt) * random.uniform(0.5, 1.0)
        self._attempt += 1
        self._retry = self._loop.call_later(delay, self._connect)

    def _on_socket_open(self, client, _userdata, sock) -> None:
        client.forget_buffer()
        self._loop.add_reader(sock, self._read)
        self._misc = self._loop.call_later(1.0, self._housekeeping)

    def _read(self) -> None:
        self.client.loop_read()
        while self.client.has_buffered() and self.client.socket() is not None:
            self.client.loop_read()

    def _on_register_write(self, client, _userdata, sock) -> None:
        """Write at the end of this turn of the loop (most packets fit in the socket buffer); only a
        partial write waits for the socket to become writable."""
        self._loop.call_soon(self._write, sock)

    def _write(self, sock) -> None:
        if self.client.socket() is sock:
            self.client.loop_write()
            # The write may have found the connection gone (paho closed the socket): nothing to wait for then.
            if self.client.want_write() and self.client.socket() is sock and sock.fileno() != -1:
                self._loop.add_writer(sock, self.client.loop_write)

    def _on_socket_close(self, _client, _userdata, sock) -> None:
        self._loop.remove_reader(sock)
        self._loop.remove_writer(sock)
        if self._misc:
            self._misc.cancel()
            self._misc = None

    def _housekeeping(self) -> None:
        """paho's keepalive pings and timeouts, once a second."""
        if self.client.loop_misc() == mqtt.MQTT_ERR_SUCCESS:
            self._misc = self._loop.call_later(1.0, self._housekeeping)

    def _on_connect(self, client, _userdata, _flags, reason_code, _properties) -> None:
        if reason_code.is_failure:
            log.warning("%s: broker refused the connection: %s", self.config.device, reason_code)
            client.disconnect()
            return
        self.connected = True
        self._attempt = 0
        client.subscribe(self.config.topic("playlist"), qos=1)
        self.on_connected()

    def _on_disconnect(self, _client, _userdata, _flags, reason_code, _properties) -> None:
        was_connected, self.connected = self.connected, False
        if was_connected:
            log.info("%s: connection lost (%s)", self.config.device, reason_code)
        self._schedule_reconnect()

    def _on_message(self, _client, _userdata, message) -> None:
        if message.topic == self.config.topic("playlist"):
            self.on_playlist(message.payload)

    def publish(self, leaf: str, payload: dict, *, retain: bool = False) -> None:
        self.client.publish(self.config.topic(leaf), json.dumps(payload, ensure_ascii=False), qos=1, retain=retain)

    def stop(self) -> None:
        """A clean goodbye: say offline ourselves (a DISCONNECT suppresses the last will)."""
        self.stopping = True
        if self._retry:
            self._retry.cancel()
        if self.connected:
            self.client.publish(self.config.topic("status"), OFFLINE, qos=1, retain=True)
        self.client.disconnect()
