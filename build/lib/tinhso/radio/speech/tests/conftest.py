import re
import subprocess
from pathlib import Path

import pytest


def loudness(audio: bytes, folder: Path) -> tuple[float, float]:
    """(integrated loudness in LUFS, true peak in dBTP) of an audio file, measured by ffmpeg's ebur128."""
    path = folder / "measured.ogg"
    path.write_bytes(audio)
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128=peak=true:framelog=verbose",
         "-f", "null", "-"],
        capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    integrated = re.findall(rb"^\s+I:\s+(-?[\d.]+) LUFS", result.stderr, re.MULTILINE)[-1]
    peak = re.findall(rb"^\s+Peak:\s+(-?[\d.]+|-inf) dBFS", result.stderr, re.MULTILINE)[-1]
    return float(integrated), float(peak)


def stream_of(audio: bytes, folder: Path) -> dict:
    path = folder / "probed.ogg"
    path.write_bytes(audio)
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "stream=codec_name,channels:format=format_name",
         "-of", "default=nw=1", str(path)],
        capture_output=True, timeout=30, check=True, text=True,
    )  # fmt: skip
    return dict(line.split("=", 1) for line in result.stdout.splitlines())


@pytest.fixture
def clean_tmp(tmp_path, monkeypatch):
    """Temporary files of synthesis and conversion go to a folder of our own, to check they are removed."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(folder))
    return folder
