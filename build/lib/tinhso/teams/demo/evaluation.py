"""The demo's evaluation index: criteria sets for village and commune teams (Yên Bái's version
for 2022–2025, Lào Cai's from 2026), scores computed from the year of activities, and some of
them verified by the commune (village teams) or the province (commune teams)."""

import datetime
from decimal import Decimal

from tinhso.scoring import services as scoring
from tinhso.scoring.models import CriteriaSet, Criterion, Evaluation
from tinhso.scoring.rules import Inputs
from tinhso.units.models import Unit

from .. import services
from ..choices import TeamLevel

# code, name, max points, rule, source key ("" for manual), thresholds, evidence required; groups have rule None.
VILLAGE_CRITERIA = [
    (
        "1",
        "Tổ chức và duy trì hoạt động của Tổ",
        25,
        None,
        "",
        [],
        False,
        [
            ("1.1", "Tổ có tổ trưởng được phân công", 5, "boolean", "has_leader", [], False),
            ("1.2", "Số thành viên của Tổ", 10, "stepped", "members", [(7, 10), (5, 7), (3, 4)], False),
            ("1.3", "Số tháng có hoạt động trong kỳ", 10, "ratio", "active_months", [], False),
        ],
    ),
    (
        "2",
        "Kết quả hỗ trợ người dân",
        55,
        None,
        "",
        [],
        False,
        [
            (
                "2.1",
                "Số lượt hoạt động tại cộng đồng",
                15,
                "stepped",
                "activities",
                [(20, 15), (14, 12), (9, 9), (5, 5), (1, 2)],
                False,
            ),
            (
                "2.2",
                "Lượt hộ gia đình được hướng dẫn so với số hộ của thôn",
                20,
                "ratio",
                "household_coverage",
                [],
                False,
            ),
            (
                "2.3",
                "Người dân được hướng dẫn kích hoạt VNeID mức 2",
                10,
                "stepped",
                "type:vneid-muc-2",
                [(60, 10), (30, 7), (10, 4), (1, 1)],
                False,
            ),
            (
                "2.4",
                "Số loại hoạt động khác nhau",
                10,
                "stepped",
                "activity_kinds",
                [(6, 10), (4, 7), (2, 4), (1, 1)],
                False,
            ),
        ],
    ),
    (
        "3",
        "Minh chứng và đánh giá của xã",
        20,
        None,
        "",
        [],
        False,
        [
            ("3.1", "Hoạt động có ảnh hoặc tài liệu minh chứng", 10, "ratio", "evidence_share", [], False),
            ("3.2", "Đánh giá của UBND xã về hiệu quả hoạt động", 10, "manual", "", [], True),
        ],
    ),
]
COMMUNE_CRITERIA = [
    (
        "1",
        "Kiện toàn và tổ chức hoạt động",
        20,
        None,
        "",
        [],
        False,
        [
            ("1.1", "Tổ có tổ trưởng là lãnh đạo UBND xã", 5, "boolean", "has_leader", [], False),
            ("1.2", "Số thành viên của Tổ", 10, "stepped", "members", [(9, 10), (7, 7), (5, 4)], False),
            ("1.3", "Tỷ lệ nữ trong Tổ", 5, "stepped", "women_share", [(30, 5), (20, 3), (10, 1)], False),
        ],
    ),
    (
        "2",
        "Chỉ đạo Tổ CĐS cộng đồng các thôn",
        40,
        None,
        "",
        [],
        False,
        [
            ("2.1", "Tổ CĐS thôn có hoạt động trong kỳ", 20, "ratio", "village_teams_active", [], False),
            ("2.2", "Thôn, tổ dân phố có Tổ CĐS cộng đồng", 10, "ratio", "village_coverage", [], False),
            (
                "2.3",
                "Số lượt hoạt động của Tổ cấp xã",
                10,
                "stepped",
                "activities",
                [(25, 10), (15, 8), (8, 5), (1, 2)],
                False,
            ),
        ],
    ),
    (
        "3",
        "Kết quả trên địa bàn xã",
        30,
        None,
        "",
        [],
        False,
        [
            ("3.1", "Lượt hộ được hướng dẫn so với số hộ của xã", 15, "ratio", "household_coverage", [], False),
            (
                "3.2",
                "Người dân được Tổ cấp xã hỗ trợ",
                10,
                "stepped",
                "people_reached",
                [(600, 10), (300, 7), (100, 4)],
                False,
            ),
            ("3.3", "Hoạt động có minh chứng", 5, "ratio", "evidence_share", [], False),
        ],
    ),
    ("4", "Kết quả thực hiện chỉ tiêu chuyển đổi số của xã (theo báo cáo kế hoạch)", 10, "manual", "", [], True, []),
]


def _criteria(criteria_set: CriteriaSet, rows, parent=None) -> None:
    for order, (code, name, points, rule, key, steps, evidence, *children) in enumerate(rows, start=1):
        criterion = Criterion.objects.create(
            criteria_set=criteria_set,
            parent=parent,
            code=code,
            name=name,
            order=order,
            max_points=Decimal(points),
            rule=rule or "manual",
            source="computed" if key else "manual",
            source_key=key,
            thresholds=[{"at_least": floor, "points": given} for floor, given in steps],
            evidence_required=evidence,
        )
        if children and children[0]:
            _criteria(criteria_set, children[0], criterion)


def seed_criteria_sets() -> None:
    if CriteriaSet.objects.filter(subject_kind__startswith="teams.").exists():
        return
    yen_bai = Unit.objects.filter(code="15", valid_from=datetime.date(2020, 1, 1)).first()
    lao_cai = Unit.objects.filter(code="15", valid_from=datetime.date(2025, 7, 1)).first()
    if yen_bai is None or lao_cai is None:
        return
    for level, rows, verifier, name in (
        (TeamLevel.VILLAGE, VILLAGE_CRITERIA, "commune", "Bộ chỉ số đánh giá Tổ CĐS cộng đồng cấp thôn"),
        (TeamLevel.COMMUNE, COMMUNE_CRITERIA, "province", "Bộ chỉ số đánh giá Tổ CĐS cộng đồng cấp xã"),
    ):
        first = CriteriaSet.objects.create(
            code=f"TCDS-{'THON' if level == TeamLevel.VILLAGE else 'XA'}",
            name=name,
            subject_kind=services.SUBJECT_KINDS[level],
            unit=yen_bai,
            first_period="2022",
            verifying_level=verifier,
            description="Ban hành kèm theo Quyết định của UBND tỉnh Yên Bái; áp dụng từ năm 2022.",
        )
        _criteria(first, rows)
        current = scoring.new_version(first, actor=None, first_period="2026")
        current.unit = lao_cai
        current.description = "Phiên bản áp dụng từ năm 2026 sau sắp xếp đơn vị hành chính, tỉnh Lào Cai."
        current.save()


def seed_scores(period: str, stdout=None) -> None:
    if Evaluation.objects.filter(criteria_set__subject_kind__startswith="teams.", period=period).exists():
        return
    villages = services.evaluate_teams(TeamLevel.VILLAGE, period, actor=None)
    communes = services.evaluate_teams(TeamLevel.COMMUNE, period, actor=None)
    _verify_some(sorted(villages, key=lambda e: e.unit.path)[::9], "Biên bản đánh giá của UBND xã")
    _verify_some(sorted(communes, key=lambda e: e.unit.path)[::4], "Biên bản thẩm định của Sở Khoa học và Công nghệ")


def _verify_some(evaluations: list[Evaluation], record: str) -> None:
    """The verifier scores the hand-entered criterion, with its record, then verifies."""
    for number, evaluation in enumerate(evaluations, start=12):
        for score in evaluation.scores.select_related("criterion").filter(criterion__rule="manual"):
            points = Decimal(4 + (evaluation.pk * 7 + number) % 7)
            note = f"{record} số {number}/BB ngày 15/11/{evaluation.period[:4]}"
            scoring.enter_score(score, actor=None, inputs=Inputs(points=points), evidence_note=note)
        scoring.verify(evaluation, actor=None)
