"""The printable invitation (for members without a phone), the minutes and the resolution as Decree-30 PDFs
(tinhso.core.documents: A4, Liberation Serif / Noto Serif for Vietnamese). Confidential documents are never
listed in them."""

from django.utils import timezone
from django.utils.html import escape, linebreaks

from tinhso.core.documents import BLANK_NUMBER, Document, Issuer, Signer, render_pdf

from .choices import BodyKind, RecordKind
from .models import Meeting, Record

KINDS = {"invitation": "GIẤY MỜI", RecordKind.MINUTES: "BIÊN BẢN", RecordKind.RESOLUTION: "NGHỊ QUYẾT"}
SYMBOLS = {"invitation": "GM", RecordKind.MINUTES: "BB", RecordKind.RESOLUTION: "NQ"}


PARTY_KINDS: dict[str, str] = {
    BodyKind.PARTY_CELL: "CB",
    BodyKind.PARTY_COMMITTEE: "ĐU",
}  # -NQ/CB of a cell, -NQ/ĐU of a committee


# The word before a unit's name in a party organisation's name ("Đảng bộ xã Xuân Ái"); documents are Vietnamese
UNIT_WORDS = {
    "tinh": "tỉnh",
    "thanh_pho_tw": "thành phố",
    "huyen": "huyện",
    "thi_xa": "thị xã",
    "thanh_pho": "thành phố",
    "quan": "quận",
    "xa": "xã",
    "phuong": "phường",
    "thi_tran": "thị trấn",
    "dac_khu": "đặc khu",
}


def _is_party(meeting: Meeting) -> bool:
    return meeting.body.kind in PARTY_KINDS


def _issuer(meeting: Meeting) -> Issuer:
    body, unit = meeting.body, meeting.body.unit
    if not _is_party(meeting):
        return Issuer(name=body.name.upper(), parent_name=unit.name.upper())
    # A party cell's superior is the party organisation of its unit ("Đảng bộ xã Xuân Ái"); a committee's is
    # that of the unit above
    superior = unit if body.kind == BodyKind.PARTY_CELL else unit.parent
    parent = ""
    if superior:
        word = UNIT_WORDS.get(superior.unit_type, "")
        named = superior.name if superior.name.lower().startswith(word) else f"{word} {superior.name}".strip()
        parent = f"Đảng bộ {named}"
    return Issuer(name=body.name.upper(), parent_name=parent.upper())


def _number(meeting: Meeting, kind: str, number: str = "") -> str:
    """A state body's "…/NQ" (Decree 30) or a party body's "…-NQ/CB" (Hướng dẫn 36-HD/VPTW)."""
    if number:
        return number
    if _is_party(meeting):
        return f"{BLANK_NUMBER}-{SYMBOLS[kind]}/{PARTY_KINDS[meeting.body.kind]}"
    return f"{BLANK_NUMBER}/{SYMBOLS[kind]}"


def _signer(meeting: Meeting) -> Signer:
    if _is_party(meeting):
        authority = "T/M CHI BỘ" if meeting.body.kind == BodyKind.PARTY_CELL else "T/M ĐẢNG ỦY"
        return Signer(authority=authority, title="BÍ THƯ")
    return Signer(title="CHỦ TỊCH")


def _place(meeting: Meeting) -> str:
    return meeting.body.unit.short_name or meeting.body.unit.name


def invitation_pdf(meeting: Meeting) -> bytes:
    start = timezone.localtime(meeting.starts_at)
    agenda = "".join(f"<li>{escape(item.title)}</li>" for item in meeting.agenda.all())
    parts = [
        f"<p>{escape(meeting.body.name)} trân trọng kính mời đồng chí dự {escape(meeting.title)}.</p>",
        f"<p>Thời gian: {start:%H} giờ {start:%M}, ngày {start.day}/{start.month}/{start.year}.</p>",
    ]
    if meeting.place:
        parts.append(f"<p>Địa điểm: {escape(meeting.place)}.</p>")
    if meeting.online_link:
        parts.append(f"<p>Họp trực tuyến: {escape(meeting.online_link)}</p>")
    if agenda:
        parts.append(f"<p>Nội dung:</p><ol>{agenda}</ol>")
    parts.append("<p>Đề nghị đồng chí nghiên cứu tài liệu trước cuộc họp và dự họp đúng giờ.</p>")
    return render_pdf(
        Document(
            issuer=_issuer(meeting),
            number_symbol=_number(meeting, "invitation"),
            place=_place(meeting),
            day=timezone.localdate(),
            kind=KINDS["invitation"],
            title=meeting.title,
            body_html="".join(parts),
            signer=_signer(meeting),
            party=_is_party(meeting),
        )
    )


def record_pdf(record: Record) -> bytes:
    meeting = record.meeting
    day = timezone.localtime(record.published_at or meeting.starts_at).date()
    return render_pdf(
        Document(
            issuer=_issuer(meeting),
            number_symbol=_number(meeting, record.kind, record.number),
            place=_place(meeting),
            day=day,
            kind=KINDS[record.kind],
            title=meeting.title,
            body_html=linebreaks(escape(record.text)),
            signer=_signer(meeting),
            party=_is_party(meeting),
        )
    )
