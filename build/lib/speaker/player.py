"""Players: how a file (or a stream decoded to WAV on stdin) becomes sound on the board.

A player is a command template with `{file}` (and optionally `{volume}`, 0–100). The null player makes no
sound: it "plays" for the item's duration, which is what tests and the fan-out benchmark need.
"""

import asyncio
import contextlib
import os
import shlex
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

PRESETS = {
    "ffplay": "ffplay -nodisp -autoexit -loglevel error -volume {volume} {file}",
    "mpv": "mpv --no-video --really-quiet --volume={volume} {file}",
    # aplay reads only PCM, so ffmpeg decodes first; "$0" is the file (or "-" for stdin)
    "aplay": "sh -c 'ffmpeg -nostdin -loglevel error -i \"$0\" -f wav - | aplay -q' {file}",
}
STDIN = "-"

# on_end(ok, detail) is called once when playback ends by itself, never after stop()
EndCallback = Callable[[bool, str], None]


class Playback(Protocol):
    """Something playing: a timer, a player process, a relay session."""

    def stop(self) -> None: ...


class TimerPlayback(Playback):
    def __init__(self, duration: float, on_end: EndCallback):
        self._handle = asyncio.get_running_loop().call_later(max(duration, 0.05), on_end, True, "")

    def stop(self) -> None:
        self._handle.cancel()


class ProcessPlayback(Playback):
    """A player process in its own process group, so stopping it also stops a shell pipeline."""

    def __init__(self, args: list[str], on_end: EndCallback | None, *, stdin: int | None = None):
        self.args = args
        self.stopped = False
        self.process: asyncio.subprocess.Process | None = None
        self._on_end = on_end
        self._task = asyncio.get_running_loop().create_task(self._run(stdin))

    async def _run(self, stdin: int | None) -> None:
        try:
            self.process = await asyncio.create_subprocess_exec(
                *self.args,
                stdin=stdin if stdin is not None else asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as error:
            self._finish(False, f"cannot start player: {error}")
            return
        if self.stopped:
            self._kill()
        error_text = await self.process.stderr.read()
        code = await self.process.wait()
        self._finish(code == 0, error_text.decode(errors="replace").strip()[-300:] or f"exit status {code}")

    def _finish(self, ok: bool, detail: str) -> None:
        if not self.stopped and self._on_end:
            self._on_end(ok, "" if ok else detail)

    def stop(self) -> None:
        if self.stopped:
            return
        self.stopped = True
        self._kill()

    def _kill(self) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        signal_group(self.process.pid, signal.SIGTERM)
        asyncio.get_running_loop().call_later(1.0, signal_group, self.process.pid, signal.SIGKILL)


def signal_group(pid: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, number)


class NullPlayer:
    name = "null"

    def play(self, path: Path, duration: float, volume: int, on_end: EndCallback) -> Playback:
        return TimerPlayback(duration, on_end)

    def stdin_command(self, volume: int) -> list[str] | None:
        return None  # a relay's decoded stream is discarded


class CommandPlayer:
    def __init__(self, template: str):
        self.name = template
        self.template = shlex.split(PRESETS.get(template, template))
        if not any("{file}" in token for token in self.template):
            raise ValueError(f"player command needs {{file}}: {template}")

    def command(self, file: str, volume: int) -> list[str]:
        return [token.replace("{file}", file).replace("{volume}", str(volume)) for token in self.template]

    def play(self, path: Path, duration: float, volume: int, on_end: EndCallback) -> Playback:
        return ProcessPlayback(self.command(str(path), volume), on_end)

    def stdin_command(self, volume: int) -> list[str] | None:
        return self.command(STDIN, volume)


def make_player(spec: str) -> NullPlayer | CommandPlayer:
    return NullPlayer() if spec == "null" else CommandPlayer(spec)
