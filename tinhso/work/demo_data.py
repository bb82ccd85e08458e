"""Demo: the staff of Xuân Ái commune and of the provincial Digital Transformation Centre, their product
catalogues, a year of work items, monthly scores and year grades that respect the excellent quota.
`chutich.xuanai` assigns and accepts; `canbo.xuanai` holds items and scores."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tinhso.accounts.demo import demo_password_hash
from tinhso.accounts.models import RoleAssignment, User
from tinhso.accounts.roles import Role
from tinhso.core.changelog import log_bulk_create
from tinhso.core.context import acting_as
from tinhso.core.periods import parse_period
from tinhso.scoring.models import Evaluation
from tinhso.units.models import Organisation, Unit

from . import evaluation
from .defaults import GENERAL, decree_335_rules
from .models import ConversionFactor, JobPosition, MonthlyReview, PositionNorm, Product, StaffMember, WorkItem

BEFORE = datetime.date(2025, 6, 30)
JANUARY = datetime.date(2026, 1, 1)

XUAN_AI_STAFF = [
    # username, full name, title, role of the line (head / deputy / staff / personnel)
    ("chutich.xuanai", "Hoàng Văn Long", "Chủ tịch UBND xã", "head"),
    ("phochutich.xuanai", "Vàng Thị Dung", "Phó Chủ tịch UBND xã", "deputy"),
    ("canbo.xuanai", "Lý Thị Hoa", "Công chức Văn phòng - Thống kê", "staff"),
    ("noivu.xuanai", "Đinh Thị Lan", "Công chức Văn phòng - Nội vụ", "personnel"),
    ("diachinh.xuanai", "Triệu Văn Sơn", "Công chức Địa chính - Xây dựng", "staff"),
    ("tuphap.xuanai", "Bàn Thị Nga", "Công chức Tư pháp - Hộ tịch", "staff"),
    ("vanhoa.xuanai", "Sìn Văn Phúc", "Công chức Văn hóa - Xã hội", "staff"),
    ("ketoan.xuanai", "Nguyễn Thị Thu", "Công chức Tài chính - Kế toán", "staff"),
    ("cds.xuanai", "Lò Văn Tâm", "Công chức phụ trách chuyển đổi số", "staff"),
    ("nongnghiep.xuanai", "Hà Văn Quang", "Công chức Nông nghiệp - Môi trường", "staff"),
    ("quansu.xuanai", "Giàng Văn Dũng", "Chỉ huy trưởng Quân sự", "staff"),
]
CENTRE_STAFF = [
    ("trungtam.cds", "Nguyễn Thu Hà", "Giám đốc Trung tâm", "head"),
    ("phogiamdoc.cds", "Phạm Quốc Việt", "Phó Giám đốc Trung tâm", "deputy"),
    ("hanhchinh.cds", "Lê Thị Mai", "Viên chức Hành chính - Tổ chức", "personnel"),
    ("hatang.cds", "Trần Đức Anh", "Viên chức Hạ tầng số", "staff"),
    ("dulieu.cds", "Vũ Thị Hạnh", "Viên chức Dữ liệu số", "staff"),
    ("attt.cds", "Đỗ Minh Khôi", "Viên chức An toàn thông tin", "staff"),
    ("hotro.cds", "Bùi Thị Yến", "Viên chức Hỗ trợ người dùng", "staff"),
]
XUAN_AI_PRODUCTS = [
    ("BC", "Báo cáo định kỳ", "báo cáo", "1"),
    ("TT", "Tờ trình, kế hoạch", "văn bản", "1.5"),
    ("HS", "Hồ sơ thủ tục hành chính giải quyết", "hồ sơ", "0.2"),
    ("HD", "Văn bản hướng dẫn, đôn đốc", "văn bản", "0.8"),
    ("TTR", "Buổi tuyên truyền tại thôn", "buổi", "1.2"),
    ("KT", "Biên bản kiểm tra, xác minh", "biên bản", "0.5"),
]
CENTRE_PRODUCTS = [
    ("BCCD", "Báo cáo chuyên đề", "báo cáo", "2"),
    ("HSKT", "Hồ sơ kỹ thuật, thẩm định", "hồ sơ", "1.5"),
    ("HTKT", "Lượt hỗ trợ kỹ thuật", "lượt", "0.1"),
    ("TH", "Buổi tập huấn", "buổi", "2.5"),
    ("BCAT", "Báo cáo giám sát an toàn thông tin", "báo cáo", "1"),
]
TASKS = {
    "BC": "Báo cáo kết quả chuyển đổi số",
    "TT": "Tờ trình kế hoạch",
    "HS": "Giải quyết hồ sơ một cửa",
    "HD": "Văn bản đôn đốc các thôn",
    "TTR": "Tuyên truyền dịch vụ công trực tuyến",
    "KT": "Kiểm tra, xác minh hiện trạng",
    "BCCD": "Báo cáo chuyên đề chuyển đổi số",
    "HSKT": "Thẩm định hồ sơ kỹ thuật",
    "HTKT": "Hỗ trợ kỹ thuật các xã",
    "TH": "Tập huấn kỹ năng số",
    "BCAT": "Báo cáo giám sát an toàn thông tin",
}
# Ability of each person (share of work finished, on time, rated well): a spread of grades.
ABILITY = [0.97, 0.9, 0.93, 0.85, 0.8, 0.95, 0.7, 0.88, 0.96, 0.6, 0.82]


def seed(stdout=None) -> None:
    xuan_ai = Unit.objects.valid_on(BEFORE).filter(code="04441").first()
    province = Unit.objects.valid_on(BEFORE).filter(code="15").first()
    if xuan_ai is None or province is None or StaffMember.objects.filter(user__username="chutich.xuanai").exists():
        return
    committee = Organisation.objects.filter(unit=xuan_ai, kind="peoples_committee").first()
    centre = Organisation.objects.filter(unit=province, short_name="TT CĐS").first()
    if committee is None or centre is None:
        return
    with acting_as(None, source="command"), transaction.atomic():
        decree_335_rules(province)
        bodies = [
            (committee, xuan_ai, Role.COMMUNE_OFFICER, XUAN_AI_STAFF, XUAN_AI_PRODUCTS),
            (centre, province, Role.DX_CENTRE_STAFF, CENTRE_STAFF, CENTRE_PRODUCTS),
        ]
        for organisation, unit, role, people, products in bodies:
            staff = _staff(organisation, unit, role, people)
            catalogue = _catalogue(organisation, products)
            _items(organisation, unit, staff, catalogue)
            _scores(organisation, staff)
        _appeal(committee)
    if stdout:
        stdout.write("  work: staff of Xuân Ái and the DX centre, a year of work items, scores and grades\n")


def _staff(organisation, unit, role, people) -> list[StaffMember]:
    position = JobPosition.objects.create(organisation=organisation, name="Chuyên môn, nghiệp vụ")
    PositionNorm.objects.create(job_position=position, effective_from=JANUARY, monthly_standard_products=8)
    members: list[StaffMember] = []
    head = deputy = None
    for username, full_name, title, line in people:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=User.normalize_username(username), email="", full_name=full_name)
            user.password = demo_password_hash()  # what create_user(password=DEMO_PASSWORD) stores, hashed once
            user.save()
        RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit, defaults={"include_descendants": True})
        manager = None if line == "head" else (head if line in ("deputy", "personnel") else deputy or head)
        member = StaffMember.objects.create(
            user=user,
            organisation=organisation,
            title=title,
            manager=manager,
            job_position=position if line == "staff" else None,
            is_head=line == "head",
            is_personnel_officer=line == "personnel",
        )
        head = member if line == "head" else head
        deputy = member if line == "deputy" else deputy
        members.append(member)
    return members


def _catalogue(organisation, products) -> list[Product]:
    found = []
    for code, name, measure, factor in products:
        product = Product.objects.create(organisation=organisation, code=code, name=name, measure=measure)
        ConversionFactor.objects.create(product=product, effective_from=JANUARY, factor=Decimal(factor))
        found.append(product)
    return found


def _items(organisation, unit, staff: list[StaffMember], catalogue: list[Product]) -> None:
    chance = random.Random(f"work-{organisation.pk}")
    today = timezone.localdate()
    head = next(member for member in staff if member.is_head)
    items = []
    for index, member in enumerate(staff):
        ability = ABILITY[index % len(ABILITY)]
        giver = member.manager or head
        for month in range(1, 13):
            first = datetime.date(today.year, month, 1)
            if first > today + datetime.timedelta(days=31):
                break
            for number in range(chance.randint(6, 9)):
                product = chance.choice(catalogue)
                due = first + datetime.timedelta(days=chance.randint(4, 27))
                assigned = due - datetime.timedelta(days=chance.randint(5, 20))
                quantity = Decimal(chance.choice([1, 1, 2, 3])) if product.code not in ("HS", "HTKT") else Decimal(10)
                item = WorkItem(
                    unit=unit,
                    organisation=organisation,
                    title=f"{TASKS[product.code]} ({number + 1}/{month})",
                    assignee=member.user,
                    assigned_by=giver.user if giver != member else member.user,
                    assigned_on=assigned,
                    due_date=due,
                    product=product,
                    quantity=quantity,
                    priority=chance.choice(["normal", "normal", "high", "low"]),
                )
                _progress(item, chance, ability, today)
                items.append(item)
    log_bulk_create(WorkItem.objects.bulk_create(items, batch_size=1000))


def _progress(item: WorkItem, chance: random.Random, ability: float, today: datetime.date) -> None:
    """Past work is mostly accepted (late and rated by the person's ability); this month's is under way."""
    if item.due_date > today or (item.due_date > today - datetime.timedelta(days=10) and chance.random() < 0.5):
        item.status = chance.choice(["assigned", "in_progress", "in_progress"])
        item.progress = 0 if item.status == "assigned" else chance.choice([20, 40, 60, 80])
        return
    if chance.random() > ability + 0.05:
        item.status, item.progress, item.times_returned = "returned", 70, 1
        item.return_reason = "Cần bổ sung số liệu"
        return
    late = 0 if chance.random() < ability else chance.randint(1, 8)
    item.submitted_on = min(item.due_date + datetime.timedelta(days=late), today)
    item.accepted_on = min(item.submitted_on + datetime.timedelta(days=1), today)
    item.status, item.progress = "accepted", 100
    roll = chance.random()
    item.quality = "excellent" if roll < ability - 0.5 else "good" if roll < ability else "fair"
    item.accepted_by = item.assigned_by


def _scores(organisation, staff: list[StaffMember]) -> None:
    today = timezone.localdate()
    months = [parse_period(f"{today.year}{month:02d}") for month in range(1, today.month + 1)]
    general = {key.removeprefix("general:"): points for _code, _name, points, key in GENERAL}
    reviews = []
    for index, member in enumerate(staff):
        ability = ABILITY[index % len(ABILITY)]
        points = {
            code: str(round(Decimal(maximum) * Decimal(str(min(ability + 0.05, 1))), 1))
            for code, maximum in general.items()
        }
        for period in months:
            closed = period.end < today
            reviews.append(
                MonthlyReview(
                    staff=member,
                    period=period.code,
                    self_points=points,
                    manager_points=points if closed else {},
                    self_comment="Hoàn thành các nhiệm vụ được giao.",
                    collective_comment="Tập thể nhất trí." if closed else "",
                    status="approved" if closed else "self_assessed",
                )
            )
    log_bulk_create(MonthlyReview.objects.bulk_create(reviews, batch_size=1000))
    for period in months:
        evaluation.score_month(staff, period.code)
        if period.end < today:
            Evaluation.objects.filter(
                pk__in=MonthlyReview.objects.filter(staff__in=staff, period=period.code).values("evaluation_id")
            ).update(status="verified")
    evaluation.propose_year(organisation, today.year)


def _appeal(committee) -> None:
    """`canbo.xuanai` appeals the first approved month; it waits for `chutich.xuanai`."""
    from .appeals import file_appeal

    officer = StaffMember.objects.filter(user__username="canbo.xuanai", organisation=committee).first()
    first = MonthlyReview.objects.filter(staff=officer, status="approved").order_by("period").first()
    if officer is None or first is None:
        return
    file_appeal(
        officer,
        actor=officer.user,
        period=first.period,
        reason="Báo cáo chuyên đề tháng này nộp đúng hạn nhưng được ghi nhận trễ 2 ngày; đề nghị xem xét lại.",
    )
