"""A party body's papers follow the party's layout (Hướng dẫn 36-HD/VPTW), a state body's Decree 30."""

import pypdfium2
import pytest

from tinhso.meetings import pdf, services
from tinhso.meetings.models import Body

from .conftest import data, member

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def test_a_party_cells_resolution_has_the_partys_header_and_number(world):
    record = services.save_record(world.meeting, actor=world.secretary, kind="resolution", text="Chi bộ quyết nghị")
    services.publish_record(record, actor=world.secretary)
    text = text_of(pdf.record_pdf(record))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "ĐẢNG BỘ XÃ XUÂN ÁI" in text and "CHI BỘ THÔN KHE DỨA" in text
    assert "-NQ/CB" in text and "T/M CHI BỘ" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text and "Độc lập" not in text
    invitation = text_of(pdf.invitation_pdf(world.meeting))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in invitation and "-GM/CB" in invitation


def test_a_party_committee_signs_for_the_committee_under_the_province(world):
    committee = Body.objects.create(unit=world.tree.new_xuan_ai, name="Đảng bộ xã Xuân Ái", kind="party_committee")
    secretary = member(committee, "bithu-dangbo", "secretary")
    meeting = services.create_meeting(committee, actor=secretary, data=data())
    text = text_of(pdf.invitation_pdf(meeting))
    assert "ĐẢNG BỘ TỈNH LÀO CAI" in text and "-GM/ĐU" in text and "T/M ĐẢNG ỦY" in text


def test_a_peoples_committee_keeps_the_state_header(world):
    body = Body.objects.create(unit=world.tree.new_xuan_ai, name="UBND xã Xuân Ái", kind="peoples_committee")
    chair = member(body, "chutich", "chair")
    meeting = services.create_meeting(body, actor=chair, data=data())
    text = text_of(pdf.invitation_pdf(meeting))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "ĐẢNG CỘNG SẢN" not in text and "/GM" in text
