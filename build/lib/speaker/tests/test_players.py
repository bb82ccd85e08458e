"""A player given as a command template: it really runs, ends the item when it exits, and is killed on cancel."""

import os

from .conftest import DEVICE, LiveStream, audio_item, encode, relay_item, wait_until

# decodes the file in real time, as a sound card would consume it, and records its process id
PLAYER = 'sh -c \'echo $$ >> "$1"; exec ffmpeg -v error -nostdin -re -i "$0" -f null -\' {file} %s'


def test_a_command_player_plays_the_file_to_its_end(broker, bridge, tone, start_agent, tmp_path):
    agent = start_agent(player=PLAYER % (tmp_path / "pids"))
    bridge.publish_playlist(DEVICE, [audio_item("b61-r1", 61, tone, duration=0)], version=1)

    stop = agent.wait_for(event="stop", bulletin=61)

    assert stop["reason"] == "finished"
    assert len((tmp_path / "pids").read_text().split()) == 1


def test_a_cancelled_item_kills_its_player_process(broker, bridge, audio_server, start_agent, tmp_path):
    agent = start_agent(player=PLAYER % (tmp_path / "pids"))
    long_tone = audio_server.add(30.0, frequency=350)
    bridge.publish_playlist(DEVICE, [audio_item("b62-r1", 62, long_tone, duration=30)], version=1)
    assert agent.wait_for(event="play", bulletin=62)
    pid = int(wait_until(lambda: (tmp_path / "pids").exists() and (tmp_path / "pids").read_text().strip(), 5))

    bridge.publish_playlist(DEVICE, [], version=2)

    assert agent.wait_for(event="stop", bulletin=62)["reason"] == "cancelled"
    assert wait_until(lambda: not _running(pid), 5)


def test_a_failing_player_reports_the_error(broker, bridge, tone, start_agent):
    agent = start_agent(player="sh -c 'echo no sound card >&2; exit 3' {file}")
    bridge.publish_playlist(DEVICE, [audio_item("b63-r1", 63, tone)], version=1)

    stop = agent.wait_for(event="stop", bulletin=63)

    assert stop["reason"] == "error" and "no sound card" in stop["detail"]
    assert agent.wait_for(event="failed", bulletin=63)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        with open(f"/proc/{pid}/stat") as stat:  # a zombie waiting for its parent has stopped playing
            return stat.read().split()[2] != "Z"
    except (ProcessLookupError, FileNotFoundError):
        return False


def test_a_relay_pipes_the_decoded_stream_into_the_player(broker, bridge, start_agent, tmp_path):
    captured = tmp_path / "header"
    agent = start_agent(player=f"sh -c 'head -c 44 > \"$1\"; exec cat > /dev/null' {{file}} {captured}")
    station = LiveStream(encode("sine=frequency=440", 30), 30)
    try:
        bridge.publish_playlist(DEVICE, [relay_item(64, station.url)], version=1)
        assert agent.wait_for(event="play", bulletin=64)["detail"] == "stream"
        header = wait_until(
            lambda: captured.exists() and len(captured.read_bytes()) == 44 and captured.read_bytes(), 10
        )
    finally:
        station.close()

    assert header[:4] == b"RIFF" and header[8:12] == b"WAVE"  # the player got WAV on its standard input
