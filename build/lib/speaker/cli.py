"""`python -m speaker --broker mqtt://... --device c-5f3a9e2b --password ... --server http://... --player null`"""

import argparse
import asyncio
import json
import logging
import signal
import sys
from pathlib import Path

from . import __version__
from .agent import Agent
from .config import Config
from .downloader import Downloader
from .player import make_player
from .store import StateStore


def parse_arguments(argv: list[str] | None = None) -> Config:
    parser = argparse.ArgumentParser(prog="speaker", description="Tỉnh Số speaker cluster agent")
    parser.add_argument("--broker", required=True, help="mqtt://host:port (mqtts:// for TLS)")
    parser.add_argument("--device", required=True, help="device id, also the MQTT client id and user name")
    parser.add_argument("--password", required=True, help="the password shown when the cluster was created")
    parser.add_argument("--server", default="", help="http base URL of the platform (for information)")
    parser.add_argument("--player", default="null", help='null, ffplay, mpv, aplay or a command with "{file}"')
    parser.add_argument("--cache", type=Path, default=Path("/var/cache/tinhso-speaker"), help="audio and state")
    parser.add_argument("--keepalive", type=int, default=30, help="seconds between status messages")
    parser.add_argument("--volume-command", default="", help='e.g. "amixer -q sset Master {volume}%%"')
    parser.add_argument("--version", action="version", version=__version__)
    arguments = parser.parse_args(argv)
    return Config(
        broker=arguments.broker,
        device=arguments.device,
        password=arguments.password,
        server=arguments.server,
        player=arguments.player,
        cache=arguments.cache,
        keepalive=arguments.keepalive,
        volume_command=arguments.volume_command,
    )


def print_event(record: dict) -> None:
    print(json.dumps(record, ensure_ascii=False), flush=True)


async def run(config: Config) -> None:
    config.cache.mkdir(parents=True, exist_ok=True)
    downloader = Downloader(config.cache)
    agent = Agent(
        config,
        player=make_player(config.player),
        downloader=downloader,
        store=StateStore(config.cache),
        sink=print_event,
    )
    finished = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, finished.set)
    agent.start()
    await finished.wait()
    agent.stop()
    await asyncio.sleep(0.3)  # let the offline status and DISCONNECT leave the socket
    downloader.close()


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s %(message)s")
    try:
        config = parse_arguments(argv)
        make_player(config.player)
    except ValueError as error:
        print(f"speaker: {error}", file=sys.stderr)
        return 2
    asyncio.run(run(config))
    return 0
