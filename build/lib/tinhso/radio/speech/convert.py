"""convert_audio(): an uploaded file or a browser recording -> the same Ogg Opus bulletins use."""

from pathlib import Path
from tempfile import TemporaryDirectory

from django.utils.translation import gettext as _

from .audio import MAX_SECONDS, AudioError, Speech, duration_of, encode, probe

EXTENSIONS = {"mp3", "wav", "ogg", "oga", "opus", "m4a", "aac", "mp4", "webm", "weba"}
TIMEOUT = 300  # seconds for thirty minutes of audio on a busy two-core server


def convert_audio(data: bytes, filename: str) -> Speech:
    """MP3, WAV, OGG, M4A/AAC or WebM (MediaRecorder) -> Speech; AudioError with a Vietnamese sentence."""
    if not data:
        raise AudioError(_("The audio file is empty."))
    extension = Path(filename or "").suffix.lower().lstrip(".")
    if extension not in EXTENSIONS:
        raise AudioError(_("This kind of file is not supported: send MP3, WAV, OGG, M4A or WebM audio."))
    with TemporaryDirectory(prefix="tinhso-audio-") as folder:
        source = Path(folder) / f"upload.{extension}"
        source.write_bytes(data)
        _check_source(source)
        target = Path(folder) / "bulletin.ogg"
        # Browser recordings often carry no duration in their header: cap the decoding instead.
        loudness = encode(source, target, timeout=TIMEOUT, limit_seconds=MAX_SECONDS + 1)
        duration = duration_of(target)
        if duration > MAX_SECONDS + 0.5:
            raise AudioError(_("The audio is too long: at most 30 minutes."))
        if duration < 0.05:
            raise AudioError(_("The audio file is empty."))
        if loudness is None:  # a muted microphone records a file full of silence
            raise AudioError(_("The recording is silent: check the microphone and record again."))
        return Speech(audio=target.read_bytes(), duration=round(duration, 3))


def _check_source(source: Path) -> None:
    info = probe(source)
    if not any(stream.get("codec_type") == "audio" for stream in info.get("streams", [])):
        raise AudioError(_("The audio file is damaged or is not audio."))
    declared = info.get("format", {}).get("duration")
    if declared not in (None, "N/A") and float(declared) > MAX_SECONDS + 1:
        raise AudioError(_("The audio is too long: at most 30 minutes."))
