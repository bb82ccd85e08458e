"""synthesize(): text -> spoken bulletin with espeak-ng's Vietnamese voices.

Rate: espeak-ng's "words per minute" counts Vietnamese syllables; at its default of 175 it says about
4.8 syllables a second, too quick for horn loudspeakers that echo between houses. The default of 115
gives about 3.2 syllables a second in running speech and 2.6 with the pauses at punctuation
(measured on the bench bulletin): a careful announcer's pace on an outdoor system.
"""

import array
import math
import re
import wave
from functools import lru_cache
from pathlib import Path
from tempfile import TemporaryDirectory

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .audio import AudioError, Speech, encode, run
from .normalizer import normalize

VOICES = {
    "north": gettext_lazy("Northern voice"),
    "central": gettext_lazy("Central voice"),
    "south": gettext_lazy("Southern voice"),
}
ESPEAK_VOICES = {"north": "vi", "central": "vi-vn-x-central", "south": "vi-vn-x-south"}
DEFAULT_RATE = 115
MIN_RATE, MAX_RATE = 80, 220
MAX_CHARACTERS = 5000
CHUNK_CHARACTERS = 600  # sentences are grouped into espeak-ng runs of about this size
ESPEAK_RATE_HZ = 22050  # espeak-ng's output format: 16-bit mono at 22,050 Hz


def synthesize(text: str, *, voice: str = "north", rate: int | None = None, chime: bool = False, lexicon=None):
    """The spoken bulletin for `text` (its reading in Speech.text); AudioError for unusable input."""
    rate = _checked(text, voice, rate)
    reading = normalize(text.strip(), lexicon, southern=voice == "south")
    if not re.search(r"\w", reading):
        raise AudioError(_("There is no text to read."))
    with TemporaryDirectory(prefix="tinhso-speech-") as folder:
        folder_path = Path(folder)
        frames = [
            _speak(chunk, ESPEAK_VOICES[voice], rate, folder_path / f"part-{number}.wav")
            for number, chunk in enumerate(sentences(reading))
        ]
        if chime:
            frames = [chime_frames(), _silence(0.3), *frames, _silence(0.3), chime_frames()]
        joined = folder_path / "bulletin.wav"
        count = _write_wav(joined, frames)
        target = folder_path / "bulletin.ogg"
        encode(joined, target, timeout=120)
        return Speech(audio=target.read_bytes(), duration=round(count / ESPEAK_RATE_HZ, 3), text=reading)


def _checked(text: str, voice: str, rate: int | None) -> int:
    stripped = (text or "").strip()
    if not stripped:
        raise AudioError(_("There is no text to read."))
    if len(stripped) > MAX_CHARACTERS:
        raise AudioError(_("The text is too long: at most 5,000 characters."))
    if voice not in ESPEAK_VOICES:
        raise AudioError(_("Unknown voice: choose the northern, central or southern voice."))
    rate = DEFAULT_RATE if rate is None else int(rate)
    if not MIN_RATE <= rate <= MAX_RATE:
        raise AudioError(_("The speaking rate must be between 80 and 220 words per minute."))
    return rate


def sentences(reading: str, limit: int = CHUNK_CHARACTERS) -> list[str]:
    """Sentences grouped into chunks of at most about `limit` characters (a longer sentence stays whole)."""
    chunks: list[str] = []
    for sentence in re.split(r"(?<=[.!?;\n])\s+", reading):
        if chunks and len(chunks[-1]) + len(sentence) < limit:
            chunks[-1] += " " + sentence
        elif sentence.strip():
            chunks.append(sentence)
    return chunks


def _speak(chunk: str, espeak_voice: str, rate: int, target: Path) -> bytes:
    command = ["espeak-ng", "-v", espeak_voice, "-s", str(rate), "-b", "1", "-w", str(target)]
    result = run(command, stdin=chunk.encode(), timeout=60)
    if result.returncode != 0 or not target.exists():
        raise AudioError(_("The speech engine failed to read this text."))
    with wave.open(str(target), "rb") as part:
        frames = part.readframes(part.getnframes())
    target.unlink()
    return frames


def _write_wav(path: Path, parts: list[bytes]) -> int:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(ESPEAK_RATE_HZ)
        for part in parts:
            out.writeframes(part)
        return out.getnframes()


def _silence(seconds: float) -> bytes:
    return bytes(2 * int(seconds * ESPEAK_RATE_HZ))


@lru_cache(maxsize=1)
def chime_frames() -> bytes:
    """A two-tone 'ding-dong' (E5 then C5, with a soft octave and a bell-like decay), made here."""
    samples = array.array("h")
    for frequency in (659.25, 523.25):
        length = int(0.55 * ESPEAK_RATE_HZ)
        for index in range(length):
            moment = index / ESPEAK_RATE_HZ
            envelope = min(1.0, moment / 0.01) * math.exp(-4.0 * moment)
            tone = math.sin(2 * math.pi * frequency * moment) + 0.3 * math.sin(4 * math.pi * frequency * moment)
            samples.append(int(12000 * envelope * tone))
    return samples.tobytes()
