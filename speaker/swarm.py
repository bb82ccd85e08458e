"""Many simulated speaker clusters, for the fan-out benchmark.

Each simulated cluster is a real `Agent` with the null player and its own MQTT connection, device id
and state directory; the agents of one process share one asyncio loop (one thread) and one
content-addressed audio cache, as agents on one machine would. The swarm notes the wall-clock time of
every event of every agent.

    swarm = start_swarm("mqtt://127.0.0.1:18830", [("c-0001", "pw"), ...])
    t0 = time.time(); publish...; latencies = swarm.wait_for("play", bulletin=42, count=1356, timeout=10, since=t0)

`start_swarm(..., processes=4)` splits the agents over that many processes (`python -m speaker.swarm`, each
a swarm of its own that tells the parent its events on stdout): 1,356 agents in one Python thread take
a measurable part of a second to handle one playlist each, which a benchmark would count as the platform's.
"""

import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from .agent import Agent
from .config import Config
from .downloader import Downloader
from .player import NullPlayer
from .store import StateStore

CONNECT_BATCH = 50  # connections opened before letting the loop (and the broker) catch up


def raise_file_limit() -> int:
    """One socket per agent: lift the soft limit on open files to the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


class Swarm:
    def __init__(
        self, broker_url: str, devices: Sequence[tuple[str, str]], *, cache_root: Path, keepalive: int, on_event=None
    ):
        self.on_event = on_event  # also told (device, event, bulletin, wall-clock time) of every event
        self.broker_url = broker_url
        self.devices = list(devices)
        self.cache_root = Path(cache_root)
        self.keepalive = keepalive
        self.agents: list[Agent] = []
        # (event, bulletin) -> device -> wall-clock times of that event
        self._times: dict[tuple[str, object], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
        self._changed = threading.Condition()
        self._ready = threading.Event()
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, name="swarm", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self._start_agents())
        self._ready.set()
        self.loop.run_forever()

    async def _start_agents(self) -> None:
        downloader = Downloader(self.cache_root / "shared", workers=8)
        for number, (device, password) in enumerate(self.devices, start=1):
            config = Config(
                broker=self.broker_url,
                device=device,
                password=password,
                cache=self.cache_root / device,
                keepalive=self.keepalive,
            )
            store = StateStore(config.cache, durable=False)
            agent = Agent(config, player=NullPlayer(), downloader=downloader, store=store, sink=self._recorder(device))
            agent.on_playlist = self._noting_playlists(device, agent.on_playlist)  # type: ignore[method-assign]
            agent.start()
            self.agents.append(agent)
            if number % CONNECT_BATCH == 0:
                await asyncio.sleep(0.01)

    def _recorder(self, device: str):
        def record(event: dict) -> None:
            moment = time.time()
            self.note(device, event["event"], event["bulletin"], moment)
            if self.on_event:
                self.on_event(device, event["event"], event["bulletin"], moment)

        return record

    def _noting_playlists(self, device: str, on_playlist):
        """Every playlist's arrival is noted too, as the event "playlist" of no bulletin: the benchmark tells
        the time to the agents' door from the time they took to act on it."""
        record = self._recorder(device)

        def noted(payload: bytes) -> None:
            record({"event": "playlist", "bulletin": None})
            on_playlist(payload)

        return noted

    def note(self, device: str, event: str, bulletin, moment: float) -> None:
        with self._changed:
            self._times[(event, bulletin)][device].append(moment)
            self._changed.notify_all()

    # -- for the benchmark (any thread) --------------------------------------------------------
    def connected(self) -> int:
        return sum(1 for agent in self.agents if agent.link and agent.link.connected)

    def wait_connected(self, timeout: float) -> int:
        deadline = time.monotonic() + timeout
        self._ready.wait(timeout)
        while self.connected() < len(self.devices) and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.connected()

    def wait_for(self, event: str, bulletin, count: int, timeout: float, since: float | None = None) -> list[float]:
        """Seconds from `since` to each agent's first `event` for `bulletin` at or after `since`, sorted;
        returns when `count` agents have it or after `timeout` seconds (then the list is shorter)."""
        since = since if since is not None else 0.0
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                latencies = self._latencies(event, bulletin, since)
                remaining = deadline - time.monotonic()
                if len(latencies) >= count or remaining <= 0:
                    return latencies
                self._changed.wait(remaining)

    def _latencies(self, event: str, bulletin, since: float) -> list[float]:
        per_device = self._times.get((event, bulletin), {})
        firsts = [min((t for t in times if t >= since), default=None) for times in per_device.values()]
        return sorted(first - since for first in firsts if first is not None)

    def stop(self) -> None:
        def stop_all() -> None:
            for agent in self.agents:
                agent.stop()

        self.loop.call_soon_threadsafe(stop_all)
        time.sleep(0.5)  # the goodbyes leave the sockets
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)


class SwarmProcesses(Swarm):
    """The same swarm, its agents split over child processes; their events arrive on the children's stdout
    (one JSON line each, with the child's wall-clock time: same machine, same clock)."""

    def __init__(self, broker_url: str, devices: Sequence[tuple[str, str]], *, cache_root: Path, keepalive, processes):
        super().__init__(broker_url, devices, cache_root=cache_root, keepalive=keepalive)
        self.children: list[subprocess.Popen] = []
        self._online: dict[int, int] = {}
        for index in range(processes):
            share = self.devices[index::processes]
            command = [sys.executable, "-m", "speaker.swarm", broker_url, str(cache_root / f"process-{index}")]
            child = subprocess.Popen(
                [*command, str(keepalive)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
            )
            assert child.stdin is not None
            child.stdin.write(json.dumps(share) + "\n")
            child.stdin.flush()
            self.children.append(child)
            threading.Thread(target=self._listen, args=(index, child), daemon=True).start()
        self._ready.set()

    def _listen(self, index: int, child: subprocess.Popen) -> None:
        assert child.stdout is not None
        for line in child.stdout:
            message = json.loads(line)
            if "online" in message:
                self._online[index] = message["online"]
            else:
                self.note(message["device"], message["event"], message["bulletin"], message["at"])

    def connected(self) -> int:
        return sum(self._online.values())

    def memory_mb(self) -> int:
        """The children's resident memory together."""
        total = 0
        for child in self.children:
            status = Path(f"/proc/{child.pid}/status").read_text().splitlines()
            total += int(next(line for line in status if line.startswith("VmRSS")).split()[1])
        return total // 1024

    def stop(self) -> None:
        for child in self.children:
            if child.poll() is None and child.stdin:
                child.stdin.write("stop\n")
                child.stdin.flush()
        for child in self.children:
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(5)


def start_swarm(
    broker_url: str,
    devices: Sequence[tuple[str, str]] | Sequence[str],
    *,
    password: str = "",
    cache_root: Path | None = None,
    keepalive: int = 30,
    processes: int = 1,
) -> Swarm:
    """Start one agent per device (a device id, or a (device id, password) pair) and return at once;
    `Swarm.wait_connected` tells when they are all online. With `processes` > 1 the agents run in that many
    child processes."""
    raise_file_limit()
    pairs = [device if isinstance(device, tuple) else (device, password) for device in devices]
    root = Path(cache_root) if cache_root else Path(tempfile.mkdtemp(prefix="speaker-swarm-"))
    if processes > 1:
        return SwarmProcesses(broker_url, pairs, cache_root=root, keepalive=keepalive, processes=processes)
    swarm = Swarm(broker_url, pairs, cache_root=root, keepalive=keepalive)
    swarm._thread.start()
    return swarm


def child_main(broker_url: str, cache_root: str, keepalive: str) -> None:
    """One process of a SwarmProcesses: its devices as a JSON line on stdin, then "stop" to end; tells its
    parent every event and, every 0.2 s while it changes, how many of its agents are online."""
    devices = [tuple(pair) for pair in json.loads(sys.stdin.readline())]
    lock = threading.Lock()

    def tell(message: dict) -> None:
        with lock:
            sys.stdout.write(json.dumps(message) + "\n")
            sys.stdout.flush()

    def on_event(device, event, bulletin, moment) -> None:
        tell({"device": device, "event": event, "bulletin": bulletin, "at": moment})

    raise_file_limit()
    swarm = Swarm(broker_url, devices, cache_root=Path(cache_root), keepalive=int(keepalive), on_event=on_event)
    swarm._thread.start()
    stopping = threading.Event()

    def count_online() -> None:
        last = -1
        while not stopping.wait(0.2):
            if (online := swarm.connected()) != last:
                last = online
                tell({"online": online})

    threading.Thread(target=count_online, daemon=True).start()
    for line in sys.stdin:
        if line.strip() == "stop":
            break
    stopping.set()
    swarm.stop()


if __name__ == "__main__":
    child_main(*sys.argv[1:4])
