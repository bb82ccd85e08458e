"""Every sentence of the golden set reads exactly as an announcer would say it."""

import pytest

from tinhso.radio.speech import normalize

from .golden import golden_pairs

PAIRS = golden_pairs()


def test_the_golden_set_has_at_least_220_sentences_of_commune_radio_text():
    assert len(PAIRS) >= 220
    assert len({written for written, _ in PAIRS}) == len(PAIRS)


@pytest.mark.parametrize(("written", "reading"), PAIRS, ids=[str(number) for number in range(1, len(PAIRS) + 1)])
def test_golden_sentence_reads_as_expected(written, reading):
    assert normalize(written) == reading


def test_no_golden_reading_keeps_a_digit_or_a_symbol_the_voice_would_spell():
    for _, reading in PAIRS:
        assert not any(character.isdigit() or character in "%/&@+=<>°" for character in reading), reading
