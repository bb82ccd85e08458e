"""espeak-ng must never switch to English (or any other language) on a normalised bulletin.

`espeak-ng -v vi -q -x` prints the phonemes it would say; a word it takes as foreign is wrapped in
language switches, e.g. `(en)z'A:7loU1(vi)` for "Zalo". We assert that no switch appears."""

import re
import subprocess

import pytest

from tinhso.radio.speech import normalize

from .golden import golden_pairs

SWITCH = re.compile(r"\([a-z]{2,3}(?:-[a-z]+)?\)")
VOICES = ("vi", "vi-vn-x-central", "vi-vn-x-south")


def phonemes(text: str, voice: str = "vi") -> str:
    result = subprocess.run(
        ["espeak-ng", "-v", voice, "-q", "-x", "-b", "1"], input=text.encode(), capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.decode()


def test_the_check_catches_a_switch_to_english():
    assert SWITCH.search(phonemes("Kênh Zalo của xã"))
    assert not SWITCH.search(phonemes(normalize("Kênh Zalo của xã")))


@pytest.mark.parametrize("voice", VOICES)
def test_no_normalised_golden_sentence_makes_espeak_switch_language(voice):
    switched = []
    for written, _ in golden_pairs():
        spoken = phonemes(normalize(written), voice)
        if SWITCH.search(spoken):
            switched.append((written, re.findall(r"\([a-z]{2,3}\)[^(]*", spoken)))
    assert switched == []


def test_unknown_foreign_words_and_abbreviations_are_made_vietnamese():
    text = "Tải app Smartcity, đọc QRcode, xem Netflix, dùng GPS, ghé quán Highlands và Starbucks online."
    reading = normalize(text)
    assert not SWITCH.search(phonemes(reading)), reading


def test_other_scripts_and_emoji_are_left_out_rather_than_read_in_another_language():
    text = "Đoàn khách Привет, 中文 và Ωmega đến thăm xã 😀."
    assert SWITCH.search(phonemes(text))
    reading = normalize(text)
    assert not SWITCH.search(phonemes(reading)), reading
    assert reading.startswith("Đoàn khách")
