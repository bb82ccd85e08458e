"""Contest certificates (issue 14: "prints certificates, PDF with a QR that verifies them"): a participant who
finished prints their own, the organiser prints every winner's in one PDF, and the QR's public page confirms a
certificate without anything private; a forged or unknown code is a Vietnamese 404 page."""

import pypdfium2
import pytest

from tinhso.accounts.testing import make_user, users_by_role
from tinhso.core.testing import api_client, assert_statuses, web_client
from tinhso.learning import certificates
from tinhso.learning.models import Participation

from .factories import make_contest, stock_bank

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(tree):
    stock_bank(tree.xuan_ai, count=3)
    return make_contest(tree.xuan_ai, questions=3, title="Tìm hiểu chuyển đổi số 2026")


def take_part(contest, user, right: int) -> Participation:
    client = api_client(user)
    attempt = client.post(f"/api/v1/contests/{contest.pk}/attempts/").json()
    answers = {str(q["id"]): next(c["key"] for c in q["choices"] if c["text"] == "Đúng") for q in attempt["questions"]}
    for wrong in list(answers)[right:]:
        answers[wrong] = 1 - answers[wrong]
    client.put(f"/api/v1/attempts/{attempt['id']}/answers/", {"answers": answers}, format="json")
    assert client.post(f"/api/v1/attempts/{attempt['id']}/finish/").status_code == 200
    return Participation.objects.get(contest=contest, user=user)


def test_a_finished_participant_prints_a_certificate_whose_qr_page_confirms_it_without_the_phone(tree, contest):
    citizen = make_user("citizen", tree.khe_dua, phone="0912345678")
    assert web_client(citizen).get(f"/learning/contests/{contest.pk}/certificate.pdf").status_code == 404
    participation = take_part(contest, citizen, right=3)
    pdf = web_client(citizen).get(f"/learning/contests/{contest.pk}/certificate.pdf")
    assert pdf.status_code == 200 and "Tìm hiểu chuyển đổi số 2026" in pdf_text(pdf.content)
    assert str(citizen) in pdf_text(pdf.content) and "3 điểm" in pdf_text(pdf.content)
    page = web_client().get(certificates.verification_path(participation))
    text = page.content.decode()
    assert page.status_code == 200 and "Tìm hiểu chuyển đổi số 2026" in text and "Giấy chứng nhận hợp lệ" in text
    assert str(citizen) in text and "0912345678" not in text


def test_a_forged_or_unknown_code_is_a_vietnamese_404(tree, contest):
    participation = take_part(contest, make_user("citizen", tree.khe_dua), right=2)
    genuine = certificates.verification_path(participation)
    forged = genuine.replace(
        certificates.contest_code(participation), certificates.contest_code(participation)[:-2] + "xx"
    )
    for path in (forged, "/learning/certificates/contest/khong-co/"):
        page = web_client().get(path)
        assert page.status_code == 404 and "không phải giấy thật" in page.content.decode()


def test_a_better_attempt_later_voids_the_old_code(tree, contest):
    citizen = make_user("citizen", tree.khe_dua)
    old = certificates.verification_path(take_part(contest, citizen, right=1))
    take_part(contest, citizen, right=3)
    assert web_client().get(old).status_code == 404


def test_the_organiser_prints_every_winner_in_one_pdf_and_others_may_not(tree, contest):
    for right in (3, 2, 1):
        take_part(contest, make_user("citizen", tree.khe_dua), right=right)
    people = users_by_role(
        {
            "province_admin": tree.yen_bai,
            "district_officer": tree.van_yen,
            "commune_officer": tree.xuan_ai,
            "village_team_leader": tree.khe_dua,
            "citizen": tree.xuan_ai,
        }
    )
    got = {
        role: web_client(user).get(f"/learning/contests/{contest.pk}/certificates.pdf").status_code
        for role, user in people.items()
    }
    assert_statuses(
        got,
        {
            "province_admin": 200,
            "district_officer": 200,
            "commune_officer": 200,
            "village_team_leader": 404,
            "citizen": 404,
        },
    )
    pdf = web_client(people["commune_officer"]).get(f"/learning/contests/{contest.pk}/certificates.pdf").content
    text = pdf_text(pdf)
    assert all(f"hạng {place}" in text for place in (1, 2, 3)) and text.count("Tìm hiểu chuyển đổi số 2026") >= 3


def pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    return "\n".join(page.get_textpage().get_text_range() for page in document)
