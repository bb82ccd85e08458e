"""convert_audio(): uploads and browser recordings become the same Ogg Opus as synthesised bulletins.
Inputs are real files made by ffmpeg from a sine source."""

import subprocess

import pytest
from django.utils import translation

from tinhso.radio.speech import AudioError, convert_audio

from .conftest import loudness, stream_of

FORMATS = {
    "mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
    "wav": ["-c:a", "pcm_s16le"],
    "ogg": ["-c:a", "libvorbis"],
    "m4a": ["-c:a", "aac", "-b:a", "64k"],
    "webm": ["-c:a", "libopus", "-b:a", "32k"],  # what Chrome's and Firefox's MediaRecorder produce
}


def make_audio(folder, extension, seconds=4.0, frequency=440, rate=44100, channels=2) -> bytes:
    path = folder / f"source.{extension}"
    source = f"sine=frequency={frequency}:duration={seconds}:sample_rate={rate}"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", source, "-ac", str(channels), *FORMATS[extension],
         str(path)],
        check=True, timeout=120,
    )  # fmt: skip
    return path.read_bytes()


@pytest.mark.parametrize("extension", sorted(FORMATS))
def test_each_upload_format_becomes_normalised_mono_ogg_opus(extension, tmp_path, clean_tmp):
    data = make_audio(tmp_path, extension, seconds=4)
    speech = convert_audio(data, f"Thông báo xã.{extension.upper()}")
    assert stream_of(speech.audio, tmp_path) == {"codec_name": "opus", "channels": "1", "format_name": "ogg"}
    assert speech.duration == pytest.approx(4.0, abs=0.1)
    assert len(speech.audio) / speech.duration <= 8 * 1024
    assert speech.text == ""
    integrated, peak = loudness(speech.audio, tmp_path)
    assert -17.5 <= integrated <= -14.5
    assert peak <= -1.5
    assert list(clean_tmp.iterdir()) == []


def test_a_quiet_recording_is_brought_up_to_broadcast_loudness(tmp_path):
    path = tmp_path / "quiet.wav"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=300:duration=3", "-af", "volume=-30dB",
         str(path)],
        check=True, timeout=60,
    )  # fmt: skip
    integrated, _ = loudness(convert_audio(path.read_bytes(), "quiet.wav").audio, tmp_path)
    assert integrated == pytest.approx(-16, abs=1.5)


def english_message(data: bytes, filename: str) -> str:
    with translation.override("en"), pytest.raises(AudioError) as refused:
        convert_audio(data, filename)
    return str(refused.value)


def test_an_empty_file_is_refused():
    assert english_message(b"", "recording.webm") == "The audio file is empty."


def test_an_unsupported_kind_of_file_is_refused(tmp_path):
    assert english_message(b"%PDF-1.7 not audio", "report.pdf") == (
        "This kind of file is not supported: send MP3, WAV, OGG, M4A or WebM audio."
    )
    assert english_message(make_audio(tmp_path, "wav"), "no-extension").startswith("This kind of file")


def test_a_corrupt_file_is_refused(tmp_path):
    garbage = bytes(range(256)) * 64
    assert english_message(garbage, "bulletin.mp3") == "The audio file is damaged or is not audio."
    truncated = make_audio(tmp_path, "m4a")[:200]
    assert english_message(truncated, "bulletin.m4a") == "The audio file is damaged or is not audio."


def test_a_text_file_named_like_audio_is_refused():
    assert english_message("Thông báo họp thôn".encode() * 100, "thong-bao.ogg") == (
        "The audio file is damaged or is not audio."
    )


def test_audio_longer_than_thirty_minutes_is_refused(tmp_path):
    path = tmp_path / "long.ogg"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "1850", "-c:a", "libopus",
         "-b:a", "6k", str(path)],
        check=True, timeout=300,
    )  # fmt: skip
    assert english_message(path.read_bytes(), "long.ogg") == "The audio is too long: at most 30 minutes."


def test_a_browser_recording_without_a_declared_duration_is_converted(tmp_path):
    path = tmp_path / "recording.webm"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=500:duration=5", "-c:a", "libopus",
         "-live", "1", "-f", "webm", str(path)],
        check=True, timeout=60,
    )  # fmt: skip
    speech = convert_audio(path.read_bytes(), "recording.webm")
    assert speech.duration == pytest.approx(5.0, abs=0.1)


def test_a_silent_recording_is_refused(tmp_path):
    path = tmp_path / "muted.webm"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono", "-t", "3", "-c:a", "libopus",
         str(path)],
        check=True, timeout=60,
    )  # fmt: skip
    assert english_message(path.read_bytes(), "muted.webm") == (
        "The recording is silent: check the microphone and record again."
    )


def test_the_error_is_a_value_error_with_its_message():
    with pytest.raises(ValueError, match="empty"), translation.override("en"):
        convert_audio(b"", "x.mp3")
