"""GIFT, Aiken and Moodle XML: every kind survives a round trip; a bad file names its bad lines."""

import pytest

from tinhso.learning import formats
from tinhso.learning.choices import QuestionKind
from tinhso.learning.formats import FormatError, Framework, ParsedQuestion, export_questions

# The framework as shipped (the tables' contents), without a database: tags are checked against it.
FRAMEWORK = Framework(
    domains=frozenset(range(1, 7)),
    competences={"1.1": 1, "1.2": 1, "2.1": 2, "4.2": 4, "6.2": 6},
    levels=frozenset(range(1, 9)),
)


def parse(format_name, text, framework=FRAMEWORK):
    return formats.parse(format_name, text, framework)


ALL_KINDS = [
    ParsedQuestion(
        QuestionKind.SINGLE,
        "Ứng dụng định danh điện tử quốc gia là gì?",
        {
            "choices": [
                {"text": "VNeID", "fraction": 100},
                {"text": "Zalo", "fraction": 0},
                {"text": "a = b {x} ~ #1: y", "fraction": 0},
            ]
        },
        name="Định danh",
        topic="Chính quyền số",
        domain=1,
        level=1,
        competence_codes=["1.1", "1.2"],
    ),
    ParsedQuestion(
        QuestionKind.MULTIPLE,
        "Những trụ cột của chuyển đổi số?",
        {
            "choices": [
                {"text": "Chính quyền số", "fraction": 33.33333},
                {"text": "Kinh tế số", "fraction": 33.33333},
                {"text": "Xã hội số", "fraction": 33.33334},
                {"text": "Bóng đá", "fraction": -100},
            ]
        },
        name="Trụ cột",
        topic="Chính quyền số",
        domain=2,
        level=3,
    ),
    ParsedQuestion(
        QuestionKind.TRUE_FALSE,
        "Yên Bái có 173 xã trước năm 2025.",
        {"answer": True},
        name="Số xã",
        topic="Địa phương",
        domain=1,
        level=1,
        competence_codes=["1.2"],
    ),
    ParsedQuestion(
        QuestionKind.SHORT,
        "Tên ứng dụng công dân số quốc gia?",
        {"answers": [{"text": "VNeID", "fraction": 100}, {"text": "VNe ID", "fraction": 50}]},
        name="Ứng dụng",
        topic="Địa phương",
    ),
    ParsedQuestion(
        QuestionKind.NUMERIC,
        "Yên Bái có bao nhiêu thôn, bản?",
        {"answers": [{"value": 1356.0, "tolerance": 0.0, "fraction": 100}]},
        name="Thôn",
        topic="Địa phương",
        domain=6,
        level=8,
        competence_codes=["6.2"],
    ),
    ParsedQuestion(
        QuestionKind.MATCHING,
        "Ghép viết tắt với nghĩa",
        {"pairs": [{"left": "CĐS", "right": "Chuyển đổi số"}, {"left": "DTI", "right": "Chỉ số chuyển đổi số"}]},
        name="Viết tắt",
        topic="Địa phương",
    ),
]


def essentials(question):
    return (
        question.kind,
        question.text,
        question.data,
        question.topic,
        question.domain,
        question.level,
        question.competence_codes,
    )


@pytest.mark.parametrize("format_name", ["gift", "moodlexml"])
def test_every_kind_survives_a_round_trip(format_name):
    read_back = parse(format_name, export_questions(format_name, ALL_KINDS))
    assert [essentials(q) for q in read_back] == [essentials(q) for q in ALL_KINDS]


def test_gift_keeps_the_titles():
    assert [q.name for q in parse("gift", export_questions("gift", ALL_KINDS))] == [q.name for q in ALL_KINDS]


def test_aiken_round_trips_single_choice_questions_and_leaves_the_others_out():
    exported = export_questions("aiken", ALL_KINDS)
    assert "ANSWER: A\nTAGS: domain-1 competence-1.1 competence-1.2 level-1\n" in exported
    read_back = parse("aiken", exported)
    no_topic = [essentials(q)[:3] + essentials(q)[4:] for q in (*read_back, ALL_KINDS[0])]  # Aiken has no topic
    assert no_topic[:-1] == no_topic[-1:]


def test_gift_and_moodle_xml_write_the_competence_tags():
    assert "// [tag:domain-1] [tag:competence-1.1] [tag:competence-1.2] [tag:level-1]" in export_questions(
        "gift", ALL_KINDS
    )
    assert "<text>competence-6.2</text>" in export_questions("moodlexml", ALL_KINDS)


def test_a_competence_tag_sets_its_domain_when_the_file_gives_none():
    (question,) = parse("gift", "// [tag:competence-4.2]\nCó nên chia sẻ mã OTP? {F}\n")
    assert (question.domain, question.competence_codes) == (4, ["4.2"])


@pytest.mark.parametrize(
    ("format_name", "text", "line"),
    [
        ("gift", "Câu 1 {T}\n\n// [tag:domain-4] [tag:competence-6.2]\nCâu 2 {T}\n", 4),
        ("gift", "// [tag:competence-9.9]\nCâu {T}\n", 2),
        ("aiken", "Câu?\nA. Có\nB. Không\nANSWER: A\nTAGS: level-9\n", 5),
        ("aiken", "TAGS: level-1\nCâu?\nA. Có\nB. Không\nANSWER: A\n", 1),
        (
            "moodlexml",
            "<quiz>\n<question type='truefalse'><questiontext><text>Câu</text></questiontext>"
            "<answer fraction='100'><text>true</text></answer><tags><tag><text>domain-7</text></tag></tags>"
            "</question>\n</quiz>",
            2,
        ),
    ],
)
def test_tags_the_framework_does_not_hold_are_errors_with_their_line(format_name, text, line):
    with pytest.raises(FormatError) as raised:
        parse(format_name, text)
    assert [error.line for error in raised.value.errors] == [line]


def test_the_tags_follow_the_framework_given():
    six_levels = Framework(domains=FRAMEWORK.domains, competences=FRAMEWORK.competences, levels=frozenset(range(1, 7)))
    text = "// [tag:level-6]\nCâu 1 {T}\n\n// [tag:level-7]\nCâu 2 {T}\n"
    with pytest.raises(FormatError) as raised:
        parse("gift", text, six_levels)
    assert [error.line for error in raised.value.errors] == [5]
    assert len(parse("gift", text)) == 2


def test_gift_reads_the_forms_people_write_by_hand():
    text = """// a comment
$CATEGORY: $course$/top/An toàn thông tin

::Mật khẩu::Mật khẩu mạnh có ít nhất bao nhiêu ký tự? {#8:0}

Thủ đô của Việt Nam là {=Hà Nội ~Huế #Sai rồi ~Đà Nẵng}.

Mã OTP có nên chia sẻ? {F}

Khoảng giá trị {#1..3}
"""
    questions = parse("gift", text)
    assert [q.kind for q in questions] == ["numeric", "single", "truefalse", "numeric"]
    assert questions[0].topic == "An toàn thông tin"
    assert questions[1].text == "Thủ đô của Việt Nam là _____ ."
    assert questions[1].data["choices"][1] == {"text": "Huế", "fraction": 0}
    assert questions[3].data["answers"][0] == {"value": 2.0, "tolerance": 1.0, "fraction": 100}


def test_a_malformed_gift_file_reports_every_bad_question_with_its_line():
    text = "Câu tốt {=a ~b}\n\nCâu thiếu ngoặc =a ~b}\n\n\nCâu không đúng {~a ~b}\n\n// [tag:domain-9]\nCâu {T}\n"
    with pytest.raises(FormatError) as raised:
        parse("gift", text)
    assert [error.line for error in raised.value.errors] == [3, 6, 9]
    assert "{…}" in raised.value.errors[0].message


def test_aiken_errors_name_their_lines():
    text = "Câu 1?\nA. Có\nB. Không\nANSWER: C\n\nCâu 2?\nA. Có\nC. Không\nANSWER: A\n\nCâu 3?\nA. Có\n"
    with pytest.raises(FormatError) as raised:
        parse("aiken", text)
    assert [error.line for error in raised.value.errors] == [4, 8, 11]


def test_moodle_xml_refuses_entities_and_doctype():
    hostile = '<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<quiz>&x;</quiz>'
    with pytest.raises(FormatError) as raised:
        parse("moodlexml", hostile)
    assert raised.value.errors[0].line == 2


def test_moodle_xml_names_the_line_of_broken_xml_and_of_unsupported_questions():
    with pytest.raises(FormatError) as raised:
        parse("moodlexml", "<quiz>\n<question type='essay'>\n</quiz>")
    assert raised.value.errors[0].line == 3
    essay = "<quiz>\n<question type='essay'><questiontext><text>Viết</text></questiontext></question>\n</quiz>"
    with pytest.raises(FormatError) as raised:
        parse("moodlexml", essay)
    assert raised.value.errors[0].line == 2


def test_an_empty_file_is_an_error_not_zero_questions():
    for format_name in ("gift", "aiken"):
        with pytest.raises(FormatError):
            parse(format_name, "\n\n")
