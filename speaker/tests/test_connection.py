"""Losing and finding the broker, rebooting, and what the server sees of the device's health."""

import json
import time

from .conftest import DEVICE, PASSWORD, Broker, TestClient, audio_item, wait_until


def test_after_a_broker_restart_the_agent_catches_up_without_replaying(broker, bridge, tone, start_agent):
    agent = start_agent()
    bridge.publish_playlist(DEVICE, [audio_item("b21-r1", 21, tone)], version=1)
    assert agent.wait_for(event="stop", bulletin=21)

    bridge.close()
    broker.stop()
    broker.start()  # the retained playlist survives (persistence), as on a production broker
    server = TestClient(broker)
    server.publish_playlist(DEVICE, [audio_item("b21-r1", 21, tone), audio_item("b22-r1", 22, tone)], version=2)

    assert agent.wait_for(event="stop", bulletin=22, timeout=30)
    assert len(agent.find(event="play", bulletin=21)) == 1
    server.close()


def test_events_that_happen_while_the_broker_is_down_arrive_after_reconnecting(
    broker, bridge, audio_server, start_agent
):
    agent = start_agent()
    server = TestClient(broker, session=True)  # a persistent session, like the bridge's: nothing lost while away
    server.subscribe(f"tinhso/v1/devices/{DEVICE}/events")
    sound = audio_server.add(1.0, frequency=270)
    bridge.publish_playlist(DEVICE, [audio_item("b26-r1", 26, sound, duration=1.0)], version=1)
    assert agent.wait_for(event="play", bulletin=26)

    broker.stop()
    assert agent.wait_for(event="stop", bulletin=26)  # finished while nobody could hear about it
    broker.start()

    received = []
    while "stop" not in received and (message := server.next_message(30)):
        received.append(json.loads(message.payload)["event"])
    assert "stop" in received
    server.close()


def test_a_rebooted_agent_does_not_replay_what_it_finished(broker, bridge, tone, start_agent, tmp_path):
    first = start_agent(cache=tmp_path / "board")
    bridge.publish_playlist(DEVICE, [audio_item("b23-r1", 23, tone, repeat=2)], version=1)
    assert first.wait_for(event="stop", bulletin=23, nth=2)
    first.kill()

    bridge.publish_playlist(DEVICE, [audio_item("b23-r1", 23, tone, repeat=2), audio_item("b24-r1", 24, tone)], 2)
    second = start_agent(cache=tmp_path / "board")

    assert second.wait_for(event="stop", bulletin=24)
    assert second.find(bulletin=23) == []


def test_status_is_retained_and_the_last_will_says_offline_when_the_agent_is_killed(broker, tone, start_agent):
    agent = start_agent()
    watcher = TestClient(broker)
    topic = f"tinhso/v1/devices/{DEVICE}/status"
    assert wait_until(lambda: _retained_status(broker, topic), 10)
    watcher.subscribe(topic)
    online = json.loads(watcher.next_message(5).payload)
    assert online["online"] is True and online["keepalive"] == 5 and online["playing"] is None

    agent.kill()  # SIGKILL: no goodbye, only the broker noticing the dropped connection

    # Before the broker's keepalive expiry (1.5 × 5 s): the will came from the dropped connection.
    message = watcher.next_message(6)
    assert message is not None and json.loads(message.payload) == {"online": False}
    assert json.loads(_retained_status(broker, topic)) == {"online": False}
    watcher.close()


def _retained_status(broker, topic):
    """What a server connecting now would read: the retained status."""
    reader = TestClient(broker)
    reader.subscribe(topic)
    message = reader.next_message(0.5)
    reader.close()
    return message.payload if message and message.retain else None


def test_a_device_cannot_read_another_devices_playlist(tmp_path, audio_server, tone, start_agent):
    users = {"tinhso-bridge": "bridge-secret", DEVICE: PASSWORD, "c-other": "other-password"}
    secured = Broker(tmp_path, users)
    secured.start()
    try:
        bridge = TestClient(secured, "tinhso-bridge", "bridge-secret")
        bridge.publish_playlist(DEVICE, [audio_item("b31-r1", 31, tone, duration=60)], version=1)
        bridge.publish_playlist("c-other", [], version=1)
        agent = start_agent(broker=secured)
        assert agent.wait_for(event="play", bulletin=31)  # the agent logs in with its $7$-hashed password

        other = TestClient(secured, "c-other", "other-password")
        other.subscribe(f"tinhso/v1/devices/{DEVICE}/playlist")
        other.subscribe(f"tinhso/v1/devices/{DEVICE}/events")
        other.subscribe("tinhso/v1/devices/c-other/playlist")

        own = other.next_message(5)
        assert own.topic == "tinhso/v1/devices/c-other/playlist"
        bridge.publish_playlist(DEVICE, [], version=2)
        assert agent.wait_for(event="stop", bulletin=31)
        time.sleep(0.3)  # let anything wrongly forwarded arrive before looking
        assert other.next_message(0.1) is None
        other.close()
        bridge.close()
    finally:
        secured.stop()


def test_a_stopped_agent_says_offline_itself_and_status_shows_what_plays(broker, bridge, audio_server, start_agent):
    agent = start_agent()
    watcher = TestClient(broker)
    watcher.subscribe(f"tinhso/v1/devices/{DEVICE}/status")
    long_tone = audio_server.add(1.0, frequency=250)
    bridge.publish_playlist(DEVICE, [audio_item("b25-r1", 25, long_tone, duration=60, volume=100)], version=1)
    assert agent.wait_for(event="play", bulletin=25)

    playing = _next_status(watcher, lambda status: status.get("playing"))
    agent.terminate()  # SIGTERM, as systemd stops it

    assert playing["playing"] == {"item": "b25-r1", "bulletin": 25, "level": "normal"}
    assert playing["volume"] == 100
    assert _next_status(watcher, lambda status: status == {"online": False})
    watcher.close()


def _next_status(watcher, wanted):
    while (message := watcher.next_message(5)) is not None:
        status = json.loads(message.payload)
        if wanted(status):
            return status
    return None


def test_a_write_that_finds_the_connection_gone_leaves_nothing_for_the_loop_to_watch():
    """paho closes the socket when a write fails (the broker dropped the device under load): the link must
    not ask the loop to watch the closed socket (asyncio raised 'Invalid file descriptor: -1' on every write)."""
    import asyncio
    import socket
    import threading

    from speaker.config import Config
    from speaker.mqtt_link import MqttLink

    mine, _broker_end = socket.socketpair()

    class ConnectionGone:
        def socket(self):
            return mine

        def loop_write(self):
            mine.close()

        def want_write(self):
            return True

    async def write_once():
        link = MqttLink(
            Config(broker="mqtt://127.0.0.1:1", device=DEVICE, password=PASSWORD), on_playlist=print, on_connect=print
        )
        link.client = ConnectionGone()
        link._write(mine)

    # A loop of its own in a thread of its own: the browser tests' Playwright keeps a loop running in this one.
    failures: list[BaseException] = []
    runner = threading.Thread(target=lambda: _run_catching(asyncio.run, write_once(), failures))
    runner.start()
    runner.join(30)
    _broker_end.close()
    assert failures == []


def _run_catching(run, coroutine, failures: list) -> None:
    try:
        run(coroutine)
    except BaseException as error:  # handed back to the test's thread
        failures.append(error)
