"""Digital citizens: the recognition rules on the scoring engine, the tiers' thresholds, counts by village,
certificates with a QR that verifies them."""

import datetime
from decimal import Decimal

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client
from tinhso.learning import citizens
from tinhso.learning.models import Certificate, DigitalCitizenProfile
from tinhso.scoring.models import Evaluation

from .factories import make_contest, stock_bank

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("points", "tier"), [(0, ""), (99, ""), (100, "Cơ bản"), (349, "Cơ bản"), (350, "Tích cực"), (500, "Tích cực")]
)
def test_the_tiers_thresholds(points, tier):
    assert citizens.tier_of(Decimal(points)) == tier


def resident(unit, *, identity=False, services=0, cashless=False, name="Người dân"):
    user = make_user("citizen", unit, full_name=name)
    DigitalCitizenProfile.objects.create(
        user=user, unit=unit, has_electronic_identity=identity, online_services=services, pays_cashless=cashless
    )
    return user


def test_residents_are_scored_and_classified_on_the_scoring_engine(tree):
    citizens.ensure_criteria_set(tree.lao_cai, actor=None)
    resident(tree.new_khe_dua, name="Chưa đạt")  # 0
    resident(tree.new_khe_dua, identity=True, name="Cơ bản")  # 150
    resident(tree.new_khe_dua, identity=True, services=3, cashless=True, name="Tích cực")  # 300 + contest below
    active = DigitalCitizenProfile.objects.get(user__full_name="Tích cực").user
    stock_bank(tree.lao_cai, count=3)
    contest = make_contest(tree.lao_cai)
    client = web_client(active)
    client.post(f"/learning/contests/{contest.pk}/start/")
    attempt = active.pk and contest.attempts.get()
    answers = {f"q-{entry['id']}": "0" for entry in attempt.questions}
    client.post(f"/learning/attempts/{attempt.pk}/", {**answers, "finish": ""})
    year = str(datetime.date.today().year)
    officer = make_user("commune_officer", tree.new_xuan_ai)
    evaluations = citizens.recognise(tree.new_xuan_ai, year, actor=officer)
    by_name = {e.subject_label: (e.total, e.classification) for e in evaluations}
    assert by_name == {
        "Chưa đạt": (Decimal(0), "Chưa đạt"),
        "Cơ bản": (Decimal(150), "Cơ bản"),
        "Tích cực": (Decimal(450), "Tích cực"),  # 150 + 100 + 50 + 50 (one contest) + 100 (100 %)
    }
    counts = citizens.counts_by_unit(year, [tree.new_khe_dua])
    assert (counts[0]["active"], counts[0]["basic"]) == (1, 1)


def test_a_certificate_carries_a_qr_that_verifies_it(tree):
    citizens.ensure_criteria_set(tree.lao_cai, actor=None)
    resident(tree.new_khe_dua, identity=True, services=1, name="Hà Thị Mai")
    officer = make_user("commune_officer", tree.new_xuan_ai)
    evaluation = citizens.recognise(tree.new_xuan_ai, "2026", actor=officer)[0]
    certificate = citizens.issue_certificate(evaluation, actor=officer, day=datetime.date(2026, 12, 4))
    assert certificate.tier == "Cơ bản"
    pdf = web_client(officer).get(f"/learning/certificates/{certificate.pk}.pdf")
    assert pdf.content.startswith(b"%PDF")
    page = web_client().get(f"/learning/certificates/verify/{certificate.code}/").content.decode()
    assert "Hà Thị Mai" in page and "Cơ bản" in page
    fake = web_client().get("/learning/certificates/verify/00000000-0000-0000-0000-000000000000/").content.decode()
    assert "không phải giấy thật" in fake


def test_no_certificate_below_100_points_and_none_from_another_commune(tree):
    from django.core.exceptions import PermissionDenied, ValidationError

    citizens.ensure_criteria_set(tree.lao_cai, actor=None)
    resident(tree.new_khe_dua, services=1)
    officer = make_user("commune_officer", tree.new_xuan_ai)
    evaluation = citizens.recognise(tree.new_xuan_ai, "2026", actor=officer)[0]
    with pytest.raises(ValidationError):
        citizens.issue_certificate(evaluation, actor=officer, day=datetime.date(2026, 12, 4))
    with pytest.raises(PermissionDenied):
        citizens.recognise(tree.new_xuan_ai, "2026", actor=make_user("commune_officer", tree.new_khanh_hoa))
    assert not Certificate.objects.exists()
    assert Evaluation.objects.count() == 1


def test_the_counts_page_for_the_commune_officer_and_not_for_citizens(tree):
    citizens.ensure_criteria_set(tree.lao_cai, actor=None)
    resident(tree.new_khe_dua, identity=True, services=3, cashless=True)
    officer = make_user("commune_officer", tree.new_xuan_ai)
    citizens.recognise(tree.new_xuan_ai, "2026", actor=officer)
    page = web_client(officer).get("/learning/citizens/?year=2026").content.decode()
    assert "Khe Dứa" in page and "1 người dân được công nhận công dân số." in page
    assert web_client(make_user("citizen", tree.new_khe_dua)).get("/learning/citizens/").status_code == 403


def test_from_2027_the_basic_course_counts_and_the_total_stays_500(tree):
    from tinhso.learning import services as learning_services
    from tinhso.learning.models import Course, Enrolment, Lesson

    first = citizens.ensure_criteria_set(tree.lao_cai, actor=None)
    version = citizens.add_basic_course_criterion(first, actor=None, first_period="2027")
    assert version.max_total == Decimal(500)
    learner = resident(tree.new_khe_dua, identity=True, name="Học viên")  # 150
    resident(tree.new_khe_dua, identity=True, name="Chưa học")  # 150
    course = Course.objects.create(unit=tree.lao_cai, title="Kỹ năng số cơ bản", is_basic=True, is_published=True)
    lesson = Lesson.objects.create(course=course, title="Bài 1", body="Điện thoại thông minh.")
    learning_services.read_lesson(lesson, user=learner, now=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC))
    assert Enrolment.objects.get(user=learner).completed_at.year == 2026
    officer = make_user("commune_officer", tree.new_xuan_ai)
    before = {e.subject_label: e.total for e in citizens.recognise(tree.new_xuan_ai, "2026", actor=officer)}
    after = {e.subject_label: e.total for e in citizens.recognise(tree.new_xuan_ai, "2027", actor=officer)}
    assert before == {"Học viên": Decimal(150), "Chưa học": Decimal(150)}  # the 2025 version: no course criterion
    assert after == {"Học viên": Decimal(200), "Chưa học": Decimal(150)}  # Cơ bản either way; the course adds 50


def test_a_placement_test_or_a_course_quiz_is_not_a_contest_for_the_rules(tree):
    from tinhso.learning.choices import Purpose

    citizens.ensure_criteria_set(tree.lao_cai, actor=None)
    learner = resident(tree.new_khe_dua, identity=True, name="Người học")  # 150
    stock_bank(tree.lao_cai, count=3)
    client = web_client(learner)
    for purpose in (Purpose.PLACEMENT, Purpose.QUIZ):
        contest = make_contest(tree.lao_cai, purpose=purpose, title=str(purpose))
        client.post(f"/learning/contests/{contest.pk}/start/")
        attempt = contest.attempts.get()
        client.post(
            f"/learning/attempts/{attempt.pk}/", {**{f"q-{e['id']}": "0" for e in attempt.questions}, "finish": ""}
        )
    officer = make_user("commune_officer", tree.new_xuan_ai)
    year = str(datetime.date.today().year)
    evaluation = citizens.recognise(tree.new_xuan_ai, year, actor=officer)[0]
    assert evaluation.total == Decimal(150)  # no points for "contests" nor for their results


def test_the_demo_scores_this_year_with_the_basic_course_version(tree):
    from django.utils import timezone

    from tinhso.learning import demo

    year = str(timezone.localdate().year)
    rules = demo.demo_rules(tree.lao_cai)
    assert demo.demo_rules(tree.lao_cai) == rules  # a second seeding adds no version
    assert rules.first_period == year and rules.max_total == Decimal(500)
    assert rules.criteria.filter(source_key="basic_course", max_points=50).exists()
    resident(tree.new_khe_dua, identity=True, name="Cư dân")
    officer = make_user("commune_officer", tree.new_xuan_ai)
    (evaluation,) = citizens.recognise(tree.new_xuan_ai, year, actor=officer)
    assert evaluation.criteria_set == rules


def test_residents_recognised_on_a_village_before_the_2025_reform_count_under_it_today(tree):
    citizens.ensure_criteria_set(tree.lao_cai, actor=None)
    resident(tree.new_khe_dua, identity=True, services=3, cashless=True, name="Khe Dứa nay")
    resident(tree.new_khe_dua, identity=True, name="Đồng Tâm trước sắp xếp")
    officer = make_user("commune_officer", tree.new_xuan_ai)
    citizens.recognise(tree.new_xuan_ai, "2025", actor=officer)
    # The second was recognised in 2025 on Đồng Tâm of the old commune Yên Hợp (merged into Xuân Ái on 1/7/2025).
    Evaluation.objects.filter(subject_label="Đồng Tâm trước sắp xếp").update(unit=tree.dong_tam)
    page = web_client(officer).get("/learning/citizens/?year=2025").content.decode()
    assert "Đồng Tâm" in page and "Khe Dứa" in page
    assert "2 người dân được công nhận công dân số." in page
    new_dong_tam = tree.new_khe_dua.__class__.objects.get(code="04426-01", valid_to__isnull=True)
    counts = citizens.counts_by_unit("2025", [new_dong_tam, tree.new_khe_dua])
    assert [(row["active"], row["basic"]) for row in counts] == [(0, 1), (0, 1)]  # 150 and 300 points: Cơ bản
