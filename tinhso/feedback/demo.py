"""Demo: a year of citizen reports across Văn Yên's villages, answered by the communes and the departments,
rated by the reporters, with a few still open and some overdue. `congdan` has reports of their own.

The services stamp the present; the history is then moved back to the day each report was "sent" (one
update per report, in this seed only), so the statistics show a real year."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.core.context import acting_as
from tinhso.units.models import Organisation, Unit
from tinhso.units.services import create_organisation

from . import services
from .choices import Level
from .models import Report, ReportEvent, ServiceCategory

REPORTS = 360
# code, name, group, level, deadline (working days), department (short name) or "", keywords
CATEGORIES = [
    ("duong-hu-hong", "Đường giao thông hư hỏng", "Hạ tầng", Level.COMMUNE, 10, "", "đường, ổ gà, cầu tràn"),
    ("sat-lo", "Sạt lở đất, đá", "Thiên tai", Level.COMMUNE, 3, "", "sạt lở, lũ quét, taluy"),
    ("mat-dien", "Mất điện, điện chập chờn", "Hạ tầng", Level.COMMUNE, 5, "", "điện, cột điện"),
    ("nuoc-sach", "Nước sinh hoạt", "Hạ tầng", Level.COMMUNE, 10, "", "nước, bể nước"),
    ("moi-truong", "Rác thải, ô nhiễm môi trường", "Môi trường", Level.PROVINCE, 15, "Sở NN&MT", "rác, khói"),
    ("thu-tuc", "Thủ tục hành chính", "Hành chính", Level.PROVINCE, 7, "TTPVHCC", "hồ sơ, giấy tờ"),
    ("y-te", "Y tế, trạm y tế", "Xã hội", Level.PROVINCE, 10, "Sở Y tế", "trạm y tế, thuốc"),
    ("kien-nghi", "Kiến nghị, đề xuất", "Kiến nghị", Level.COMMUNE, 15, "", "đề xuất, góp ý"),
]
STORIES = {
    "duong-hu-hong": [
        "Đường vào thôn có nhiều ổ gà sau mưa, xe máy đi lại khó khăn.",
        "Cầu tràn bị nước cuốn mất một đoạn.",
    ],
    "sat-lo": ["Taluy dương sạt xuống lấp nửa mặt đường.", "Đất nứt sau nhà văn hóa thôn, có nguy cơ sạt."],
    "mat-dien": ["Cả thôn mất điện từ tối qua.", "Điện chập chờn, đồ điện trong nhà bị hỏng."],
    "nuoc-sach": ["Bể nước tự chảy bị vỡ, các hộ cuối thôn không có nước.", "Nước đục sau mưa lớn."],
    "moi-truong": ["Rác thải đổ bên suối, bốc mùi.", "Khói lò đốt than ảnh hưởng các hộ xung quanh."],
    "thu-tuc": ["Hồ sơ cấp đổi sổ đỏ quá hạn chưa có kết quả.", "Không nộp được hồ sơ trực tuyến, báo lỗi tài khoản."],
    "y-te": ["Trạm y tế xã thiếu thuốc điều trị cao huyết áp.", "Đề nghị tổ chức tiêm chủng tại thôn."],
    "kien-nghi": [
        "Đề nghị lắp đèn đường đoạn trước trường tiểu học.",
        "Đề nghị mở lớp dạy kỹ năng số cho người cao tuổi.",
    ],
}
ANSWERS = [
    "UBND xã đã cử cán bộ kiểm tra và khắc phục. Cảm ơn ông/bà đã phản ánh.",
    "Cơ quan đã tiếp nhận, phối hợp đơn vị liên quan xử lý xong.",
    "Nội dung đã được đưa vào kế hoạch năm tới; cơ quan sẽ thông báo khi triển khai.",
]
NAMES = ["Hoàng Văn Sơn", "Lò Thị Hương", "Triệu Văn Minh", "Bàn Thị Lan", "Đặng Văn Tài", "Giàng Thị Mỷ"]


def _villages_of_van_yen(today: datetime.date) -> list[Unit]:
    old_communes = Unit.objects.filter(parent__code="136", level="commune")
    codes = Unit.objects.filter(parent__in=old_communes, level="village").values_list("code", flat=True)
    return list(Unit.objects.valid_on(today).filter(code__in=list(codes), level="village").select_related("parent"))


def _ensure_committees(villages: list[Unit]) -> None:
    for commune in {village.parent for village in villages if village.parent is not None}:
        if not Organisation.objects.filter(unit=commune, kind="peoples_committee").exists():
            create_organisation(
                actor=None,
                data={
                    "name": f"Ủy ban nhân dân xã {commune.short_name or commune.name}",
                    "short_name": "UBND",
                    "kind": "peoples_committee",
                    "unit": commune,
                },
            )


def _catalogue(province: Unit) -> dict[str, ServiceCategory]:
    catalogue = {}
    for order, (code, name, group, level, days, department, keywords) in enumerate(CATEGORIES):
        office = Organisation.objects.filter(unit=province, short_name=department).first() if department else None
        category = ServiceCategory.objects.filter(code=code).first() or ServiceCategory(code=code)
        category.unit, category.name, category.group, category.level = province, name, group, level
        category.deadline_days, category.organisation, category.keywords, category.order = days, office, keywords, order
        if level == Level.PROVINCE and office is None:
            category.level = Level.COMMUNE
        catalogue[code] = services.save_category(actor=None, category=category)
    catalogue["sat-lo"].attributes = [
        {
            "variable": True,
            "code": "nguy_hiem",
            "datatype": "singlevaluelist",
            "required": True,
            "datatype_description": "",
            "order": 1,
            "description": "Có người hoặc nhà bị đe dọa không?",
            "values": [{"key": "co", "name": "Có"}, {"key": "khong", "name": "Không"}],
        }
    ]
    services.save_category(actor=None, category=catalogue["sat-lo"])
    return catalogue


def _backdate(report: Report, sent: datetime.datetime, answered: datetime.datetime | None) -> None:
    deadline = services.workdays.add_working_days(timezone.localdate(sent), report.service.deadline_days)
    changes = {"submitted_at": sent, "deadline": deadline, "created_at": sent}
    if answered is not None:
        changes["answered_at"] = answered
        if report.closed_at:
            changes["closed_at"] = answered + datetime.timedelta(days=2)
    Report.objects.filter(pk=report.pk).update(**changes)
    ReportEvent.objects.filter(report=report, kind__in=("created", "routed")).update(at=sent)
    ReportEvent.objects.filter(report=report).exclude(kind__in=("created", "routed")).update(at=answered or sent)


def _one(rng, catalogue, villages, reporter, now, index) -> None:
    code = rng.choice(list(catalogue))
    village = rng.choice(villages)
    sent = now - datetime.timedelta(days=rng.uniform(1, 365), hours=rng.uniform(0, 10))
    pin = {}
    if village.latitude is not None and rng.random() < 0.6:
        pin = {"latitude": village.latitude + Decimal(rng.randint(-300, 300)) / 100000, "longitude": village.longitude}
    report, _created = services.submit_report(
        actor=reporter,
        service=catalogue[code],
        place=village,
        description=rng.choice(STORIES[code]),
        attributes={"nguy_hiem": rng.choice(["co", "khong"])} if code == "sat-lo" else None,
        idempotency_key=f"demo-{index}",
        **pin,
    )
    age = (now - sent).days
    if age < 12 and rng.random() < 0.6 or rng.random() < 0.04:  # recent ones wait; a few old ones are overdue
        if rng.random() < 0.5:
            services.start_handling(report, actor=None)
        _backdate(report, sent, None)
        return
    days = rng.choice([1, 2, 3, 5, 8, 12, 16, 25])
    answered = min(sent + datetime.timedelta(days=days, hours=rng.uniform(1, 6)), now)
    services.answer_report(report, actor=None, answer=rng.choice(ANSWERS))
    if report.reporter_id and rng.random() < 0.7:
        services.rate_report(report, actor=report.reporter, rating=rng.choices([5, 4, 3, 2, 1], [40, 30, 15, 10, 5])[0])
    if rng.random() < 0.6:
        report = services.close_report(report, actor=None, reason="Đã xử lý xong.")
    _backdate(report, sent, answered)


def seed_feedback(stdout=None) -> None:
    if Report.objects.exists():
        return
    today, now = timezone.localdate(), timezone.now()
    province = Unit.objects.valid_on(today).filter(level="province").order_by("path").first()
    villages = _villages_of_van_yen(today)
    if province is None or not villages:
        return
    rng = random.Random(13)
    with acting_as(None, source="command"), transaction.atomic():
        for year in (today.year - 1, today.year, today.year + 1):
            services.seed_holidays(year)
        _ensure_committees(villages)
        catalogue = _catalogue(province)
        reporters = list(User.objects.filter(username__startswith="congdan.").order_by("username")[:60])
        resident = User.objects.filter(username="congdan").first()
        reporters = reporters or [None]  # without the learning demo's residents: filed at the commune's desk
        for index in range(REPORTS):
            _one(rng, catalogue, villages, rng.choice(reporters), now, index)
        if resident is not None:
            _residents_own(rng, catalogue, villages, resident, now)
    if stdout:
        stdout.write(f"Citizen reports: {Report.objects.count()} across {len(villages)} villages of Văn Yên.\n")


def _residents_own(rng, catalogue, villages, resident, now) -> None:
    """congdan: one answered and waiting for a rating, one being handled, one just sent."""
    home = next((village for village in villages if village.code.startswith("04441")), villages[0])
    answered, _ = services.submit_report(
        actor=resident,
        service=catalogue["duong-hu-hong"],
        place=home,
        idempotency_key="demo-congdan-1",
        description="Đường từ thôn ra trường có đoạn lầy, học sinh đi lại khó.",
    )
    services.answer_report(answered, actor=None, answer="Xã đã rải đá cấp phối đoạn đường, đi lại bình thường.")
    _backdate(answered, now - datetime.timedelta(days=9), now - datetime.timedelta(days=2))
    handling, _ = services.submit_report(
        actor=resident,
        service=catalogue["nuoc-sach"],
        place=home,
        idempotency_key="demo-congdan-2",
        description="Ống dẫn nước tự chảy bị vỡ ở đầu thôn.",
    )
    services.start_handling(handling, actor=None)
    _backdate(handling, now - datetime.timedelta(days=3), None)
    services.submit_report(
        actor=resident,
        service=catalogue["kien-nghi"],
        place=home,
        idempotency_key="demo-congdan-3",
        description="Đề nghị lắp thêm loa truyền thanh ở cuối thôn.",
    )


def describe_demo() -> str:
    return (
        "Phản ánh, kiến nghị: /feedback/ (congdan gửi, canbo.xuanai trả lời); công khai /phan-anh/; "
        "Open311 /open311/v2/discovery.json"
    )
