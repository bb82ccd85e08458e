"""The rules of the normaliser, one behaviour at a time (the golden set checks them in real sentences)."""

import pytest

from tinhso.radio.speech import foreign_words, normalize
from tinhso.radio.speech.numbers import read_number, roman_value
from tinhso.radio.speech.syllables import is_syllable


@pytest.mark.parametrize(
    ("value", "reading"),
    [
        (10, "mười"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (1356, "một nghìn ba trăm năm mươi sáu"),
        (2005, "hai nghìn không trăm linh năm"),
        (2024, "hai nghìn không trăm hai mươi tư"),
        (1_000_500, "một triệu năm trăm"),
        (1_015_000_000, "một tỷ không trăm mười lăm triệu"),
    ],
)
def test_numbers_use_the_irregular_vietnamese_forms(value, reading):
    assert read_number(value) == reading


def test_the_southern_reading_says_le_and_ngan():
    assert read_number(1105, southern=True) == "một ngàn một trăm lẻ năm"


def test_roman_numerals_are_recognised_only_when_well_formed():
    assert roman_value("XIX") == 19
    assert roman_value("XIII") == 13
    assert roman_value("IIII") is None
    assert roman_value("MÙA") is None


def test_vietnamese_syllables_are_told_apart_from_foreign_words():
    assert all(is_syllable(word) for word in ["nghiêng", "Quỳnh", "khuya", "gì", "Huế", "người", "Trạm"])
    assert not any(is_syllable(word) for word in ["net", "chat", "Zalo", "ok", "ce", "ghô"])


@pytest.mark.parametrize(
    ("written", "reading"),
    [
        ("ngày 27/3", "Ngày hai mươi bảy tháng ba"),
        ("đạt 16/22 mục tiêu", "Đạt mười sáu trên hai mươi hai mục tiêu"),
        ("tháng 4/2024", "Tháng tư năm hai nghìn không trăm hai mươi tư"),
        ("06:00", "Sáu giờ"),
        ("6h30", "Sáu giờ ba mươi phút"),
        ("thứ 4", "Thứ tư"),
        ("98,8%", "Chín mươi tám phẩy tám phần trăm"),
        ("1.356", "Một nghìn ba trăm năm mươi sáu"),
        ("4.0", "Bốn chấm không"),
        ("-3°C", "Âm ba độ xê"),
        ("2 tr.đ", "Hai triệu đồng"),
        ("khóa XIX", "Khóa mười chín"),
        ("gọi 113", "Gọi một một ba"),
        ("có 113 hộ", "Có một trăm mười ba hộ"),
        ("nhà số 113", "Nhà số một trăm mười ba"),
        ("gọi +84 912 345 678", "Gọi cộng tám tư, chín một hai, ba bốn năm, sáu bảy tám"),
        ("Nghỉ lễ 30/4", "Nghỉ lễ ba mươi tháng tư"),
        ("trực 24/7", "Trực hai mươi tư trên bảy"),
    ],
)
def test_rules_read_the_written_forms_of_government_text(written, reading):
    assert normalize(written) == reading


def test_a_document_code_is_number_then_kind_in_words_then_issuer():
    assert normalize("Kế hoạch số 80/KH-UBND") == "Kế hoạch số tám mươi, kế hoạch, ủy ban nhân dân"
    assert normalize("Nghị định 30/2020/NĐ-CP") == (
        "Nghị định số ba mươi, năm hai nghìn không trăm hai mươi, nghị định, chính phủ"
    )


@pytest.mark.parametrize(
    ("kind", "reading"),
    [
        ("QĐ", "quyết định"),
        ("NQ", "nghị quyết"),
        ("CT", "chỉ thị"),
        ("TB", "thông báo"),
        ("HD", "hướng dẫn"),
        ("TTr", "tờ trình"),
        ("BC", "báo cáo"),
        ("CĐ", "công điện"),
        ("GM", "giấy mời"),
        ("TT", "thông tư"),
        ("KL", "kết luận"),
    ],
)
def test_every_kind_of_document_in_a_code_is_read_as_its_word_never_spelled(kind, reading):
    assert normalize(f"Văn bản số 15/{kind}-UBND") == f"Văn bản số mười lăm, {reading}, ủy ban nhân dân"


def test_only_the_first_part_of_a_code_is_the_kind_of_document():
    """12/QĐ-CT: the decision of the chairman (CT spelled), not of a directive."""
    assert normalize("Số 12/QĐ-CT") == "Số mười hai, quyết định, xê tê"
    assert normalize("Chỉ thị số 05-CT/TU") == "Chỉ thị số năm, chỉ thị, tỉnh ủy"


@pytest.mark.parametrize(
    ("written", "reading"),
    [
        ("ĐVTN", "đoàn viên thanh niên"),
        ("ĐTNCS", "đoàn thanh niên cộng sản"),
        ("ĐVHC", "đơn vị hành chính"),
        ("BCHQS", "ban chỉ huy quân sự"),
        ("NVQS", "nghĩa vụ quân sự"),
        ("DTTS", "dân tộc thiểu số"),
        ("CTMTQG", "chương trình mục tiêu quốc gia"),
        ("VBQPPL", "văn bản quy phạm pháp luật"),
    ],
)
def test_government_abbreviations_are_read_as_words_not_spelled(written, reading):
    assert normalize(f"Gửi {written} thôn") == f"Gửi {reading} thôn"


def test_a_commune_dictionary_applies_before_the_built_in_rules():
    lexicon = {"KH": "khu hành chính", "Nậm Búng": "Nặm Bủng", "HTX Bình Minh": "hợp tác xã Bình Minh"}
    reading = normalize("KH số 2, xã Nậm Búng, HTX Bình Minh, kh", lexicon)
    assert reading == "Khu hành chính số hai, xã Nặm Bủng, hợp tác xã Bình Minh, ca hát"


def test_all_caps_dictionary_words_match_only_in_capitals_and_others_in_any_case():
    lexicon = {"CA": "công an", "tiktok": "tíc tóc"}
    assert normalize("CA xã, ca trực, TikTok", lexicon) == "Công an xã, ca trực, tíc tóc"


def test_unknown_abbreviations_and_foreign_words_are_spelled_the_vietnamese_way():
    assert normalize("GPS") == "Giê pê ét"
    assert normalize("mã H5N1") == "Mã hát năm nờ một"


def test_web_and_mail_addresses_are_read_part_by_part():
    assert normalize("https://yenbai.gov.vn/van-ban") == "Yên bai chấm gờ o vê chấm vê nờ gạch chéo van gạch ngang ban"
    assert normalize("a@yenbai.gov.vn") == "A a còng yên bai chấm gờ o vê chấm vê nờ"


def test_empty_or_blank_text_reads_as_nothing():
    assert normalize("") == ""
    assert normalize("  \n ") == ""


def test_a_dictionary_reading_can_be_checked_for_words_the_voice_would_not_take_as_vietnamese():
    assert foreign_words("Nặm Bủng, khu hành chính số 2") == []
    assert foreign_words("tíc tóc trên Facebook") == ["tíc", "Facebook"]
