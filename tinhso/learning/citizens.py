"""Digital citizens (công dân số): recognition criteria as a versioned criteria set on the shared scoring engine,
an input provider that reads the residents' profiles and contests, tiers, counts by village and certificates.

Tiers by points (of 500): "Cơ bản" 100–349, "Tích cực" from 350. The scoring engine classifies by percent of the
maximum, so the bands are 20 % and 70 % of 500; `tier_of` says the same in points.
"""

import datetime
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from tinhso.core.permissions import require
from tinhso.scoring import inputs
from tinhso.scoring.choices import Rule, Source
from tinhso.scoring.models import CriteriaSet, Criterion, Evaluation
from tinhso.scoring.rules import Inputs
from tinhso.scoring.services import Subject, evaluate
from tinhso.units.snapshot import snapshot_on

from .choices import Purpose
from .models import Certificate, DigitalCitizenProfile, Enrolment, Participation

SUBJECT_KIND = "learning.digital_citizen"
CODE = "CONG-DAN-SO"
BASIC, ACTIVE = "Cơ bản", "Tích cực"
MAX_POINTS = Decimal(500)
TIERS = [(Decimal(350), ACTIVE), (Decimal(100), BASIC)]
CLASSIFICATION = [{"label": ACTIVE, "min": 70}, {"label": BASIC, "min": 20}, {"label": "Chưa đạt", "min": 0}]
# (code, name, rule, max points, thresholds, source key)
CRITERIA = [
    ("1", "Có tài khoản định danh điện tử VNeID mức 2", Rule.BOOLEAN, 150, [], "identity"),
    (
        "2",
        "Sử dụng dịch vụ công trực tuyến trong năm",
        Rule.STEPPED,
        100,
        [{"at_least": 1, "points": 50}, {"at_least": 3, "points": 100}],
        "online_services",
    ),
    ("3", "Thanh toán không dùng tiền mặt", Rule.BOOLEAN, 50, [], "cashless"),
    (
        "4",
        "Tham gia cuộc thi tìm hiểu kiến thức, kỹ năng số",
        Rule.STEPPED,
        100,
        [{"at_least": 1, "points": 50}, {"at_least": 2, "points": 100}],
        "contests",
    ),
    (
        "5",
        "Kết quả cao nhất trong các cuộc thi (% điểm)",
        Rule.STEPPED,
        100,
        [{"at_least": 50, "points": 50}, {"at_least": 80, "points": 100}],
        "best_percent",
    ),
]


# Which data each criterion is judged on, by source key: stored on the criterion (Criterion.evidence_source), so
# the province may reword it in the scoring pages; migration 0009 fills criteria created before it existed.
EVIDENCE_SOURCES = {
    "identity": "Tài khoản định danh điện tử VNeID (hồ sơ công dân số do xã xác nhận)",
    "online_services": "Cổng Dịch vụ công quốc gia (số lượt ghi trong hồ sơ công dân số)",
    "cashless": "Thanh toán không dùng tiền mặt (hồ sơ công dân số)",
    "contests": "Cuộc thi trực tuyến trên Tỉnh Số (lượt thi đã nộp trong năm)",
    "best_percent": "Cuộc thi trực tuyến trên Tỉnh Số (kết quả các bài thi trong năm)",
    "basic_course": "Khóa học kỹ năng số cơ bản trên Tỉnh Số (bài học và bài kiểm tra cuối khóa)",
}


def tier_of(points) -> str:
    return next((label for floor, label in TIERS if Decimal(points) >= floor), "")


@transaction.atomic
def ensure_criteria_set(unit, *, actor, first_period: str = "2025") -> CriteriaSet:
    """The province's recognition rules (version from `first_period`); created once, then versioned in scoring."""
    existing = CriteriaSet.objects.filter(code=CODE, unit=unit).order_by("-first_period").first()
    if existing:
        return existing
    require(actor, "scoring.add_criteriaset", None)
    criteria_set = CriteriaSet.objects.create(
        code=CODE,
        name="Tiêu chí công nhận công dân số",
        subject_kind=SUBJECT_KIND,
        unit=unit,
        first_period=first_period,
        classification=CLASSIFICATION,
        description="Cơ bản: 100–349 điểm; Tích cực: từ 350 điểm (trên 500).",
    )
    for order, (code, name, rule, points, thresholds, key) in enumerate(CRITERIA, start=1):
        Criterion.objects.create(
            criteria_set=criteria_set,
            code=code,
            name=name,
            order=order,
            max_points=points,
            rule=rule,
            thresholds=thresholds,
            source=Source.COMPUTED,
            source_key=key,
            evidence_source=EVIDENCE_SOURCES[key],
        )
    return criteria_set


COURSE_CRITERION = ("6", "Hoàn thành khóa học kỹ năng số cơ bản", 50, "basic_course")


@transaction.atomic
def add_basic_course_criterion(criteria_set: CriteriaSet, *, actor, first_period: str = "2027") -> CriteriaSet:
    """A new version of the rules from `first_period`: completing a basic digital-skills course (a course marked
    basic, lessons read and final quiz passed) earns 50 points, and taking part in contests is worth at most 50
    (one contest), so the total stays 500 and the tiers keep their points. Earlier periods keep the old version."""
    from tinhso.scoring.services import new_version

    version = new_version(criteria_set, actor=actor, first_period=first_period)
    contests = version.criteria.get(source_key="contests")
    contests.max_points, contests.thresholds = 50, [{"at_least": 1, "points": 50}]
    contests.full_clean()
    contests.save()
    code, name, points, key = COURSE_CRITERION
    Criterion.objects.create(
        criteria_set=version,
        code=code,
        name=name,
        order=len(CRITERIA) + 1,
        max_points=points,
        rule=Rule.BOOLEAN,
        thresholds=[],
        source=Source.COMPUTED,
        source_key=key,
        evidence_source=EVIDENCE_SOURCES[key],
    )
    return version


def provide_inputs(criteria, subjects, period) -> dict:
    """Inputs of every criterion for every resident, in five queries whatever the number of residents, each with
    the moment its data was recorded (the profile's last change, the last contest, the best attempt, the course)."""
    users = [subject.obj.pk for subject in subjects]
    profiles = {p.user_id: p for p in DigitalCitizenProfile.objects.filter(user_id__in=users)}
    year = int(period[:4])
    taken = (
        Participation.objects.filter(user_id__in=users, finished_at__year=year, contest__purpose=Purpose.CONTEST)
        .values("user_id")
        .annotate(contests=Count("contest", distinct=True), best=Max("grade"), last=Max("finished_at"))
    )
    contests = {row["user_id"]: row for row in taken}
    best_percent = _best_percent(users, year)
    basic_course = dict(
        Enrolment.objects.filter(
            user_id__in=users, course__is_basic=True, completed_at__isnull=False, completed_at__year__lte=year
        )
        .values("user_id")
        .annotate(first=Min("completed_at"))
        .values_list("user_id", "first")
    )
    found = {}
    for subject in subjects:
        profile = profiles.get(subject.obj.pk)
        declared = profile.updated_at if profile else None
        taken_part = contests.get(subject.obj.pk, {})
        best, best_at = best_percent.get(subject.obj.pk, (Decimal(0), None))
        values = {
            "identity": Inputs(answer=bool(profile and profile.has_electronic_identity), recorded_at=declared),
            "online_services": Inputs(value=Decimal(profile.online_services if profile else 0), recorded_at=declared),
            "cashless": Inputs(answer=bool(profile and profile.pays_cashless), recorded_at=declared),
            "contests": Inputs(value=Decimal(taken_part.get("contests", 0)), recorded_at=taken_part.get("last")),
            "best_percent": Inputs(value=best, recorded_at=best_at),
            "basic_course": Inputs(answer=subject.obj.pk in basic_course, recorded_at=basic_course.get(subject.obj.pk)),
        }
        for criterion in criteria:
            if criterion.source_key in values:
                found[(criterion.pk, subject.obj.pk)] = values[criterion.source_key]
    return found


def _best_percent(users, year) -> dict[int, tuple[Decimal, datetime.datetime | None]]:
    """{user id: (best percent of a contest attempt in the year, when that attempt ended)}."""
    from .models import Attempt

    best: dict[int, tuple[Decimal, datetime.datetime | None]] = {}
    rows = Attempt.objects.filter(
        user_id__in=users, finished_at__year=year, max_score__gt=0, contest__purpose=Purpose.CONTEST
    ).values_list("user_id", "score", "max_score", "finished_at")
    for user_id, score, maximum, finished_at in rows:
        percent = Decimal(str(round(100 * (score or 0) / maximum, 2)))
        if percent > best.get(user_id, (Decimal(-1), None))[0]:
            best[user_id] = (percent, finished_at)
    return best


def recognise(unit, period: str, *, actor) -> list[Evaluation]:
    """Score every resident with a profile in `unit` (a village or commune) for the year `period`."""
    require(actor, "learning.change_digitalcitizenprofile", unit)
    versions = CriteriaSet.objects.filter(subject_kind=SUBJECT_KIND).order_by("-first_period")
    criteria_set = next((version for version in versions if version.applies_to(period)), None)
    if criteria_set is None:
        raise ValidationError(_("No digital-citizen criteria apply to %(period)s.") % {"period": period})
    profiles = DigitalCitizenProfile.objects.filter(unit__path__startswith=unit.path).select_related("user", "unit")
    subjects = [Subject(profile.user, profile.unit, str(profile.user)) for profile in profiles]
    return evaluate(criteria_set, period, subjects, registered_inputs, actor=None)


def registered_inputs(criteria, subjects, period) -> dict:
    """Ask scoring's registry (filled in LearningConfig.ready) rather than calling the provider directly."""
    return inputs.inputs_from(SUBJECT_KIND, criteria, subjects, period)


def counts_by_unit(period: str, units, day: datetime.date | None = None) -> list[dict]:
    """Recognised residents per unit of today's tree (village or commune) and tier. An evaluation recorded on a
    unit of another day (a village of a commune merged in the 2025 reform) counts under the unit that stands for
    it today, placed with the units app's snapshot, as the participation and levels reports do."""
    user_type = ContentType.objects.get_by_natural_key("accounts", "user")
    rows = (
        Evaluation.objects.filter(criteria_set__subject_kind=SUBJECT_KIND, period=period, subject_type=user_type)
        .values("unit_id", "classification")
        .annotate(count=Count("pk"))
    )
    snapshot = snapshot_on(day or timezone.localdate())
    lineages = {}
    for row in rows:
        placed = snapshot.placed(row["unit_id"]) if row["unit_id"] else None
        lineages[row["unit_id"]] = set(placed.lineage) if placed else set()
    table = []
    for unit in units:
        tiers = {ACTIVE: 0, BASIC: 0}
        for row in rows:
            if unit.pk in lineages[row["unit_id"]] and row["classification"] in tiers:
                tiers[row["classification"]] += row["count"]
        table.append({"unit": unit, "active": tiers[ACTIVE], "basic": tiers[BASIC], "total": sum(tiers.values())})
    return table


@transaction.atomic
def issue_certificate(evaluation: Evaluation, *, actor, day: datetime.date) -> Certificate:
    require(actor, "learning.add_certificate", evaluation.unit)
    tier = tier_of(evaluation.total)
    if not tier:
        raise ValidationError(_("Fewer than 100 points: the resident is not yet a digital citizen."))
    existing = Certificate.objects.filter(evaluation=evaluation).first()
    if existing:
        return existing
    certificate = Certificate(
        evaluation=evaluation,
        user_id=evaluation.subject_id,
        unit=evaluation.unit,
        tier=tier,
        points=evaluation.total,
        issued_on=day,
    )
    certificate.full_clean()
    certificate.save()
    return certificate


def certificate_pdf(certificate: Certificate, verify_url: str) -> bytes:
    from tinhso.core.documents import Signer

    from . import certificates

    commune = certificate.unit.parent or certificate.unit
    body = (
        f"<p>Chứng nhận ông/bà <strong>{escape(certificate.user)}</strong>, "
        f"{escape(certificate.unit)}, {escape(commune)},</p>"
        f"<p>đạt danh hiệu <strong>Công dân số — mức {escape(certificate.tier)}</strong> "
        f"với {certificate.points:.0f}/500 điểm theo Bộ tiêu chí công nhận công dân số.</p>"
    )
    document = certificates.document(
        issuer=f"ỦY BAN NHÂN DÂN {str(commune).upper()}",
        unit=commune,
        number_symbol=f"{certificate.pk}/GCN-UBND",
        day=certificate.issued_on,
        title="Công dân số",
        body_html=body,
        verify_url=verify_url,
        signer=Signer(title="CHỦ TỊCH", authority="TM. ỦY BAN NHÂN DÂN"),
    )
    return certificates.pdf([document])


def verification_path(certificate: Certificate) -> str:
    return reverse("learning:certificate_verify", args=[certificate.code])
