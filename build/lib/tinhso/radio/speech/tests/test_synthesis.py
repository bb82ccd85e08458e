"""synthesize() with the real espeak-ng and ffmpeg: what a commune officer hears in the preview."""

import pytest
from django.utils import translation

from tinhso.radio.speech import VOICES, AudioError, Speech, synthesize
from tinhso.radio.speech.synthesis import sentences

from .conftest import loudness, stream_of

BULLETIN = "UBND xã Xuân Ái thông báo: bão số 3 có gió giật cấp 12, bà con chằng chống nhà cửa trước 17h ngày 7/9/2024."


def test_a_bulletin_becomes_compact_loudness_normalised_ogg_opus(tmp_path, clean_tmp):
    speech = synthesize(BULLETIN)
    assert isinstance(speech, Speech)
    assert speech.audio.startswith(b"OggS")
    assert stream_of(speech.audio, tmp_path) == {"codec_name": "opus", "channels": "1", "format_name": "ogg"}
    assert speech.content_type == "audio/ogg" and speech.extension == "ogg"
    assert len(speech.audio) / speech.duration <= 8 * 1024
    integrated, peak = loudness(speech.audio, tmp_path)
    assert -17.5 <= integrated <= -14.5
    assert peak <= -1.5
    assert list(clean_tmp.iterdir()) == []


def test_the_speech_carries_its_reading_and_checksum():
    speech = synthesize(BULLETIN)
    assert speech.text.startswith("Ủy ban nhân dân xã Xuân Ái thông báo: bão số ba")
    assert "mười bảy giờ ngày bảy tháng chín năm hai nghìn không trăm hai mươi tư" in speech.text
    import hashlib

    assert speech.sha256 == hashlib.sha256(speech.audio).hexdigest()


def test_the_chime_plays_before_and_after_the_speech():
    plain = synthesize(BULLETIN)
    chimed = synthesize(BULLETIN, chime=True)
    assert 2.5 <= chimed.duration - plain.duration <= 3.0  # two 1.1 s chimes and two 0.3 s pauses


def test_a_slower_rate_gives_a_longer_bulletin():
    default = synthesize(BULLETIN)
    slow = synthesize(BULLETIN, rate=90)
    fast = synthesize(BULLETIN, rate=175)
    assert slow.duration > default.duration > fast.duration


@pytest.mark.parametrize("voice", sorted(VOICES))
def test_each_regional_voice_speaks(voice):
    speech = synthesize("Bà con chú ý, thôn 3 mất điện từ 8h đến 11h.", voice=voice)
    assert speech.duration > 2


def test_the_three_voices_sound_different():
    readings = {synthesize("Xin chào bà con.", voice=voice).sha256 for voice in VOICES}
    assert len(readings) == 3


def test_a_long_bulletin_is_spoken_whole_in_several_runs_of_espeak():
    sentence = "Thôn Khe Hóp tổ chức tổng vệ sinh môi trường vào sáng Chủ nhật, mời bà con tham gia đầy đủ. "
    text = sentence * 40
    assert len(sentences(text)) > 4
    short = synthesize(sentence)
    whole = synthesize(text)
    assert whole.duration > 35 * short.duration


def test_sentences_are_grouped_without_losing_a_word():
    text = "Câu một. Câu hai! Câu ba? " * 100
    chunks = sentences(text)
    assert " ".join(chunks).split() == text.split()
    assert all(len(chunk) <= 620 for chunk in chunks)


@pytest.mark.parametrize(
    ("text", "options", "message"),
    [
        ("", {}, "There is no text to read."),
        ("   \n ", {}, "There is no text to read."),
        ("... !!", {}, "There is no text to read."),
        ("a" * 5001, {}, "The text is too long: at most 5,000 characters."),
        ("Xin chào", {"voice": "hanoi"}, "Unknown voice: choose the northern, central or southern voice."),
        ("Xin chào", {"rate": 40}, "The speaking rate must be between 80 and 220 words per minute."),
    ],
)
def test_unusable_text_or_options_are_refused_with_a_clear_message(text, options, message):
    with translation.override("en"), pytest.raises(AudioError) as refused:
        synthesize(text, **options)
    assert str(refused.value) == message


def test_five_thousand_characters_are_accepted():
    text = ("Bà con chú ý. " * 400)[:5000]
    assert synthesize(text).duration > 60


def test_a_commune_dictionary_changes_what_is_said():
    speech = synthesize("Họp tại nhà văn hóa KDC số 2.", lexicon={"KDC": "khu đô thị"})
    assert "khu đô thị" in speech.text
