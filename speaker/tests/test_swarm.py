"""The swarm the fan-out benchmark uses: many agents, each with its own connection, in one process or
split over several (then their events come back to this process)."""

import time

import pytest

from speaker.swarm import start_swarm

from .conftest import audio_item


@pytest.mark.parametrize("processes", [1, 3])
def test_every_agent_of_a_swarm_plays_then_stops_on_cancel(broker, bridge, audio_server, tone, tmp_path, processes):
    devices = [f"c-swarm{number:03d}" for number in range(20)]
    audio_server.credentials.update(dict.fromkeys(devices, "pw"))
    swarm = start_swarm(broker.url, devices, password="pw", cache_root=tmp_path / "swarm", processes=processes)
    try:
        assert swarm.wait_connected(20) == 20
        sent = time.time()
        for device in devices:
            bridge.publish_playlist(device, [audio_item("b51-r1", 51, tone, duration=60)], version=1)
        played = swarm.wait_for("play", 51, count=20, timeout=20, since=sent)

        cancelled = time.time()
        for device in devices:
            bridge.publish_playlist(device, [], version=2)
        stopped = swarm.wait_for("stop", 51, count=20, timeout=20, since=cancelled)
    finally:
        swarm.stop()

    assert len(played) == 20 and len(stopped) == 20
    assert all(latency >= 0 for latency in played + stopped)
