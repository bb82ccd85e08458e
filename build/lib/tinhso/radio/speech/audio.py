"""ffmpeg plumbing shared by synthesis and uploads: probe, normalise loudness, encode Ogg Opus.

Loudness: a fast two-pass equivalent of ffmpeg's loudnorm. loudnorm resamples everything to 192 kHz
and costs about 0.04 of real time on this class of machine (most of the 0.05 budget), so we
measure integrated loudness with ebur128 (after a gentle compressor that suits outdoor
loudspeakers), apply the gain that brings it to -16 LUFS, and catch peaks with a limiter set low
enough that the Opus encoder's overshoot stays under -1.5 dBTP.
"""

import hashlib
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from django.utils.translation import gettext as _

TARGET_LUFS = -16.0
LIMIT = 0.6  # linear sample peak after the limiter (-4.4 dBFS), leaves room for the codec's overshoot
LIMITER_LOSS_DB = 0.6  # what the limiter takes off the measured loudness of speech, added back
BITRATE = "24k"  # Opus voice at 24 kbit/s: about 3 KB per second of audio, well under 8 KB/s
SAMPLE_RATE = 24000
COMPRESSOR = "acompressor=threshold=0.1:ratio=4:attack=5:release=80:knee=4"
MAX_SECONDS = 30 * 60


class AudioError(ValueError):
    """Audio or text we cannot turn into a bulletin; the message is a sentence for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class Speech:
    audio: bytes
    duration: float
    text: str = ""
    sha256: str = field(init=False)
    content_type: ClassVar[str] = "audio/ogg"
    extension: ClassVar[str] = "ogg"

    def __post_init__(self):
        object.__setattr__(self, "sha256", hashlib.sha256(self.audio).hexdigest())


def run(command: list[str], *, timeout: float, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """A subprocess with a time limit; a hang or crash becomes an AudioError, never a stuck request."""
    try:
        return subprocess.run(command, input=stdin, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as error:
        raise AudioError(_("Audio processing took too long and was stopped.")) from error


def probe(path: Path) -> dict:
    """Streams and duration as ffprobe sees them; {} when ffprobe cannot read the file at all."""
    result = run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration:stream=codec_type", "-of", "json", str(path)],
        timeout=30,
    )
    if result.returncode != 0:
        return {}
    return json.loads(result.stdout or b"{}")


def measure_loudness(path: Path, *, timeout: float, limit_seconds: float | None = None) -> float | None:
    """Integrated loudness (LUFS) after the compressor; None for silence."""
    command = ["ffmpeg", "-hide_banner", "-nostats", "-i", str(path)]
    if limit_seconds:
        command += ["-t", str(limit_seconds)]
    command += ["-vn", "-af", f"{COMPRESSOR},ebur128=framelog=verbose", "-f", "null", "-"]
    result = run(command, timeout=timeout)
    found = re.findall(rb"^\s+I:\s+(-?[\d.]+) LUFS", result.stderr, re.MULTILINE)
    value = float(found[-1]) if found else None
    return None if value is None or value <= -69 else value


def encode(source: Path, target: Path, *, timeout: float, limit_seconds: float | None = None) -> float | None:
    """source (anything ffmpeg reads) -> Ogg Opus mono, loudness-normalised; raises AudioError on failure.
    Returns the loudness measured before normalisation (None: silence)."""
    loudness = measure_loudness(source, timeout=timeout, limit_seconds=limit_seconds)
    gain = 0.0 if loudness is None else TARGET_LUFS - loudness + LIMITER_LOSS_DB
    chain = f"{COMPRESSOR},volume={gain:.2f}dB,alimiter=limit={LIMIT}:attack=1:release=30:level=false"
    command = ["ffmpeg", "-v", "error", "-y", "-i", str(source), "-vn", "-map", "0:a:0"]
    if limit_seconds:
        command += ["-t", str(limit_seconds)]
    command += ["-af", f"{chain},aresample={SAMPLE_RATE}", "-ac", "1", "-c:a", "libopus", "-b:a", BITRATE,
                "-application", "voip", "-compression_level", "5", "-f", "ogg", str(target)]  # fmt: skip
    result = run(command, timeout=timeout)
    if result.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        raise AudioError(_("The audio file is damaged or is not audio."))
    return loudness


def duration_of(path: Path) -> float:
    seconds = probe(path).get("format", {}).get("duration")
    return float(seconds) if seconds not in (None, "N/A") else 0.0
