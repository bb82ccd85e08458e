"""Certificates with a QR that opens a public verification page: what digital-citizen and contest certificates
share (the Decree-30 layout of `tinhso.core.documents`, the QR, several certificates in one PDF), and the contest
certificates themselves.

A contest certificate is not stored: it states a finished participation, and its verification code is that
participation and its grade signed with the site's key (`django.core.signing`). A forged code, or one whose grade
no longer matches (a better attempt since), verifies as nothing.
"""

import io

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tinhso.core.documents import Document, Issuer, Signer, render_html, weasyprint_html

from .models import Participation

SALT = "learning.contest-certificate"


def qr_svg(url: str) -> str:
    import segno

    svg = io.BytesIO()
    segno.make(url, error="m").save(svg, kind="svg", scale=3, xmldecl=False, svgns=True)
    return svg.getvalue().decode()


def document(*, issuer: str, unit, number_symbol: str, day, title: str, body_html: str, verify_url: str, signer):
    """One certificate in the Decree-30 layout, issued in `unit`, ending with the QR and its address."""
    body = (
        f"{body_html}<p>Quét mã để kiểm tra giấy chứng nhận:</p>{qr_svg(verify_url)}"
        f"<p style='font-size:10pt'>{escape(verify_url)}</p>"
    )
    return Document(
        issuer=Issuer(name=issuer),
        number_symbol=number_symbol,
        place=unit.short_name or str(unit),
        day=day,
        kind="GIẤY CHỨNG NHẬN",
        title=title,
        body_html=body,
        signer=signer,
    )


def pdf(documents: list[Document]) -> bytes:
    """Every certificate in one PDF, one after another (the organiser prints the winners' at once)."""
    html = weasyprint_html()
    rendered = [html(string=render_html(each)).render() for each in documents]
    pages = [page for each in rendered for page in each.pages]
    return rendered[0].copy(pages).write_pdf()


def contest_code(participation: Participation) -> str:
    return signing.dumps({"p": participation.pk, "g": participation.grade}, salt=SALT, compress=True)


def verified_participation(code: str) -> Participation | None:
    try:
        signed = signing.loads(code, salt=SALT)
    except signing.BadSignature:
        return None
    found = Participation.objects.select_related("contest__unit", "user", "unit").filter(pk=signed.get("p")).first()
    return found if found and found.grade == signed.get("g") and found.finished_at else None


def rank_of(participation: Participation) -> int | None:
    """The place among the contest's winners (the Excel winners sheet's order), or None."""
    from .reports import winners

    best = winners(Participation.objects.filter(contest_id=participation.contest_id))
    return next((place for place, row in enumerate(best, 1) if row.pk == participation.pk), None)


def contest_document(participation: Participation, verify_url: str, rank: int | None) -> Document:
    contest = participation.contest
    place = f"<p>đạt <strong>giải — hạng {rank}</strong></p>" if rank else ""
    body = (
        f"<p>Chứng nhận ông/bà <strong>{escape(participation.user)}</strong>"
        f"{', ' + escape(participation.unit) if participation.unit else ''}</p>"
        f"<p>đã hoàn thành cuộc thi <strong>{escape(contest.title)}</strong> với kết quả "
        f"<strong>{participation.grade:g}</strong> điểm.</p>{place}"
    )
    return document(
        issuer=f"BAN TỔ CHỨC CUỘC THI — {str(contest.unit).upper()}",
        unit=contest.unit,
        number_symbol=f"{contest.pk}-{participation.pk}/GCN",
        day=timezone.localdate(participation.finished_at),
        title=f"Cuộc thi {contest.title}",
        body_html=body,
        verify_url=verify_url,
        signer=Signer(title="TRƯỞNG BAN TỔ CHỨC"),
    )


def verification_path(participation: Participation) -> str:
    return reverse("learning:contest_certificate_verify", args=[contest_code(participation)])
