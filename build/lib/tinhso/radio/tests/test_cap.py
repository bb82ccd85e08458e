"""CAP 1.2: a provincial flood warning for Văn Yên communes comes in, its Cancel follows, a broken one is
refused with every problem named, and what we export validates against the OASIS schema."""

from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.utils import translation
from lxml import etree

from tinhso.radio.cap import (
    UNIT_GEOCODE,
    CapArea,
    CapError,
    CapMessage,
    build_cap,
    parse_cap,
    schema,
    unit_codes_for,
)
from tinhso.radio.schedule import VIETNAM

SAMPLES = Path(__file__).parent / "cap"
TODAY_UNITS = [("15", "Lào Cai"), ("04441", "Xuân Ái"), ("04300", "Khánh Hòa"), ("04441-01", "Khe Dứa")]


@pytest.fixture(autouse=True)
def _english():
    """Messages are compared as their English msgids; the Vietnamese wording lives in the catalogue."""
    with translation.override("en"):
        yield


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def test_the_vendored_schema_is_the_oasis_cap_1_2_schema():
    root = etree.parse(str(SAMPLES.parent.parent / "schemas" / "CAP-v1.2.xsd")).getroot()
    assert root.get("targetNamespace") == "urn:oasis:names:tc:emergency:cap:1.2"
    assert root.get("version") == "1.2"


def test_a_flood_warning_is_read_in_vietnamese():
    alert = parse_cap(sample("flood-van-yen.xml"))

    assert alert.identifier == "VN-15-PCTT-2026-0042"
    assert alert.sender == "bchpctt@laocai.gov.vn"
    assert alert.sent == datetime(2026, 9, 10, 5, 30, tzinfo=VIETNAM)
    assert (alert.status, alert.msg_type, alert.scope) == ("Actual", "Alert", "Public")
    assert alert.headline == "Cảnh báo lũ quét, sạt lở đất trên suối Ngòi Thia"
    assert alert.event == "Lũ quét"
    assert (alert.urgency, alert.severity, alert.certainty) == ("Immediate", "Severe", "Likely")
    assert alert.instruction.startswith("Người dân các thôn Khe Dứa")
    assert alert.expires == datetime(2026, 9, 10, 18, 0, tzinfo=VIETNAM)
    assert [area.description for area in alert.areas] == ["Xã Xuân Ái", "Xã Khánh Hòa; Thôn Khe Dứa"]
    assert alert.areas[0].geocodes == {UNIT_GEOCODE: ["04441"]}


def test_the_areas_of_the_flood_warning_name_three_units():
    alert = parse_cap(sample("flood-van-yen.xml"))

    assert unit_codes_for(alert, units=TODAY_UNITS) == ["04441", "04300", "04441-01"]


def test_area_names_match_without_accents_and_without_the_unit_word():
    alert = parse_cap(sample("flood-van-yen.xml"))
    alert.areas = [CapArea("xa khanh hoa và Khe Dua")]

    assert unit_codes_for(alert, units=TODAY_UNITS) == ["04300", "04441-01"]


def test_an_unknown_area_is_refused_rather_than_broadcast_elsewhere():
    alert = parse_cap(sample("flood-van-yen.xml"))
    alert.areas = [CapArea("Xã Xuân Ái"), CapArea("Xã Mậu A"), CapArea("", {UNIT_GEOCODE: ["99999"]})]

    with pytest.raises(CapError) as refused:
        unit_codes_for(alert, units=TODAY_UNITS)

    assert refused.value.problems == [
        "No administrative unit is called “Xã Mậu A” today.",
        "Unknown administrative unit code 99999.",
    ]


def test_an_ambiguous_name_asks_for_a_geocode():
    alert = parse_cap(sample("flood-van-yen.xml"))
    alert.areas = [CapArea("Xã Tân Hợp")]

    with pytest.raises(CapError) as refused:
        unit_codes_for(alert, units=[("1", "Tân Hợp"), ("2", "Xã Tân Hợp")])

    assert refused.value.problems == ["“Xã Tân Hợp” names several units; add a VN-DVHC geocode."]


def test_area_names_are_matched_to_units_valid_today(tree):
    """Xuân Ái of Văn Yên closed on 1/7/2025; today the name means the new Xuân Ái of Lào Cai."""
    alert = parse_cap(sample("flood-van-yen-cancel.xml"))

    assert unit_codes_for(alert) == [tree.new_xuan_ai.code]


def test_a_former_commune_name_reaches_the_commune_that_carries_on_its_territory(tree):
    """Yên Hợp merged into Xuân Ái on 1/7/2025; a warning system that still says "Xã Yên Hợp" reaches Xuân Ái."""
    alert = parse_cap(sample("flood-van-yen-cancel.xml"))
    alert.areas = [CapArea("Xã Yên Hợp")]

    assert unit_codes_for(alert) == [tree.new_xuan_ai.code]


def test_a_former_district_with_no_successor_is_refused(tree):
    alert = parse_cap(sample("flood-van-yen-cancel.xml"))
    alert.areas = [CapArea("Huyện Văn Yên")]

    with pytest.raises(CapError) as refused:
        unit_codes_for(alert)

    assert refused.value.problems == ["No administrative unit is called “Huyện Văn Yên” today."]


def test_a_cancel_names_the_alert_it_cancels():
    cancel = parse_cap(sample("flood-van-yen-cancel.xml"))

    assert cancel.msg_type == "Cancel"
    assert cancel.references == ["bchpctt@laocai.gov.vn,VN-15-PCTT-2026-0042,2026-09-10T05:30:00+07:00"]
    assert cancel.referenced_identifiers == ["VN-15-PCTT-2026-0042"]


def test_a_cancel_without_references_is_refused():
    xml = sample("flood-van-yen-cancel.xml").replace(b"<references>", b"<note>").replace(b"</references>", b"</note>")

    with pytest.raises(CapError) as refused:
        parse_cap(xml)

    assert refused.value.problems == ["A Cancel or Update must name the alert it replaces in <references>."]


def test_an_alert_without_sender_is_refused_naming_the_line_and_element():
    with pytest.raises(CapError) as refused:
        parse_cap(sample("flood-without-sender.xml"))

    assert refused.value.problems == ["Line 4: <sent> is out of place; <sender> is required here."]
    assert "<sender>" in str(refused.value)


def test_the_problem_reads_in_vietnamese_for_a_vietnamese_user():
    with translation.override("vi"), pytest.raises(CapError) as refused:
        parse_cap(sample("flood-without-sender.xml"))

    assert refused.value.problems == ["Dòng 4: thẻ <sent> đặt sai chỗ; tại đây bắt buộc phải có <sender>."]
    assert str(refused.value).startswith("Không tiếp nhận được cảnh báo CAP:")


def test_every_schema_problem_is_listed():
    xml = (
        sample("flood-van-yen-cancel.xml")
        .replace(b"<status>Actual", b"<status>Real")
        .replace(b"<urgency>Past</urgency>", b"")
    )

    with pytest.raises(CapError) as refused:
        parse_cap(xml)

    assert len(refused.value.problems) == 2
    assert refused.value.problems[0] == "Line 6: <status> has an invalid value “Real”."
    assert "<urgency>" in refused.value.problems[1]


@pytest.mark.parametrize(
    ("xml", "problem"),
    [
        (b"<alert><identifier>", "The file is not well-formed XML (line 1)."),
        (b"<alert/>", "This is not a CAP 1.2 alert (the document starts with <alert>)."),
        (
            b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.1"/>',
            "This is not a CAP 1.2 alert (the document starts with <alert>).",
        ),
    ],
)
def test_what_is_not_a_cap_1_2_alert_is_refused(xml, problem):
    with pytest.raises(CapError) as refused:
        parse_cap(xml)
    assert refused.value.problems == [problem]


def test_external_entities_are_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("mật khẩu")
    xml = sample("flood-van-yen.xml").replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE alert [<!ENTITY s SYSTEM "file://{secret}">]>'.encode(),
    )
    xml = xml.replace(b"<headline>C", b"<headline>&s;C")

    with pytest.raises(CapError) as refused:
        parse_cap(xml)

    assert refused.value.problems == ["A CAP alert may not declare a DOCTYPE."]
    assert "mật khẩu" not in str(refused.value)


WARNING = CapMessage(
    identifier="tinhso-radio-42",
    sender="ubnd.xuanai@laocai.gov.vn",
    sent=datetime(2026, 9, 10, 5, 45, tzinfo=VIETNAM),
    headline="Khẩn cấp: lũ quét trên suối Ngòi Thia",
    description="Đề nghị người dân thôn Khe Dứa, Nà Hẩu di chuyển lên nơi cao.",
    areas=[CapArea("Xuân Ái", {UNIT_GEOCODE: ["04441"]}), CapArea("Khe Dứa", {UNIT_GEOCODE: ["04441-01"]})],
    expires=datetime(2026, 9, 10, 18, 0, tzinfo=VIETNAM),
)


def test_what_we_build_validates_against_the_oasis_schema_with_vietnam_time():
    xml = build_cap(WARNING)

    assert schema().validate(etree.fromstring(xml))
    assert b"<sent>2026-09-10T05:45:00+07:00</sent>" in xml
    assert b"<language>vi-VN</language>" in xml
    assert b"<urgency>Immediate</urgency>" in xml


def test_build_then_parse_gives_back_the_alert():
    alert = parse_cap(build_cap(WARNING))

    assert (alert.identifier, alert.sender, alert.sent) == (WARNING.identifier, WARNING.sender, WARNING.sent)
    assert (alert.msg_type, alert.status, alert.scope) == ("Alert", "Actual", "Public")
    assert alert.headline == WARNING.headline
    assert alert.description == WARNING.description
    assert alert.expires == WARNING.expires
    assert alert.areas == WARNING.areas
    assert unit_codes_for(alert, units=TODAY_UNITS) == ["04441", "04441-01"]


def test_utc_times_are_written_in_vietnam_time():
    from datetime import UTC

    message = CapMessage(**{**WARNING.__dict__, "sent": datetime(2026, 9, 9, 22, 45, tzinfo=UTC)})

    assert b"<sent>2026-09-10T05:45:00+07:00</sent>" in build_cap(message)


def bulletin_like(**changes):
    unit = SimpleNamespace(name="Xuân Ái", code="04441", __str__=lambda self: "Xuân Ái")
    fields = {
        "pk": 42,
        "title": "Khẩn cấp: lũ quét",
        "text": "Đề nghị người dân di chuyển lên nơi cao.",
        "level": "emergency",
        "unit": unit,
        "target_units": [SimpleNamespace(name="Khe Dứa", code="04441-01")],
        "cap_identifier": "",
        "cap_sender": "ubnd.xuanai@laocai.gov.vn",
        "cap_references": [],
        "status": "on_air",
        "broadcast_at": datetime(2026, 9, 10, 5, 45, tzinfo=VIETNAM),
        "created_at": datetime(2026, 9, 10, 5, 40, tzinfo=VIETNAM),
        "cancelled_at": None,
        "expires_at": None,
    }
    return SimpleNamespace(**{**fields, **changes})


def test_a_bulletin_is_exported_as_an_alert_for_its_target_units():
    alert = parse_cap(build_cap(bulletin_like()))

    assert alert.identifier == "tinhso-radio-42"
    assert alert.msg_type == "Alert"
    assert alert.severity == "Extreme"
    assert alert.areas == [CapArea("Khe Dứa", {UNIT_GEOCODE: ["04441-01"]})]


def test_a_cancelled_bulletin_is_exported_as_a_cancel_referencing_the_alert():
    cancelled = bulletin_like(status="cancelled", cancelled_at=datetime(2026, 9, 10, 6, 0, tzinfo=VIETNAM))

    alert = parse_cap(build_cap(cancelled))

    assert alert.msg_type == "Cancel"
    assert alert.references == ["ubnd.xuanai@laocai.gov.vn,tinhso-radio-42,2026-09-10T05:45:00+07:00"]
    assert alert.sent == datetime(2026, 9, 10, 6, 0, tzinfo=VIETNAM)
    assert alert.identifier != "tinhso-radio-42"


def test_an_imported_update_keeps_its_references_on_export():
    update = bulletin_like(
        cap_identifier="VN-15-PCTT-2026-0044", cap_references=["a@b,VN-15-PCTT-2026-0042,2026-09-10T05:30:00+07:00"]
    )

    alert = parse_cap(build_cap(update))

    assert alert.msg_type == "Update"
    assert alert.referenced_identifiers == ["VN-15-PCTT-2026-0042"]


def test_a_real_emergency_exports_as_an_alert_and_after_cancel_as_a_cancel(radio):
    from tinhso.radio import services

    emergency = services.send_now(
        actor=radio.officer,
        title="Lũ quét trên suối Ngòi Thia",
        text="Đề nghị người dân di chuyển lên nơi cao.",
        level="emergency",
        kind="relay",
        stream_url="http://radio.example.vn/khan-cap",
        expires_at=datetime.now(VIETNAM) + timedelta(hours=2),
        targets=[radio.tree.new_khe_dua],
    )

    alert = parse_cap(build_cap(emergency))
    services.cancel(emergency, actor=radio.officer)
    emergency.refresh_from_db()
    cancel = parse_cap(build_cap(emergency))

    assert (alert.msg_type, alert.severity, alert.headline) == ("Alert", "Extreme", "Lũ quét trên suối Ngòi Thia")
    assert alert.areas == [CapArea(radio.tree.new_khe_dua.name, {UNIT_GEOCODE: ["04441-01"]})]
    assert alert.sent.utcoffset() == timedelta(hours=7)
    assert cancel.msg_type == "Cancel"
    assert cancel.referenced_identifiers == [alert.identifier]
