"""The printable invitation (for members without a phone), the minutes and the resolution as Decree-30 PDFs
(tinhso.core.documents: A4, Liberation Serif / Noto Serif for Vietnamese). Confidential documents are never
listed in them."""

from django.utils import timezone
from django.utils.html import escape, linebreaks

from tinhso.core.documents import BLANK_NUMBER, Document, Issuer, Signer, render_pdf

from .choices import RecordKind
from .models import Meeting, Record

KINDS = {"invitation": "GIẤY MỜI", RecordKind.MINUTES: "BIÊN BẢN", RecordKind.RESOLUTION: "NGHỊ QUYẾT"}
SYMBOLS = {"invitation": "GM", RecordKind.MINUTES: "BB", RecordKind.RESOLUTION: "NQ"}


def _issuer(meeting: Meeting) -> Issuer:
    return Issuer(name=meeting.body.name.upper(), parent_name=meeting.body.unit.name.upper())


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
            number_symbol=f"{BLANK_NUMBER}/{SYMBOLS['invitation']}",
            place=_place(meeting),
            day=timezone.localdate(),
            kind=KINDS["invitation"],
            title=meeting.title,
            body_html="".join(parts),
            signer=Signer(title="BÍ THƯ" if meeting.body.kind == "party_cell" else "CHỦ TỊCH"),
        )
    )


def record_pdf(record: Record) -> bytes:
    meeting = record.meeting
    day = timezone.localtime(record.published_at or meeting.starts_at).date()
    return render_pdf(
        Document(
            issuer=_issuer(meeting),
            number_symbol=record.number or f"{BLANK_NUMBER}/{SYMBOLS[record.kind]}",
            place=_place(meeting),
            day=day,
            kind=KINDS[record.kind],
            title=meeting.title,
            body_html=linebreaks(escape(record.text)),
            signer=Signer(title="BÍ THƯ" if meeting.body.kind == "party_cell" else "CHỦ TỊCH"),
        )
    )
