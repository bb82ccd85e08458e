"""Audio the device pulls: checked against its checksum, cached, and the relay's fallback on dead air."""

import hashlib
from datetime import timedelta

from speaker import clock

from .conftest import DEVICE, LiveStream, audio_item, encode, free_port, relay_item


def test_a_checksum_mismatch_is_reported_and_nothing_is_played(broker, bridge, audio_server, tone, start_agent):
    agent = start_agent()
    url, _sha256 = audio_server.add(0.4, frequency=880)
    tampered = audio_item("b11-r1", 11, (url, hashlib.sha256(b"something else").hexdigest()), rank=10)
    bridge.publish_playlist(DEVICE, [tampered, audio_item("b12-r1", 12, tone, rank=20)], version=1)

    download = agent.wait_for(event="download", bulletin=11)
    assert agent.wait_for(event="stop", bulletin=12)

    assert download["detail"] == "checksum mismatch"
    assert agent.find(event="play", bulletin=11) == []


def test_audio_is_downloaded_once_with_the_device_credentials_and_cached(broker, bridge, audio_server, start_agent):
    agent = start_agent()
    sound = audio_server.add(0.2, frequency=990)
    path = sound[0].removeprefix(audio_server.url)
    bridge.publish_playlist(DEVICE, [audio_item("b13-r1", 13, sound, repeat=2)], version=1)
    assert agent.wait_for(event="stop", bulletin=13, nth=2)

    bridge.publish_playlist(DEVICE, [audio_item("b14-r1", 14, sound)], version=2)
    assert agent.wait_for(event="stop", bulletin=14)

    assert audio_server.requests.count(path) == 1
    assert agent.find(event="download", bulletin=13)[0]["detail"] == "ok"


def test_a_wrong_password_gets_no_audio(broker, bridge, audio_server, tmp_path, start_agent):
    agent = start_agent(password="not-the-password")
    sound = audio_server.add(0.2, frequency=1100)
    bridge.publish_playlist(DEVICE, [audio_item("b15-r1", 15, sound)], version=1)

    assert agent.wait_for(event="download", bulletin=15)["detail"] == "http error 401"
    assert agent.find(event="play", bulletin=15) == []


def test_a_relay_whose_stream_is_dead_plays_its_fallback(broker, bridge, audio_server, start_agent):
    agent = start_agent()
    fallback_url, fallback_sha256 = audio_server.add(0.5, frequency=500)
    now = clock.now()
    relay = audio_item(
        "b16-relay", 16, (None, None), level="relay", rank=50, kind="relay", duration=0,
        stream_url=f"http://127.0.0.1:{free_port()}/live.mp3",  # nothing listens there
        fallback_url=fallback_url, fallback_sha256=fallback_sha256,
        starts_at=clock.iso(now - timedelta(seconds=1)), ends_at=clock.iso(now + timedelta(minutes=5)),
    )  # fmt: skip
    bridge.publish_playlist(DEVICE, [relay], version=1)

    assert agent.wait_for(event="play", bulletin=16)["detail"] == "stream"
    failed = agent.wait_for(event="failed", bulletin=16, timeout=15)

    assert "playing fallback" in failed["detail"]
    assert agent.find(event="download", bulletin=16)[0]["detail"] == "ok"
    assert agent.find(event="stop", bulletin=16) == []  # the relay goes on: fallback now, stream retried


def test_an_emergency_preempts_a_relay_which_rejoins_its_stream_afterwards(
    broker, bridge, audio_server, tone, start_agent
):
    agent = start_agent()
    now = clock.now()
    relay = audio_item(
        "b17-relay", 17, (None, None), level="relay", rank=50, kind="relay", duration=0,
        stream_url=f"http://127.0.0.1:{free_port()}/live.mp3",
        starts_at=clock.iso(now - timedelta(seconds=1)), ends_at=clock.iso(now + timedelta(minutes=5)),
    )  # fmt: skip
    bridge.publish_playlist(DEVICE, [relay], version=1)
    assert agent.wait_for(event="play", bulletin=17)

    bridge.publish_playlist(DEVICE, [relay, audio_item("b18-r1", 18, tone, level="emergency", rank=0)], version=2)

    assert agent.wait_for(event="play", bulletin=17, nth=2)
    order = [(r["event"], r["bulletin"], r["reason"]) for r in agent.records if r["event"] in ("play", "stop")]
    assert order == [
        ("play", 17, None), ("stop", 17, "preempted"), ("play", 18, None), ("stop", 18, "finished"), ("play", 17, None)
    ]  # fmt: skip


def test_a_relay_goes_back_to_its_stream_when_the_station_returns(broker, bridge, audio_server, start_agent):
    agent = start_agent()
    port = free_port()
    bridge.publish_playlist(DEVICE, [relay_item(19, f"http://127.0.0.1:{port}/live.ogg", audio_server.add(0.5))], 1)
    assert agent.wait_for(event="failed", bulletin=19, timeout=15)

    station = LiveStream(encode("sine=frequency=440", 60), 60, port=port)
    try:
        resumed = agent.wait_for(event="play", bulletin=19, nth=2, timeout=20)
    finally:
        station.close()

    assert resumed["detail"] == "stream resumed"


def test_a_relay_of_a_silent_station_falls_back(broker, bridge, audio_server, start_agent):
    agent = start_agent()
    station = LiveStream(encode("anullsrc=r=48000:cl=mono", 60), 60)
    try:
        bridge.publish_playlist(DEVICE, [relay_item(20, station.url, audio_server.add(0.5))], version=1)
        failed = agent.wait_for(event="failed", bulletin=20, timeout=20)
    finally:
        station.close()

    assert failed["detail"].startswith("stream silent for 5 s; playing fallback")
