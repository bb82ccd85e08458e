"""Certificates with a QR that opens a public verification page: what digital-citizen and contest certificates
share (the Decree-30 layout of `tinhso.core.documents`, the QR, several certificates in one PDF), and the contest
certificates themselves.

A contest certificate is a row (`ContestCertificate`, issued by `services.issue_contest_certificate`) whose
random code the QR carries; the page reads the row. Before the rows, the code was the participation and its grade
signed with the site's key; such a code is still accepted on the same address (`verified_participation`) while
the key and the grade are unchanged, since certificates may have been printed with it.
"""

import uuid
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tinhso.core.documents import Document, Issuer, Signer, render_html, weasyprint_html
from tinhso.core.qr import qr_svg

from .models import ContestCertificate, Participation

SALT = "learning.contest-certificate"


def document(*, issuer: str, unit, number_symbol: str, day, title: str, body_html: str, verify_url: str, signer):
    """One certificate in the Decree-30 layout, issued in `unit`, ending with the QR and its address."""
    body = (
        f"{body_html}<p>Quét mã để kiểm tra giấy chứng nhận:</p>{qr_svg(verify_url, scale=3)}"
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


def legacy_code(participation: Participation) -> str:
    """The signed code the first contest certificates carried (kept to check them; new ones are rows)."""
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


@dataclass
class Verified:
    """What the verification page states about a certificate, whichever kind of code it was found by."""

    name: str
    contest: str
    issuer: str
    score: float
    max_score: float | None
    rank: int | None
    day: object
    revoked_at: object = None
    revoked_reason: str = ""
    newer_on: object = None  # the date of a later certificate of the same person and contest


def verify(code: str) -> Verified | None:
    """The certificate a QR code names: a row by its random code, else a code of the earlier signed format."""
    try:
        key = uuid.UUID(code)
    except ValueError:
        return _verify_legacy(code)
    found = ContestCertificate.objects.select_related("contest__unit").filter(code=key).first()
    if found is None:
        return None
    newer = (
        ContestCertificate.objects.filter(
            contest_id=found.contest_id, user_id=found.user_id, issued_at__gt=found.issued_at, revoked_at=None
        )
        .exclude(user=None)
        .order_by("-issued_at")
        .first()
    )
    return Verified(
        name=found.name,
        contest=found.contest.title,
        issuer=str(found.contest.unit),
        score=found.score,
        max_score=found.max_score,
        rank=found.rank,
        day=timezone.localdate(found.issued_at),
        revoked_at=found.revoked_at,
        revoked_reason=found.revoked_reason,
        newer_on=timezone.localdate(newer.issued_at) if newer else None,
    )


def _verify_legacy(code: str) -> Verified | None:
    participation = verified_participation(code)
    if participation is None:
        return None
    return Verified(
        name=str(participation.user),
        contest=participation.contest.title,
        issuer=str(participation.contest.unit),
        score=participation.grade,
        max_score=None,
        rank=rank_of(participation),
        day=timezone.localdate(participation.finished_at),
    )


def contest_document(certificate: ContestCertificate, verify_url: str) -> Document:
    contest = certificate.contest
    rank = certificate.rank
    place = f"<p>đạt <strong>giải — hạng {rank}</strong></p>" if rank else ""
    body = (
        f"<p>Chứng nhận ông/bà <strong>{escape(certificate.name)}</strong>"
        f"{', ' + escape(certificate.unit) if certificate.unit else ''}</p>"
        f"<p>đã hoàn thành cuộc thi <strong>{escape(contest.title)}</strong> với kết quả "
        f"<strong>{certificate.score:g}</strong> điểm.</p>{place}"
    )
    return document(
        issuer=f"BAN TỔ CHỨC CUỘC THI — {str(contest.unit).upper()}",
        unit=contest.unit,
        number_symbol=f"{contest.pk}-{certificate.pk}/GCN",
        day=timezone.localdate(certificate.issued_at),
        title=f"Cuộc thi {contest.title}",
        body_html=body,
        verify_url=verify_url,
        signer=Signer(title="TRƯỞNG BAN TỔ CHỨC"),
    )


def verification_path(certificate: ContestCertificate) -> str:
    return reverse("learning:contest_certificate_verify", args=[str(certificate.code)])
