"""Demo data: the DX knowledge bank, last year's officials' contest at its real size (13.498 participants,
23.094 attempts, bulk-created), and this year's open contest for everyone."""

import datetime
import random
import time

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.core.changelog import log_bulk_create
from tinhso.units.choices import OrganisationKind
from tinhso.units.models import Organisation, Unit

from .choices import AttemptStatus, Eligibility, Grading, Purpose, QuestionKind, Review
from .demo_bank import bank_questions
from .grading import paper_entry
from .models import Attempt, Competence, CompetenceLevel, Contest, Course, Lesson, Participation, Question, QuestionPool

PARTICIPANTS_2025 = 13498
ATTEMPTS_2025 = 23094
QUESTIONS_PER_PAPER = 10
TITLE_2025 = "Cuộc thi trực tuyến tìm hiểu kiến thức chuyển đổi số năm 2025"
TITLE_NOW = "Tìm hiểu “Bình dân học vụ số” và kỹ năng số"
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hà",
    "Lò",
    "Giàng",
    "Sùng",
    "Hoàng",
    "Nông",
    "Triệu",
    "Lý",
    "Mai",
    "Đinh",
    "Lương",
]
MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Thu", "Ngọc", "Hữu", "Thanh", "Kim", "Quang", "A", "Xuân"]
GIVEN = [
    "An",
    "Bình",
    "Chi",
    "Dũng",
    "Giang",
    "Hà",
    "Hải",
    "Hòa",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Mai",
    "Minh",
    "Nam",
    "Nga",
    "Phúc",
    "Quý",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trang",
    "Tú",
    "Vân",
    "Yến",
    "Páo",
    "Chứ",
    "Sình",
]


def seed_learning(stdout=None) -> None:
    began = time.perf_counter()
    lao_cai = Unit.objects.filter(code="15").order_by("-valid_from").first()
    yen_bai = Unit.objects.filter(code="15").order_by("valid_from").first()
    if lao_cai is None:
        return
    with transaction.atomic():
        questions = _seed_bank(lao_cai)
        _seed_current_contest(lao_cai)
        _seed_courses(lao_cai)
        if not Contest.objects.filter(title=TITLE_2025).exists():
            _seed_contest_2025(yen_bai, questions)
    with transaction.atomic():
        _seed_digital_citizens(lao_cai)
    if stdout:
        stdout.write(
            f"learning: {Question.objects.count()} questions, {Attempt.objects.count()} attempts "
            f"in {time.perf_counter() - began:.1f} s\n"
        )


def _level_in(levels: list[int]):
    """The demo's levels (written for the circular's 1–8) mapped onto the framework's table as it is: the
    highest level the table holds at or below it (none when the table holds none that low)."""

    def known(level: int | None) -> int | None:
        below = [number for number in levels if level is not None and number <= level]
        return max(below) if below else None

    return known


def _seed_bank(province: Unit) -> list[Question]:
    existing = list(Question.objects.filter(unit=province))
    if existing:
        return existing
    known = _level_in(list(CompetenceLevel.objects.values_list("number", flat=True)))
    questions = [
        Question(unit=province, kind=kind, text=text, data=data, topic=topic, domain=int(domain), level=known(level))
        for topic, domain, level, kind, text, data in bank_questions()
    ]
    created = Question.objects.bulk_create(questions)
    log_bulk_create(created)
    return created


def _seed_current_contest(province: Unit) -> None:
    if Contest.objects.filter(title=TITLE_NOW).exists():
        return
    now = timezone.now()
    contest = Contest.objects.create(
        unit=province,
        title=TITLE_NOW,
        description="Cuộc thi trực tuyến dành cho mọi người dân, cán bộ đã có tài khoản: 10 câu hỏi, 20 phút, "
        "được thi tối đa 3 lượt, tính lượt cao nhất.",
        opens_at=now - datetime.timedelta(days=14),
        closes_at=now + datetime.timedelta(days=60),
        time_limit_minutes=20,
        attempts_allowed=3,
        grading=Grading.BEST,
        review=Review.ANSWERS,
        eligibility=Eligibility.REGISTERED,
        is_published=True,
    )
    QuestionPool.objects.create(contest=contest, count=QUESTIONS_PER_PAPER)


PLACEMENT_TITLE = "Kiểm tra đầu vào kỹ năng số"
# (domain, level, questions) of the placement test: two questions per level where the bank has them
PLACEMENT_POOLS = [(1, 1, 2), (1, 2, 2), (1, 3, 2), (2, 1, 2), (2, 2, 2), (4, 1, 2), (4, 2, 2), (4, 3, 2)]
PLACEMENT_POOLS += [(6, 1, 2), (6, 2, 2)]
# (title, summary, domain, level, basic?, quiz pools [(domain, level, count)], lessons [(title, text)])
COURSES = [
    (
        "Kỹ năng số cơ bản cho mọi người dân",
        "Khóa học ngắn của phong trào “Bình dân học vụ số”: định danh điện tử, dịch vụ công trực tuyến, thanh toán "
        "không dùng tiền mặt và giữ an toàn trên điện thoại. Hoàn thành khóa học được tính vào tiêu chí công dân số.",
        1,
        1,
        True,
        [(1, 1, 3), (4, 1, 2)],
        [
            (
                "Tài khoản định danh điện tử VNeID",
                "VNeID là ứng dụng định danh điện tử quốc gia do Bộ Công an xây dựng. Với tài khoản mức 2, người dân "
                "dùng căn cước điện tử thay cho thẻ giấy, đăng nhập Cổng Dịch vụ công quốc gia và tích hợp giấy phép "
                "lái xe, bảo hiểm y tế.\n\nĐăng ký mức 2 tại công an xã; khi nhận mã kích hoạt, tự đặt mật khẩu và "
                "không đưa mật khẩu cho người khác.",
            ),
            (
                "Nộp hồ sơ dịch vụ công trực tuyến",
                "Trên Cổng Dịch vụ công quốc gia, chọn thủ tục (ví dụ đăng ký khai sinh), điền tờ khai, đính kèm ảnh "
                "giấy tờ và nộp lệ phí trực tuyến. Kết quả được trả qua bưu điện hoặc nhận tại bộ phận một cửa của xã."
                "\n\nNếu cần, đến Tổ công nghệ số cộng đồng ở thôn để được hướng dẫn từng bước.",
            ),
            (
                "Thanh toán không dùng tiền mặt",
                "Mở tài khoản ngân hàng hoặc ví điện tử chính chủ, liên kết với số điện thoại của mình. Khi trả tiền, "
                "quét mã QR của người bán và kiểm tra đúng tên người nhận trước khi xác nhận.\n\nKhông bao giờ đọc "
                "mã OTP cho bất kỳ ai, kể cả người tự xưng là nhân viên ngân hàng hay công an.",
            ),
            (
                "Giữ an toàn trên điện thoại",
                "Chỉ cài ứng dụng từ kho chính thức, cập nhật phần mềm thường xuyên, đặt mã khóa màn hình. Cảnh giác "
                "với tin nhắn có đường link lạ, cuộc gọi báo trúng thưởng hoặc đòi chuyển tiền gấp.\n\nKhi nghi ngờ "
                "lừa đảo, gọi lại cho người thân bằng số đã biết và báo công an xã.",
            ),
        ],
    ),
    (
        "An toàn thông tin cá nhân trên mạng",
        "Nhận biết lừa đảo trực tuyến, bảo vệ mật khẩu và dữ liệu cá nhân (miền năng lực 4, mức 2).",
        4,
        2,
        False,
        [(4, 2, 5)],
        [
            (
                "Mật khẩu mạnh và xác thực hai lớp",
                "Mật khẩu mạnh dài ít nhất 12 ký tự, không dùng ngày sinh hay số điện thoại. Mỗi tài khoản một mật "
                "khẩu; bật xác thực hai lớp cho thư điện tử, mạng xã hội và ngân hàng.",
            ),
            (
                "Dữ liệu cá nhân là tài sản",
                "Không đăng ảnh căn cước, số tài khoản lên mạng xã hội. Chỉ cung cấp thông tin cá nhân cho cơ quan, "
                "tổ chức có thẩm quyền qua kênh chính thức.",
            ),
        ],
    ),
]


# The component competences each demo course teaches (codes of the framework's table; missing codes are skipped).
COURSE_COMPETENCES = {
    "Kỹ năng số cơ bản cho mọi người dân": ["1.1", "2.3", "4.1", "4.2"],
    "An toàn thông tin cá nhân trên mạng": ["4.1", "4.2"],
}


def _seed_courses(province: Unit) -> None:
    """A placement test over four competence domains and two courses, the first one the basic course."""
    if Course.objects.filter(unit=province).exists():
        return
    now = timezone.now()
    window = {"opens_at": now - datetime.timedelta(days=30), "closes_at": now + datetime.timedelta(days=365)}
    placement = Contest.objects.create(
        unit=province,
        title=PLACEMENT_TITLE,
        description="20 câu ở bốn miền năng lực; kết quả xác định mức của bạn ở từng miền.",
        purpose=Purpose.PLACEMENT,
        time_limit_minutes=20,
        attempts_allowed=5,
        grading=Grading.LAST,
        review=Review.ANSWERS,
        is_published=True,
        **window,
    )
    known = _level_in(list(CompetenceLevel.objects.values_list("number", flat=True)))
    for domain, level, count in PLACEMENT_POOLS:
        QuestionPool.objects.create(contest=placement, domain=domain, level=known(level), count=count)
    for title, summary, domain, level, basic, pools, lessons in COURSES:
        quiz = Contest.objects.create(
            unit=province,
            title=f"Kiểm tra cuối khóa: {title}",
            purpose=Purpose.QUIZ,
            time_limit_minutes=10,
            attempts_allowed=5,
            grading=Grading.BEST,
            review=Review.ANSWERS,
            is_published=True,
            **window,
        )
        for pool_domain, pool_level, count in pools:
            QuestionPool.objects.create(contest=quiz, domain=pool_domain, level=known(pool_level), count=count)
        course = Course.objects.create(
            unit=province,
            title=title,
            summary=summary,
            domain=domain,
            level=known(level),
            quiz=quiz,
            pass_percent=60,
            is_basic=basic,
            is_published=True,
        )
        course.competences.set(Competence.objects.filter(code__in=COURSE_COMPETENCES.get(title, [])))
        for order, (lesson_title, body) in enumerate(lessons, start=1):
            Lesson.objects.create(course=course, order=order, title=lesson_title, body=body)


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _attempt_counts(rng: random.Random) -> list[int]:
    """Attempts per participant adding up to exactly ATTEMPTS_2025 (1 to 3 each)."""
    extra = ATTEMPTS_2025 - PARTICIPANTS_2025
    threes = extra // 5
    twos = extra - 2 * threes
    counts = [3] * threes + [2] * twos + [1] * (PARTICIPANTS_2025 - threes - twos)
    rng.shuffle(counts)
    return counts


def _seed_contest_2025(yen_bai: Unit, questions: list[Question]) -> None:
    rng = random.Random(2025)
    opens = datetime.datetime(2025, 3, 1, 7, 0, tzinfo=datetime.UTC)
    contest = Contest.objects.create(
        unit=yen_bai,
        title=TITLE_2025,
        description="Dành cho cán bộ, công chức, viên chức tỉnh Yên Bái.",
        opens_at=opens,
        closes_at=datetime.datetime(2025, 4, 30, 16, 0, tzinfo=datetime.UTC),
        time_limit_minutes=20,
        attempts_allowed=3,
        grading=Grading.BEST,
        review=Review.ANSWERS_AFTER_CLOSE,
        eligibility=Eligibility.OFFICIALS,
        is_published=True,
    )
    QuestionPool.objects.create(contest=contest, count=QUESTIONS_PER_PAPER)
    bodies = list(
        Organisation.objects.filter(
            unit__path__startswith=yen_bai.path,
            kind__in=[
                OrganisationKind.PEOPLES_COMMITTEE,
                OrganisationKind.DEPARTMENT,
                OrganisationKind.PARTY_COMMITTEE,
            ],
        ).select_related("unit")
    )
    contest.eligible_organisations.set(bodies)
    password = make_password(None)
    users = User.objects.bulk_create(
        [
            User(
                username=f"thisinh2025.{index:05d}",
                full_name=_name(rng),
                password=password,
                organisation=rng.choice(bodies),
            )
            for index in range(1, PARTICIPANTS_2025 + 1)
        ],
        batch_size=2000,
    )
    log_bulk_create(users)
    singles = [q for q in questions if q.kind == QuestionKind.SINGLE]
    attempts, participations = [], []
    for user, count in zip(users, _attempt_counts(rng), strict=True):
        organisation = user.organisation
        made = []
        for number in range(1, count + 1):
            started = opens + datetime.timedelta(minutes=rng.randrange(0, 60 * 24 * 59))
            seconds = rng.randrange(150, 1200)
            paper = [paper_entry(q, rng, shuffle_choices=True) for q in rng.sample(singles, QUESTIONS_PER_PAPER)]
            made.append(
                Attempt(
                    contest=contest,
                    user=user,
                    unit=organisation.unit,
                    organisation=organisation,
                    number=number,
                    status=AttemptStatus.FINISHED,
                    started_at=started,
                    deadline=started + datetime.timedelta(minutes=20),
                    finished_at=started + datetime.timedelta(seconds=seconds),
                    questions=paper,
                    score=float(min(10, max(0, round(rng.gauss(7.2, 1.8))))),
                    max_score=QUESTIONS_PER_PAPER,
                )
            )
        best = max(made, key=lambda a: (a.score, -a.seconds_used))
        attempts += made
        participations.append(
            Participation(
                contest=contest,
                user=user,
                unit=organisation.unit,
                organisation=organisation,
                unit_path=organisation.unit.path,
                attempts=count,
                grade=best.score,
                seconds=best.seconds_used,
                finished_at=max(a.finished_at for a in made),
            )
        )
    log_bulk_create(Attempt.objects.bulk_create(attempts, batch_size=2000))
    Participation.objects.bulk_create(participations, batch_size=2000)


RESIDENTS_XUAN_AI = 400


def demo_rules(province: Unit):
    """The demo's digital-citizen rules: the 2025 version, then from this year the version with the basic course
    (issue 14: "passed the basic course"), so this year's residents are scored with it. Idempotent."""
    from . import citizens

    rules = citizens.ensure_criteria_set(province, actor=None)
    year = str(timezone.localdate().year)
    if year > rules.first_period and not rules.criteria.filter(source_key="basic_course").exists():
        rules = citizens.add_basic_course_criterion(rules, actor=None, first_period=year)
    return rules


def _seed_digital_citizens(province: Unit) -> None:
    """Residents of Xuân Ái with their digital-life profiles, scored for this year, some with certificates."""
    from . import citizens
    from .models import DigitalCitizenProfile

    commune = Unit.objects.filter(code="04441", parent=province).first()
    if commune is None or DigitalCitizenProfile.objects.filter(unit__parent=commune).exists():
        return
    demo_rules(province)
    villages = list(Unit.objects.filter(parent=commune).order_by("code"))
    if not villages:
        return
    rng = random.Random(44)
    password = make_password(None)
    users = list(User.objects.filter(username__startswith="congdan.xuanai.").order_by("username"))
    if not users:
        users = User.objects.bulk_create(
            [
                User(username=f"congdan.xuanai.{index:04d}", full_name=_name(rng), password=password)
                for index in range(1, RESIDENTS_XUAN_AI + 1)
            ]
        )
        log_bulk_create(users)
    resident = User.objects.filter(username="congdan").first()
    if resident:
        users.append(resident)
    profiles = [
        DigitalCitizenProfile(
            user=user,
            unit=villages[index % len(villages)],
            has_electronic_identity=rng.random() < 0.8,
            online_services=rng.choice([0, 0, 1, 2, 3, 5]),
            pays_cashless=rng.random() < 0.6,
        )
        for index, user in enumerate(users)
    ]
    log_bulk_create(DigitalCitizenProfile.objects.bulk_create(profiles))
    _seed_resident_attempts(rng, [p for p in profiles if p.user.username != "congdan"][:160])
    year = str(timezone.localdate().year)
    evaluations = citizens.recognise(commune, year, actor=None)
    today = timezone.localdate()
    for evaluation in [e for e in evaluations if citizens.tier_of(e.total)][:40]:
        citizens.issue_certificate(evaluation, actor=None, day=today)


def _seed_resident_attempts(rng: random.Random, profiles) -> None:
    """Some residents already took this year's contest (it counts towards the digital-citizen rules)."""
    contest = Contest.objects.get(title=TITLE_NOW)
    singles = list(Question.objects.filter(unit=contest.unit, kind=QuestionKind.SINGLE))
    now = timezone.now()
    attempts, participations = [], []
    for profile in profiles:
        started = now - datetime.timedelta(days=rng.randrange(1, 12), minutes=rng.randrange(0, 600))
        seconds = rng.randrange(200, 1100)
        paper = [paper_entry(q, rng, shuffle_choices=True) for q in rng.sample(singles, QUESTIONS_PER_PAPER)]
        score = float(rng.choice([6, 7, 8, 8, 9, 10]))
        finished = started + datetime.timedelta(seconds=seconds)
        attempts.append(
            Attempt(
                contest=contest,
                user=profile.user,
                unit=profile.unit,
                number=1,
                status=AttemptStatus.FINISHED,
                started_at=started,
                deadline=started + datetime.timedelta(minutes=20),
                finished_at=finished,
                questions=paper,
                score=score,
                max_score=QUESTIONS_PER_PAPER,
            )
        )
        participations.append(
            Participation(
                contest=contest,
                user=profile.user,
                unit=profile.unit,
                unit_path=profile.unit.path,
                attempts=1,
                grade=score,
                seconds=seconds,
                finished_at=finished,
            )
        )
    log_bulk_create(Attempt.objects.bulk_create(attempts))
    Participation.objects.bulk_create(participations)
