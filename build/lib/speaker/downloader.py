"""Audio files pulled over HTTP with the device's credentials, checked against their sha256 and cached
under the cache directory by checksum, so a repeated bulletin or a reboot costs no download."""

import asyncio
import base64
import hashlib
import os
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


class DownloadError(Exception):
    pass


class Downloader:
    """One download per checksum at a time, even when several agents share the cache (the swarm)."""

    def __init__(self, directory: Path, *, workers: int = 4, timeout: float = 30.0):
        self.directory = Path(directory) / "audio"
        self.timeout = timeout
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="download")
        self._running: dict[str, asyncio.Future] = {}
        self._present: set[str] = set()  # checked once, so deciding what to play costs no disk access

    def cached(self, sha256: str) -> Path | None:
        path = self.directory / f"{sha256}.audio"
        if sha256 in self._present or path.exists():
            self._present.add(sha256)
            return path
        return None

    async def fetch(self, url: str, sha256: str, credentials: tuple[str, str]) -> Path:
        path = self.cached(sha256)
        if path:
            return path
        if sha256 not in self._running:
            loop = asyncio.get_running_loop()
            self._running[sha256] = loop.run_in_executor(self._executor, self._download, url, sha256, credentials)
            self._running[sha256].add_done_callback(lambda _future: self._running.pop(sha256, None))
        return await asyncio.shield(self._running[sha256])

    def _download(self, url: str, sha256: str, credentials: tuple[str, str]) -> Path:
        token = base64.b64encode(":".join(credentials).encode()).decode()
        request = urllib.request.Request(url, headers={"Authorization": f"Basic {token}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                data = response.read()
        except urllib.error.HTTPError as error:
            raise DownloadError(f"http error {error.code}") from error
        except (OSError, ValueError) as error:
            raise DownloadError(f"http error: {error}") from error
        if hashlib.sha256(data).hexdigest() != sha256:
            raise DownloadError("checksum mismatch")
        return self._store(sha256, data)

    def _store(self, sha256: str, data: bytes) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{sha256}.audio"
        temporary = path.with_suffix(f".{os.getpid()}.part")
        temporary.write_bytes(data)
        os.replace(temporary, path)
        return path

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
