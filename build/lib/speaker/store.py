"""The agent's memory on disk: the last playlist version seen and the repetitions it has finished.

Written atomically (temporary file, fsync, rename) so a power cut leaves either the old or the new state,
and a reboot never replays a bulletin it already finished.
"""

import json
import os
from pathlib import Path


class StateStore:
    def __init__(self, directory: Path, *, durable: bool = True):
        self.path = Path(directory) / "state.json"
        self.durable = durable
        self.version = -1
        self.finished: dict[str, int] = {}
        self._directory_ready = False
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return  # first start, or a file damaged outside the agent: start empty rather than not at all
        self.version = int(data.get("version", -1))
        self.finished = {str(key): int(value) for key, value in (data.get("finished") or {}).items()}

    def finish_repetition(self, item: str) -> int:
        self.finished[item] = self.finished.get(item, 0) + 1
        self.save()
        return self.finished[item]

    def accept_version(self, version: int, items: set[str]) -> None:
        """Remember the playlist version, and forget items that left the playlist so the file stays small.

        The version alone is not worth a disk write on every playlist: after a reboot the first playlist
        is the broker's retained one, the newest. It is saved with the next finished repetition.
        """
        self.version = version
        kept = {key: value for key, value in self.finished.items() if key in items}
        if kept != self.finished:
            self.finished = kept
            self.save()

    def save(self) -> None:
        if not self._directory_ready:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._directory_ready = True
        temporary = self.path.with_suffix(".tmp")
        with open(temporary, "w") as handle:
            json.dump({"version": self.version, "finished": self.finished}, handle)
            if self.durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temporary, self.path)
