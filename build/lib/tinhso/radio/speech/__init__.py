"""Vietnamese speech for the smart radio: the text normaliser, espeak-ng synthesis and audio conversion.

normalize(text, lexicon=None) -> str
synthesize(text, *, voice="north", rate=None, chime=False, lexicon=None) -> Speech
convert_audio(data, filename) -> Speech
"""

from .audio import AudioError, Speech
from .convert import convert_audio
from .normalizer import normalize
from .reading import foreign_words
from .synthesis import VOICES, synthesize

__all__ = ["VOICES", "AudioError", "Speech", "convert_audio", "foreign_words", "normalize", "synthesize"]
