"""Bulletin audio: the one place that calls the speech package and stores its output by checksum.

The speech package is imported inside the functions: the pages and the bridge load without it, and a
missing espeak-ng shows as a clear error when a bulletin is rendered, not at start-up.
"""

import importlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from .models import PronunciationEntry

AUDIO_FOLDER = "radio/audio"


def speech_module():
    return importlib.import_module("tinhso.radio.speech")


def lexicon_for(unit) -> dict[str, str]:
    """The pronunciation dictionary that applies to a unit: its own entries and its ancestors'.

    A closer unit wins, so a village can read a name differently from its commune.
    """
    if unit is None:
        return {}
    ids = [*unit.ancestor_ids, unit.pk]
    depth = {pk: position for position, pk in enumerate(ids)}
    entries = sorted(PronunciationEntry.objects.filter(unit_id__in=ids), key=lambda entry: depth[entry.unit_id])
    return {entry.written: entry.spoken for entry in entries}


def normalize(text: str, unit=None) -> str:
    return speech_module().normalize(text, lexicon=lexicon_for(unit))


def speak(bulletin):
    """The bulletin's text as speech (tinhso.radio.speech.synthesize with the sender's dictionary)."""
    return speech_module().synthesize(
        bulletin.text,
        voice=bulletin.voice,
        rate=bulletin.rate,
        chime=bulletin.chime,
        lexicon=lexicon_for(bulletin.unit),
    )


def convert(data: bytes, filename: str):
    return speech_module().convert_audio(data, filename)


def audio_error_types() -> tuple[type[Exception], ...]:
    return (speech_module().AudioError,)


def store(speech) -> str:
    """Save the audio under its checksum (the same sound is stored once) and return the storage name."""
    name = f"{AUDIO_FOLDER}/{speech.sha256}.ogg"
    if not default_storage.exists(name):
        saved = default_storage.save(name, ContentFile(speech.audio))
        if saved != name:  # a concurrent writer stored the same bytes first
            default_storage.delete(saved)
    return name


def path_for_checksum(sha256: str) -> str:
    return f"{AUDIO_FOLDER}/{sha256}.ogg"
