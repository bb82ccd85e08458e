"""What a listener under the speaker would notice: what plays, in which order, how often, and when it stops."""

import json
import time
from datetime import timedelta

from speaker import clock

from .conftest import DEVICE, audio_item, wait_until


def test_a_bulletin_plays_and_each_event_is_one_json_line(broker, bridge, tone, start_agent):
    agent = start_agent()
    bridge.publish_playlist(DEVICE, [audio_item("b42-r1", 42, tone)], version=1)

    stop = agent.wait_for(event="stop", bulletin=42)

    play = agent.find(event="play", bulletin=42)[0]
    assert play["item"] == "b42-r1" and play["repetition"] == 1
    assert stop["reason"] == "finished"
    assert clock.parse(play["at"]) <= clock.parse(stop["at"])
    assert play["at"].endswith("+07:00")


def test_repeat_three_plays_exactly_three_times(broker, bridge, tone, start_agent):
    agent = start_agent()
    repeated = audio_item("b7-r1", 7, tone, repeat=3, rank=10)
    after = audio_item("b8-r1", 8, tone, rank=20)  # lower in the chain: it can only start once b7 is done
    bridge.publish_playlist(DEVICE, [repeated, after], version=1)

    assert agent.wait_for(event="play", bulletin=8)

    plays = agent.find(event="play", bulletin=7)
    assert [play["repetition"] for play in plays] == [1, 2, 3]
    assert [stop["reason"] for stop in agent.find(event="stop", bulletin=7)] == ["finished"] * 3


def test_an_emergency_preempts_a_normal_bulletin_which_is_requeued_from_its_start(
    broker, bridge, audio_server, tone, start_agent
):
    agent = start_agent()
    long_tone = audio_server.add(1.0, frequency=330)
    normal = audio_item("b1-r1", 1, long_tone, duration=60, rank=30)
    bridge.publish_playlist(DEVICE, [normal], version=1)
    assert agent.wait_for(event="play", bulletin=1)

    emergency = audio_item("b2-r1", 2, tone, level="emergency", rank=0, volume=100)
    bridge.publish_playlist(DEVICE, [normal, emergency], version=2)

    assert agent.wait_for(event="stop", bulletin=2)
    assert agent.wait_for(event="play", bulletin=1, repetition=1, nth=2)
    normal_events = [(r["event"], r["reason"]) for r in agent.find(bulletin=1) if r["event"] in ("play", "stop")]
    assert normal_events[:3] == [("play", None), ("stop", "preempted"), ("play", None)]
    order = [(r["event"], r["bulletin"]) for r in agent.records if r["event"] in ("play", "stop")]
    assert order[:4] == [("play", 1), ("stop", 1), ("play", 2), ("stop", 2)]


def test_cancel_stops_the_bulletin_long_before_it_would_have_ended(broker, bridge, audio_server, start_agent):
    agent = start_agent()
    long_tone = audio_server.add(1.0, frequency=550)
    bridge.publish_playlist(DEVICE, [audio_item("b3-r1", 3, long_tone, duration=60)], version=1)
    assert agent.wait_for(event="play", bulletin=3)

    cancelled_at = clock.now()
    bridge.publish_playlist(DEVICE, [], version=2)

    stop = agent.wait_for(event="stop", bulletin=3)
    assert stop["reason"] == "cancelled"
    # the bulletin lasts a minute: stopping early proves the cancel; how fast is bench.radio_fanout's job
    assert clock.parse(stop["at"]) - cancelled_at < timedelta(seconds=30)


def test_an_expired_bulletin_is_not_played(broker, bridge, tone, start_agent):
    agent = start_agent()
    now = clock.now()
    expired = audio_item(
        "b4-r1", 4, tone, rank=0, starts_at=clock.iso(now - timedelta(hours=2)), expires_at=clock.iso(now)
    )
    bridge.publish_playlist(DEVICE, [expired, audio_item("b5-r1", 5, tone, rank=30)], version=1)

    assert agent.wait_for(event="stop", bulletin=5)
    assert agent.find(bulletin=4) == []


def test_a_bulletin_expiring_while_it_plays_stops_with_reason_expired(broker, bridge, audio_server, start_agent):
    agent = start_agent()
    long_tone = audio_server.add(1.0, frequency=660)
    expires = clock.iso(clock.now() + timedelta(seconds=2))
    bridge.publish_playlist(DEVICE, [audio_item("b6-r1", 6, long_tone, duration=60, expires_at=expires)], version=1)

    assert agent.wait_for(event="stop", bulletin=6)["reason"] == "expired"


def test_an_older_playlist_version_is_ignored(broker, bridge, audio_server, start_agent):
    agent = start_agent()
    long_tone = audio_server.add(1.0, frequency=770)
    bridge.publish_playlist(DEVICE, [audio_item("b9-r1", 9, long_tone, duration=60)], version=5)
    assert agent.wait_for(event="play", bulletin=9)

    bridge.publish_playlist(DEVICE, [], version=4)  # a delayed message from before
    bridge.publish_playlist(DEVICE, [audio_item("b9-r1", 9, long_tone, duration=60)], version=6)
    bridge.publish_playlist(DEVICE, [], version=7)

    assert agent.wait_for(event="stop", bulletin=9)["at"]
    assert [r["reason"] for r in agent.find(event="stop", bulletin=9)] == ["cancelled"]
    assert len(agent.find(event="play", bulletin=9)) == 1


def test_an_item_volume_applies_while_it_plays_then_the_playlist_volume_returns(
    broker, bridge, tone, start_agent, tmp_path
):
    mixer = tmp_path / "mixer"
    agent = start_agent(extra=["--volume-command", f"sh -c 'echo {{volume}} >> {mixer}'"])
    emergency = audio_item("b10-r1", 10, tone, level="emergency", rank=0, volume=100)
    bridge.publish_playlist(DEVICE, [emergency], version=1, volume=60)
    assert agent.wait_for(event="stop", bulletin=10)

    def settings():
        return mixer.read_text().split() if mixer.exists() else []

    # idle at the playlist's 60 while the audio downloads, 100 for the emergency, back to 60
    assert wait_until(lambda: settings()[-2:] == ["100", "60"], 5)
    assert set(settings()) == {"60", "100"}


def test_an_emergency_starting_is_told_in_one_status_playing_at_full_volume(broker, bridge, tone, start_agent):
    """What plays and at what volume change together: one status says both (before, two identical ones went
    out, and at a province's scale that is 1,356 more reports for the server in the busiest second)."""
    agent = start_agent()
    bridge.subscribe("tinhso/v1/devices/+/status")
    bridge.publish_playlist(DEVICE, [], version=1, volume=80)
    assert wait_until(lambda: (message := bridge.next_message(1)) and json.loads(message.payload)["volume"] == 80, 10)
    time.sleep(0.5)
    while bridge.next_message(0.1):  # what the agent said before the emergency
        pass
    emergency = audio_item("b9-r1", 9, tone, level="emergency", rank=0, volume=100, duration=30)
    bridge.publish_playlist(DEVICE, [emergency], version=2, volume=80)
    assert agent.wait_for(event="play", bulletin=9)
    time.sleep(0.5)
    statuses = []
    while message := bridge.next_message(0.1):
        statuses.append(json.loads(message.payload))
    assert [(status["playing"]["bulletin"], status["volume"]) for status in statuses] == [(9, 100)]
