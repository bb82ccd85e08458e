"""Administrative documents laid out per Decree 30/2020/NĐ-CP (Appendix I), as PDF.

The layout rules followed: A4; margins 20 mm top and bottom, 30 mm left, 15 mm right; Times New
Roman (here its metric twin Liberation Serif, with Noto Serif for any missing glyph) at 13–14 pt;
the issuing authority top left and the national motto top right, each with its rule beneath;
number/symbol under the authority; place and date in italics under the motto, with a leading
zero for days below 10 and for months 1 and 2; bold centred title; justified body with a
first-line indent; "Nơi nhận" bottom left and the signature block bottom right.
With `party=True` the header is the party's (Hướng dẫn 36-HD/VPTW): "ĐẢNG CỘNG SẢN VIỆT NAM" top right, the
superior party organisation and the issuing one top left with a star beneath, "Số 01-NQ/CB".
"""

import datetime
from dataclasses import dataclass, field

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Issuer:
    name: str  # "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    parent_name: str = ""  # "UBND TỈNH YÊN BÁI"


@dataclass(frozen=True)
class Signer:
    title: str  # "GIÁM ĐỐC"
    name: str = ""
    authority: str = ""  # "TM. ỦY BAN NHÂN DÂN", "KT. GIÁM ĐỐC"...


@dataclass(frozen=True)
class Document:
    issuer: Issuer
    number_symbol: str  # "80/KH-UBND"
    place: str  # "Yên Bái"
    day: datetime.date
    kind: str  # "BÁO CÁO", "KẾ HOẠCH"...
    title: str  # "Kết quả thực hiện chỉ tiêu chuyển đổi số năm 2024"
    body_html: str
    recipients: list[str] = field(default_factory=lambda: ["Như trên;", "Lưu: VT."])
    signer: Signer = field(default_factory=lambda: Signer(title=""))
    # A party organisation's document (Hướng dẫn 36-HD/VPTW): "ĐẢNG CỘNG SẢN VIỆT NAM" top right instead of the
    # national motto, a star under the issuing organisation, "Số 01-NQ/CB" without a colon.
    party: bool = False


# The number is written in by hand when the document is registered, so it is left blank.
BLANK_NUMBER = "\u00a0" * 8


def commune_report(
    *, commune: str, place: str, day: datetime.date, title: str, body_html: str, recipients: list[str]
) -> Document:
    """A report of a commune People's Committee, signed by its chairman (TM. ỦY BAN NHÂN DÂN)."""
    return Document(
        issuer=Issuer(name=f"ỦY BAN NHÂN DÂN {commune.upper()}"),
        number_symbol=f"{BLANK_NUMBER}/BC-UBND",
        place=place,
        day=day,
        kind="BÁO CÁO",
        title=title,
        body_html=body_html,
        recipients=recipients,
        signer=Signer(authority="TM. ỦY BAN NHÂN DÂN", title="CHỦ TỊCH"),
    )  # fmt: skip


def date_line(place: str, day: datetime.date) -> str:
    """'Yên Bái, ngày 05 tháng 01 năm 2024' — days below 10 and months 1–2 take a leading zero."""
    day_text = f"{day.day:02d}" if day.day < 10 else str(day.day)
    month_text = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day_text} tháng {month_text} năm {day.year}"


def render_html(document: Document) -> str:
    return render_to_string(
        "core/documents/decree30.html", {"doc": document, "date_line": date_line(document.place, document.day)}
    )


def weasyprint_html():
    """WeasyPrint's `HTML`, imported without its side effect: on import WeasyPrint sets Pillow's
    LOAD_TRUNCATED_IMAGES for the whole process, after which a cut upload (a photo sent over a weak link) was
    published with its missing half grey instead of being refused. The flag is put back as it was."""
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    from weasyprint import HTML

    ImageFile.LOAD_TRUNCATED_IMAGES = before
    return HTML


def render_pdf(document: Document) -> bytes:
    return weasyprint_html()(string=render_html(document)).write_pdf()
