"""Contest certificates (issue 14: "prints certificates, PDF with a QR that verifies them"): a participant who
finished prints their own, the organiser prints every winner's in one PDF, and the QR's public page confirms a
certificate without anything private; a forged or unknown code is a Vietnamese 404 page."""

import uuid

import pypdfium2
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tinhso.accounts.testing import make_user, users_by_role
from tinhso.core.models import ObjectChange
from tinhso.core.testing import api_client, assert_statuses, web_client
from tinhso.learning import certificates
from tinhso.learning.models import ContestCertificate, Participation

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


def certificate_page(certificate):
    return web_client().get(certificates.verification_path(certificate))


def test_a_finished_participant_prints_a_certificate_whose_qr_page_confirms_it_without_the_phone(tree, contest):
    citizen = make_user("citizen", tree.khe_dua, phone="0912345678")
    assert web_client(citizen).get(f"/learning/contests/{contest.pk}/certificate.pdf").status_code == 404
    take_part(contest, citizen, right=3)
    pdf = web_client(citizen).get(f"/learning/contests/{contest.pk}/certificate.pdf")
    assert pdf.status_code == 200 and "Tìm hiểu chuyển đổi số 2026" in pdf_text(pdf.content)
    assert str(citizen) in pdf_text(pdf.content) and "3 điểm" in pdf_text(pdf.content)
    certificate = ContestCertificate.objects.get()
    assert str(certificate.code) in pdf_text(pdf.content).replace("\r", "").replace("\n", "")
    assert (certificate.user, certificate.score, certificate.max_score, certificate.rank) == (citizen, 3, 3, 1)
    assert certificate.issued_by == citizen and certificate.attempt.user == citizen
    page = certificate_page(certificate)
    text = page.content.decode()
    assert page.status_code == 200 and "Tìm hiểu chuyển đổi số 2026" in text and "Giấy chứng nhận hợp lệ" in text
    assert str(citizen) in text and "3/3" in text and "0912345678" not in text


def test_printing_again_gives_the_same_code_and_the_issue_is_in_the_change_log(tree, contest):
    citizen = make_user("citizen", tree.khe_dua)
    take_part(contest, citizen, right=2)
    for _time in range(2):
        assert web_client(citizen).get(f"/learning/contests/{contest.pk}/certificate.pdf").status_code == 200
    certificate = ContestCertificate.objects.get()
    logged = ObjectChange.objects.filter(
        object_type=ContentType.objects.get_for_model(ContestCertificate), object_id=certificate.pk
    )
    assert logged.count() == 1 and logged.get().user == citizen


def test_a_better_attempt_later_leaves_the_printed_certificate_genuine_and_gets_a_new_one(tree, contest):
    citizen = make_user("citizen", tree.khe_dua)
    take_part(contest, citizen, right=1)
    web_client(citizen).get(f"/learning/contests/{contest.pk}/certificate.pdf")
    first = ContestCertificate.objects.get()
    take_part(contest, citizen, right=3)
    web_client(citizen).get(f"/learning/contests/{contest.pk}/certificate.pdf")
    second = ContestCertificate.objects.exclude(pk=first.pk).get()
    assert second.code != first.code and second.score == 3
    page = certificate_page(first)
    text = page.content.decode()
    assert page.status_code == 200 and "Giấy chứng nhận hợp lệ" in text and "1/3" in text
    assert "Người này đã được cấp một giấy chứng nhận mới hơn" in text


def test_a_new_site_key_leaves_a_printed_certificate_genuine(tree, contest, settings):
    citizen = make_user("citizen", tree.khe_dua)
    take_part(contest, citizen, right=2)
    web_client(citizen).get(f"/learning/contests/{contest.pk}/certificate.pdf")
    settings.SECRET_KEY = "another-key-" + "x" * 50
    assert certificate_page(ContestCertificate.objects.get()).status_code == 200


def test_an_old_signed_code_still_verifies_while_its_grade_holds(tree, contest):
    citizen = make_user("citizen", tree.khe_dua)
    participation = take_part(contest, citizen, right=2)
    old = f"/learning/certificates/contest/{certificates.legacy_code(participation)}/"
    page = web_client().get(old)
    assert (
        page.status_code == 200
        and str(citizen) in page.content.decode()
        and "Giấy chứng nhận hợp lệ" in (page.content.decode())
    )


def test_a_forged_or_unknown_code_is_a_vietnamese_404(tree, contest):
    participation = take_part(contest, make_user("citizen", tree.khe_dua), right=2)
    signed = certificates.legacy_code(participation)
    for path in (
        f"/learning/certificates/contest/{signed[:-2]}xx/",
        "/learning/certificates/contest/khong-co/",
        f"/learning/certificates/contest/{uuid.uuid4()}/",
    ):
        page = web_client().get(path)
        assert page.status_code == 404 and "không phải giấy thật" in page.content.decode()


def printed(contest, citizen) -> ContestCertificate:
    take_part(contest, citizen, right=2)
    web_client(citizen).get(f"/learning/contests/{contest.pk}/certificate.pdf")
    return ContestCertificate.objects.get(user=citizen)


def test_the_organiser_revokes_a_certificate_and_its_page_says_so_and_it_is_not_printed_again(tree, contest):
    citizen = make_user("citizen", tree.khe_dua)
    certificate = printed(contest, citizen)
    officer = make_user("commune_officer", tree.xuan_ai)
    listing = web_client(officer).get(f"/learning/contests/{contest.pk}/certificates/").content.decode()
    assert str(citizen) in listing and "Thu hồi" in listing
    response = web_client(officer).post(
        f"/learning/contest-certificates/{certificate.pk}/revoke/", {"reason": "Thi hộ người khác"}, follow=True
    )
    assert "Đã thu hồi giấy chứng nhận." in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_by == officer and certificate.revoked_reason == "Thi hộ người khác"
    page = certificate_page(certificate)
    text = page.content.decode()
    assert page.status_code == 410 and "đã bị ban tổ chức thu hồi" in text and "Thi hộ người khác" in text
    again = web_client(citizen).get(f"/learning/contests/{contest.pk}/certificate.pdf", follow=True)
    assert "đã bị ban tổ chức thu hồi" in again.content.decode()
    assert ContestCertificate.objects.count() == 1


def test_a_revocation_needs_a_reason_and_happens_once(tree, contest):
    certificate = printed(contest, make_user("citizen", tree.khe_dua))
    officer = web_client(make_user("commune_officer", tree.xuan_ai))
    blank = officer.post(f"/learning/contest-certificates/{certificate.pk}/revoke/", {"reason": "   "}, follow=True)
    assert "Hãy ghi lý do thu hồi giấy chứng nhận." in blank.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    officer.post(f"/learning/contest-certificates/{certificate.pk}/revoke/", {"reason": "Sai tên"})
    twice = officer.post(f"/learning/contest-certificates/{certificate.pk}/revoke/", {"reason": "Lần nữa"}, follow=True)
    assert "đã được thu hồi trước đó" in twice.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Sai tên"


def test_a_revocation_made_in_error_is_taken_back_and_the_change_log_keeps_both(tree, contest):
    citizen = make_user("citizen", tree.khe_dua)
    certificate = printed(contest, citizen)
    revoker, restorer = make_user("commune_officer", tree.xuan_ai), make_user("district_officer", tree.van_yen)
    web_client(revoker).post(f"/learning/contest-certificates/{certificate.pk}/revoke/", {"reason": "Nhầm người"})
    assert certificate_page(certificate).status_code == 410
    listing = web_client(restorer).get(f"/learning/contests/{contest.pk}/certificates/").content.decode()
    assert "Khôi phục" in listing
    response = web_client(restorer).post(f"/learning/contest-certificates/{certificate.pk}/restore/", follow=True)
    assert "Giấy chứng nhận có hiệu lực trở lại." in response.content.decode()
    certificate.refresh_from_db()
    assert (certificate.revoked_at, certificate.revoked_by, certificate.revoked_reason) == (None, None, "")
    page = certificate_page(certificate)
    assert page.status_code == 200 and "Giấy chứng nhận hợp lệ" in page.content.decode()
    printed_again = web_client(citizen).get(f"/learning/contests/{contest.pk}/certificate.pdf")
    assert printed_again.status_code == 200 and ContestCertificate.objects.count() == 1  # the same certificate
    logged = ObjectChange.objects.filter(
        object_type=ContentType.objects.get_for_model(ContestCertificate), object_id=certificate.pk
    ).order_by("pk")
    revoked, restored = list(logged)[-2:]
    assert revoked.user == revoker and revoked.postchange_data["revoked_reason"] == "Nhầm người"
    assert restored.user == restorer and restored.prechange_data["revoked_reason"] == "Nhầm người"
    assert restored.postchange_data["revoked_at"] is None
    again = web_client(restorer).post(f"/learning/contest-certificates/{certificate.pk}/restore/", follow=True)
    assert "Giấy chứng nhận này không bị thu hồi." in again.content.decode()


ORGANISERS = {
    "province_admin": "yen_bai",
    "dx_centre_staff": "yen_bai",
    "department_staff": "yen_bai",
    "district_officer": "van_yen",
    "commune_officer": "xuan_ai",
    "village_team_leader": "khe_dua",
    "citizen": "khe_dua",
}


@pytest.mark.parametrize("role", [*ORGANISERS, "other_commune_officer"])
def test_who_may_list_and_revoke_a_contests_certificates(tree, contest, role):
    certificate = printed(contest, make_user("citizen", tree.khe_dua))
    if role == "other_commune_officer":
        person = make_user("commune_officer", tree.khanh_hoa)
    else:
        person = users_by_role({role: getattr(tree, ORGANISERS[role])})[role]
    organiser = role in ("province_admin", "dx_centre_staff", "district_officer", "commune_officer")
    listing = web_client(person).get(f"/learning/contests/{contest.pk}/certificates/")
    assert (listing.status_code == 200 and certificate.name in listing.content.decode()) == organiser
    web_client(person).post(f"/learning/contest-certificates/{certificate.pk}/revoke/", {"reason": "Kiểm tra"})
    certificate.refresh_from_db()
    assert (certificate.revoked_at is not None) == organiser
    if not organiser:
        assert certificate.revoked_reason == "" and certificate.revoked_by is None
        ContestCertificate.objects.filter(pk=certificate.pk).update(revoked_at=timezone.now(), revoked_reason="Sai")
    web_client(person).post(f"/learning/contest-certificates/{certificate.pk}/restore/")
    certificate.refresh_from_db()
    assert (certificate.revoked_at is None) == organiser


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
    codes = set(ContestCertificate.objects.values_list("code", flat=True))
    assert len(codes) == 3 and all(f"{code}" in text.replace("\r", "").replace("\n", "") for code in codes)
    organiser = people["commune_officer"]  # the province printed first: the certificates are the province's
    assert ContestCertificate.objects.filter(issued_by=people["province_admin"], rank__in=(1, 2, 3)).count() == 3
    second_print = web_client(organiser).get(f"/learning/contests/{contest.pk}/certificates.pdf").content
    assert set(ContestCertificate.objects.values_list("code", flat=True)) == codes  # printed again: the same codes
    third = ContestCertificate.objects.get(rank=3)
    web_client(organiser).post(f"/learning/contest-certificates/{third.pk}/revoke/", {"reason": "Gian lận"})
    without_third = pdf_text(web_client(organiser).get(f"/learning/contests/{contest.pk}/certificates.pdf").content)
    assert "hạng 3" not in without_third and "hạng 2" in without_third and pdf_text(second_print).count("hạng") == 3


def pdf_text(content: bytes) -> str:
    document = pypdfium2.PdfDocument(content)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


@pytest.mark.parametrize("code", ["a%00b", "%FF%FE", "9" * 100_000, "%E2%80%8B", str(2**70), "00000000-0000-0000-0000"])
def test_a_hostile_code_is_refused_as_no_certificate(code):
    assert web_client().get(f"/learning/certificates/contest/{code}/").status_code in (400, 404)  # NUL: 400


def test_the_certificates_page_does_not_slow_down_as_certificates_are_printed(tree, contest):
    officer = web_client(make_user("commune_officer", tree.xuan_ai))
    printed(contest, make_user("citizen", tree.khe_dua))
    with CaptureQueriesContext(connection) as one:
        officer.get(f"/learning/contests/{contest.pk}/certificates/")
    for _person in range(4):
        printed(contest, make_user("citizen", tree.khe_dua))
    with CaptureQueriesContext(connection) as five:
        page = officer.get(f"/learning/contests/{contest.pk}/certificates/")
    assert page.content.decode().count('name="reason"') == 5
    assert len(five.captured_queries) <= len(one.captured_queries) < 30
