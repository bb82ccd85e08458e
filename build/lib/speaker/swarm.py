"""Many simulated speaker clusters in one process, for the fan-out benchmark.

Each simulated cluster is a real `Agent` with the null player and its own MQTT connection, device id
and state directory; they share one asyncio loop (one thread) and one content-addressed audio cache,
as agents on one machine would. The swarm notes the wall-clock time of every event of every agent.

    swarm = start_swarm("mqtt://127.0.0.1:18830", [("c-0001", "pw"), ...])
    t0 = time.time(); publish...; latencies = swarm.wait_for("play", bulletin=42, count=1356, timeout=10, since=t0)
"""

import asyncio
import resource
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
    def __init__(self, broker_url: str, devices: Sequence[tuple[str, str]], *, cache_root: Path, keepalive: int):
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
            agent.start()
            self.agents.append(agent)
            if number % CONNECT_BATCH == 0:
                await asyncio.sleep(0.01)

    def _recorder(self, device: str):
        def record(event: dict) -> None:
            moment = time.time()
            with self._changed:
                self._times[(event["event"], event["bulletin"])][device].append(moment)
                self._changed.notify_all()

        return record

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


def start_swarm(
    broker_url: str,
    devices: Sequence[tuple[str, str]] | Sequence[str],
    *,
    password: str = "",
    cache_root: Path | None = None,
    keepalive: int = 30,
) -> Swarm:
    """Start one agent per device (a device id, or a (device id, password) pair) and return at once;
    `Swarm.wait_connected` tells when they are all online."""
    raise_file_limit()
    pairs = [device if isinstance(device, tuple) else (device, password) for device in devices]
    root = Path(cache_root) if cache_root else Path(tempfile.mkdtemp(prefix="speaker-swarm-"))
    swarm = Swarm(broker_url, pairs, cache_root=root, keepalive=keepalive)
    swarm._thread.start()
    return swarm
