"""The rules of Decree 335/2025/NĐ-CP as data: a scoring criteria set (weights and caps) and the KPI rules.
Used by the demo and the tests; a province changes them by making new versions, not by changing code."""

import datetime
from decimal import Decimal

from tinhso.scoring.choices import Rule, Source, VerifyingLevel
from tinhso.scoring.models import CriteriaSet, Criterion

from .models import KpiRules

DECREE_335_FROM = datetime.date(2026, 1, 1)

GRADES = [
    {"code": "excellent", "label": "Hoàn thành xuất sắc nhiệm vụ", "min": 90},
    {"code": "good", "label": "Hoàn thành tốt nhiệm vụ", "min": 70},
    {"code": "done", "label": "Hoàn thành nhiệm vụ", "min": 50},
    {"code": "not_done", "label": "Không hoàn thành nhiệm vụ", "min": 0},
]
DISQUALIFIERS = [
    {"code": "discipline", "label": "Bị xử lý kỷ luật trong năm đánh giá", "grade": "not_done"},
    {"code": "corruption", "label": "Có hành vi tham nhũng, tiêu cực bị kết luận", "grade": "not_done"},
    {"code": "warning", "label": "Bị nhắc nhở bằng văn bản về chấp hành kỷ luật", "grade": "done"},
]
QUALITY_FACTORS = {"excellent": 1, "good": 0.85, "fair": 0.6, "poor": 0.3}
# Half of a leader's task-result points come from the results of the unit they lead (the line below them;
# for the head, the whole body and its plan tasks). A province sets its own share in a new rules version.
LEADER_UNIT_SHARE = Decimal(50)
LATENESS = [{"up_to_days": 0, "credit": 1}, {"up_to_days": 3, "credit": 0.7}, {"up_to_days": 10, "credit": 0.4}]

# code, name, max points, source key
TASK_RESULTS = [
    ("A1", "Số lượng sản phẩm quy đổi so với giao hoặc định mức", 30, "quantity"),
    ("A2", "Chất lượng sản phẩm được nghiệm thu", 20, "quality"),
    ("A3", "Tiến độ hoàn thành", 20, "timeliness"),
]
GENERAL = [
    ("B1", "Phẩm chất chính trị", 5, "general:politics"),
    ("B2", "Đạo đức, lối sống", 5, "general:ethics"),
    ("B3", "Ý thức tổ chức kỷ luật", 5, "general:discipline"),
    ("B4", "Năng lực, trình độ chuyên môn", 5, "general:competence"),
    ("B5", "Tinh thần trách nhiệm", 4, "general:responsibility"),
    ("B6", "Thái độ phục vụ nhân dân", 3, "general:service"),
    ("B7", "Đổi mới, sáng tạo", 3, "general:innovation"),
]
GENERAL_CODES = [key.removeprefix("general:") for *_rest, key in GENERAL]


def decree_335_rules(owner_unit) -> KpiRules:
    """Create (once) the rule set in force from 1/1/2026 for the province `owner_unit`."""
    found = KpiRules.objects.filter(effective_from=DECREE_335_FROM, unit=owner_unit).first()
    if found:
        return found
    criteria_set, _created = CriteriaSet.objects.get_or_create(
        code="KPI-335",
        first_period="202601",
        defaults={
            "name": "Đánh giá cán bộ, công chức theo kết quả (Nghị định 335/2025/NĐ-CP)",
            "subject_kind": "work.staff",
            "unit": owner_unit,
            "verifying_level": VerifyingLevel.COMMUNE,
            "classification": [{"label": g["label"], "min": g["min"]} for g in GRADES],
        },
    )
    for order, (code, name, points, children) in enumerate(
        [("A", "Kết quả thực hiện nhiệm vụ", 70, TASK_RESULTS), ("B", "Tiêu chí chung", 30, GENERAL)]
    ):
        group = Criterion.objects.create(
            criteria_set=criteria_set, code=code, name=name, order=order, max_points=Decimal(points)
        )
        for position, (child_code, child_name, child_points, key) in enumerate(children):
            Criterion.objects.create(
                criteria_set=criteria_set,
                parent=group,
                code=child_code,
                name=child_name,
                order=position,
                max_points=Decimal(child_points),
                rule=Rule.RATIO,
                source=Source.COMPUTED,
                source_key=key,
            )
    return KpiRules.objects.create(
        name="Nghị định 335/2025/NĐ-CP",
        unit=owner_unit,
        effective_from=DECREE_335_FROM,
        criteria_set=criteria_set,
        quality_factors=QUALITY_FACTORS,
        lateness=LATENESS,
        grades=GRADES,
        disqualifiers=DISQUALIFIERS,
        excellent_quota_percent=Decimal(20),
        leader_unit_share=LEADER_UNIT_SHARE,
    )
