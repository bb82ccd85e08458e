"""Text-to-speech real-time factor of the smart radio: a 1,000-syllable commune bulletin, including
normalisation, espeak-ng, loudness normalisation and Ogg Opus encoding (tinhso.radio.speech.synthesize).

The bulletin is made of golden-set sentences (plans, emergencies, meetings, digital transformation)
taken in order until their reading reaches 1,000 syllables. For each voice: median of 5 runs (after
one warm-up) of the whole synthesis with chime; real-time factor = processing time / audio duration.

Run: python -m bench.radio_tts      Target: real-time factor <= 0.05.
"""

import os
import statistics
import time

from .common import ROOT  # noqa: F401  (puts the project on sys.path)

SYLLABLES = 1000
RUNS = 5


def bulletin() -> str:
    from tinhso.radio.speech import normalize
    from tinhso.radio.speech.tests.golden import golden_pairs

    sentences, syllables = [], 0
    for written, _ in golden_pairs():
        sentences.append(written)
        syllables += len(normalize(written).split())
        if syllables >= SYLLABLES:
            break
    return " ".join(sentences)


def time_runs(action, runs: int = RUNS) -> list[float]:
    action()  # warm-up: espeak-ng's dictionaries and ffmpeg's libraries into the page cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from tinhso.radio.speech import VOICES, normalize, synthesize

    text = bulletin()
    reading = normalize(text)
    normalising = statistics.median(time_runs(lambda: normalize(text), runs=20))
    print(
        f"bulletin: {len(text):,} characters written, {len(reading.split()):,} syllables read; "
        f"normalisation alone: median {normalising * 1000:.1f} ms"
    )
    for voice in VOICES:
        speech = synthesize(text, voice=voice, chime=True)
        times = time_runs(lambda voice=voice: synthesize(text, voice=voice, chime=True))
        median = statistics.median(times)
        print(
            f"radio tts {voice}: median {median:.2f} s (min {min(times):.2f}, max {max(times):.2f}; {RUNS} runs), "
            f"audio {speech.duration:.1f} s, real-time factor {median / speech.duration:.4f} (target <= 0.05), "
            f"{len(speech.audio):,} bytes = {len(speech.audio) / speech.duration:,.0f} bytes/s"
        )


if __name__ == "__main__":
    main()
