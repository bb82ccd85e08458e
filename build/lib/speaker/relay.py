"""Relaying a stream (tiếp sóng) with a fallback for dead air.

ffmpeg reads the stream and runs `silencedetect` on it; its stderr tells us two things every half second:
the output clock (`time=`), which stops advancing when the stream stalls or drops, and `silence_start` /
`silence_end`, when the level stays under -50 dB. "Good audio" is the clock advancing outside silence.
After 5 s without good audio (a dead URL, a stalled server, a studio playing silence) the relay switches
to the fallback file, looped, while a monitor-only ffmpeg keeps retrying the stream; once the stream has
carried good audio for 2 s again, the relay switches back. With a real player the stream is decoded to WAV
and piped into the player's stdin; with the null player it is decoded and discarded.
"""

import asyncio
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from .player import Playback, signal_group

SILENCE_LIMIT = 5.0
RECOVERY = 2.0
TICK = 0.5
CLOCK = re.compile(r"time=(\d+):(\d+):(\d+(?:\.\d+)?)")


def ffmpeg_command(url: str, *, to_stdout: bool) -> list[str]:
    sink = ["-f", "wav", "pipe:1"] if to_stdout else ["-f", "null", "-"]
    return [
        "ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "info", "-stats_period", str(TICK),
        "-rw_timeout", "5000000", "-i", url, "-vn", "-af", "silencedetect=noise=-50dB:d=0.5", *sink,
    ]  # fmt: skip


def probe_duration(path: Path, default: float = 10.0) -> float:
    try:
        result = subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
            capture_output=True,
            text=True,
            timeout=5,
        )
        return float(result.stdout.strip())
    except (OSError, ValueError, subprocess.SubprocessError):
        return default


class RelaySession(Playback):
    def __init__(
        self,
        url: str,
        fallback: Callable[[], Path | None],
        player,
        volume: int,
        report: Callable[[str, str], None],
    ):
        # fallback: where the fallback file is, asked when needed (it may still be downloading at start)
        self.url, self.fallback, self.player, self.volume, self.report = url, fallback, player, volume, report
        self.loop = asyncio.get_running_loop()
        self.mode = "stream"
        self.stopped = False
        self.last_good = time.monotonic()
        self.good_since: float | None = None
        self.silent = False
        self.retry_delay = 1.0
        self._generation = 0
        self._processes: list[asyncio.subprocess.Process] = []
        self._fallback_playback: Playback | None = None
        self._fallback_duration: float | None = None
        self._tick = self.loop.call_later(TICK, self._check)
        self._launch()

    # -- the stream process -------------------------------------------------
    def _launch(self) -> None:
        self._generation += 1
        self.loop.create_task(self._run(self._generation, audible=self.mode == "stream"))

    async def _run(self, generation: int, *, audible: bool) -> None:
        sink_command = self.player.stdin_command(self.volume) if audible else None
        try:
            ffmpeg = await self._spawn(sink_command)
        except OSError as error:
            self.report("failed", f"cannot start ffmpeg: {error}")
            return
        await self._follow(ffmpeg)
        await ffmpeg.wait()
        self.good_since = None
        if not self.stopped and generation == self._generation:
            self.loop.call_later(self.retry_delay, self._relaunch, generation)
            self.retry_delay = min(self.retry_delay * 2, SILENCE_LIMIT)

    async def _spawn(self, sink_command: list[str] | None) -> asyncio.subprocess.Process:
        stdout = asyncio.subprocess.DEVNULL
        if sink_command:
            read_end, stdout = os.pipe()
            sink = await asyncio.create_subprocess_exec(
                *sink_command, stdin=read_end, stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
            os.close(read_end)
            self._processes.append(sink)
        try:
            ffmpeg = await asyncio.create_subprocess_exec(
                *ffmpeg_command(self.url, to_stdout=bool(sink_command)),
                stdout=stdout,
                stderr=asyncio.subprocess.PIPE,
                start_new_session=True,
            )
        finally:
            if sink_command:
                os.close(stdout)
        self._processes.append(ffmpeg)
        return ffmpeg

    def _relaunch(self, generation: int) -> None:
        if not self.stopped and generation == self._generation:
            self._launch()

    async def _follow(self, ffmpeg: asyncio.subprocess.Process) -> None:
        """Read ffmpeg's stderr (lines end in \\r for progress, \\n for log lines)."""
        buffer = b""
        while chunk := await ffmpeg.stderr.read(4096):
            buffer += chunk
            *lines, buffer = re.split(rb"[\r\n]", buffer)
            for line in lines:
                self._observe(line.decode(errors="replace"))

    def _observe(self, line: str) -> None:
        now = time.monotonic()
        if "silence_start" in line:
            self.silent, self.good_since = True, None
        elif "silence_end" in line:
            self.silent = False
        elif CLOCK.search(line) and not self.silent:
            self.last_good = now
            self.retry_delay = 1.0
            self.good_since = self.good_since or now

    def _stop_processes(self) -> None:
        self._generation += 1
        for process in self._processes:
            if process.returncode is None:
                signal_group(process.pid, signal.SIGKILL)
        self._processes = []

    # -- switching between stream and fallback ----------------------------------
    def _check(self) -> None:
        if self.stopped:
            return
        now = time.monotonic()
        if self.mode == "stream" and now - self.last_good >= SILENCE_LIMIT:
            self._to_fallback("silent" if self.silent else "lost")
        elif self.mode == "fallback" and self.good_since and now - self.good_since >= RECOVERY:
            self._to_stream()
        self._tick = self.loop.call_later(TICK, self._check)

    def _to_fallback(self, why: str) -> None:
        self.mode = "fallback"
        self._stop_processes()
        self.good_since = None
        plays = "playing fallback" if self.fallback() else "no fallback audio yet"
        self.report("failed", f"stream {why} for {SILENCE_LIMIT:g} s; {plays}; retrying the stream")
        self._play_fallback(True, "")
        self._launch()  # monitor only, to notice when the stream comes back

    def _to_stream(self) -> None:
        self.mode = "stream"
        self._stop_fallback()
        self._stop_processes()
        self.last_good = time.monotonic()
        self.report("play", "stream resumed")
        self._launch()

    def _play_fallback(self, ok: bool, _detail: str) -> None:
        if self.stopped or self.mode != "fallback":
            return
        path = self.fallback()
        if not ok or path is None:  # a broken player would spin, a missing file may still arrive: in a second
            self.loop.call_later(1.0, self._play_fallback, True, "")
            return
        if self._fallback_duration is None:
            self._fallback_duration = probe_duration(path)
        self._fallback_playback = self.player.play(path, self._fallback_duration, self.volume, self._play_fallback)

    def _stop_fallback(self) -> None:
        if self._fallback_playback:
            self._fallback_playback.stop()
            self._fallback_playback = None

    def stop(self) -> None:
        self.stopped = True
        self._tick.cancel()
        self._stop_fallback()
        self._stop_processes()
