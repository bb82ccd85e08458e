"""What the agent is told on its command line, and the topic names of protocol v1."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

TOPIC_ROOT = "tinhso/v1/devices"


@dataclass(frozen=True)
class Config:
    broker: str
    device: str
    password: str
    server: str = ""
    player: str = "null"
    cache: Path = Path("/var/cache/tinhso-speaker")
    keepalive: int = 30
    volume_command: str = ""
    reconnect_max: float = 30.0

    @property
    def broker_host(self) -> str:
        return urlparse(self.broker).hostname or "127.0.0.1"

    @property
    def broker_port(self) -> int:
        parsed = urlparse(self.broker)
        return parsed.port or (8883 if parsed.scheme in ("mqtts", "ssl") else 1883)

    @property
    def broker_tls(self) -> bool:
        return urlparse(self.broker).scheme in ("mqtts", "ssl")

    def topic(self, leaf: str) -> str:
        return f"{TOPIC_ROOT}/{self.device}/{leaf}"
