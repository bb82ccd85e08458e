"""Demo of plans: Yên Bái's 2024 plan and the 22 targets to 2025, reported data that gives the
published figures, reports in every state, tasks, and scores. Idempotent; bulk inserts."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from tinhso.core.changelog import log_bulk_create
from tinhso.units.models import Organisation, Unit

from . import demo_data, rollups
from .choices import ReportStatus, TaskKind, TaskStatus
from .demo_tasks import KEY_TASKS, MODELS, PEOPLE, PROJECTS, SOLUTION_GROUPS, STAFFING
from .models import DataElement, DataSet, DataSetElement, DataValue, Indicator, Plan, Report, Target, Task
from .models.metadata import ValidationRule
from .periods import parse

YEAR_END = datetime.date(2024, 12, 31)
FIVE_G_DISTRICTS = ("132", "133", "137", "141")
NO_BROADBAND_DISTRICTS = ("137", "139")


def seed_plans(stdout=None) -> None:
    if Plan.objects.filter(number="80/KH-UBND").exists():
        return
    yen_bai = Unit.objects.get(code="15", valid_to__isnull=False, level="province")
    rng = random.Random(80)
    data_sets = _definitions()
    _village_reports(data_sets["THON_NAM"], yen_bai, rng)
    _commune_reports(data_sets["XA_THANG"], yen_bai, rng)
    _province_reports(data_sets["TINH_NAM"], yen_bai)
    rollups.rebuild()
    plans = _plans(yen_bai)
    _tasks(plans, yen_bai, rng)
    _current_plan(rng)
    _scores(yen_bai)


# --- Definitions -----------------------------------------------------------------------------


def _data_set(code, name, period_type, level, due_days, elements, rules=()) -> DataSet:
    data_set = DataSet.objects.create(
        code=code, name=name, period_type=period_type, unit_level=level, due_days=due_days
    )
    created = DataElement.objects.bulk_create(
        [
            DataElement(code=c, name=n, value_type=v, aggregation=a, unit_of_measure=u, min_value=Decimal(0))
            for c, n, v, a, u in elements
        ]
    )
    DataSetElement.objects.bulk_create(
        [DataSetElement(data_set=data_set, data_element=e, order=i) for i, e in enumerate(created)]
    )
    ValidationRule.objects.bulk_create(
        [ValidationRule(data_set=data_set, name=n, left=left, operator=op, right=right) for n, left, op, right in rules]
    )
    log_bulk_create([data_set, *created])
    return data_set


def _definitions() -> dict[str, DataSet]:
    village = _data_set(
        "THON_NAM",
        "Báo cáo hạ tầng và xã hội số thôn, bản, tổ dân phố (hằng năm)",
        "year",
        "village",
        15,
        demo_data.VILLAGE_ELEMENTS,
        [
            (
                "Người dùng điện thoại thông minh không quá số người trưởng thành",
                "#{DAN_DTTM}",
                "<=",
                "#{DAN_TRUONGTHANH}",
            ),
            ("Hộ có cáp quang không quá số hộ", "#{HO_CAPQUANG}", "<=", "#{HO_GIADINH}"),
        ],
    )
    commune = _data_set(
        "XA_THANG",
        "Báo cáo chuyển đổi số cấp xã (hằng tháng)",
        "month",
        "commune",
        5,
        demo_data.COMMUNE_ELEMENTS,
        [
            ("Hồ sơ trực tuyến không quá hồ sơ tiếp nhận", "#{HS_TRUCTUYEN}", "<=", "#{HS_TIEPNHAN}"),
            ("Hồ sơ toàn trình không quá hồ sơ trực tuyến", "#{HS_TOANTRINH}", "<=", "#{HS_TRUCTUYEN}"),
            ("Văn bản ký số không quá văn bản đi", "#{VB_KYSO}", "<=", "#{VB_DI}"),
        ],
    )
    province = _data_set(
        "TINH_NAM",
        "Báo cáo kết quả chuyển đổi số cấp tỉnh (hằng năm)",
        "year",
        "province",
        30,
        demo_data.PROVINCE_ELEMENTS,
    )
    DataElement.objects.filter(value_type="percentage").update(max_value=Decimal(100))
    indicators = [
        Indicator(
            code=code,
            name=name,
            pillar=pillar,
            group=group,
            kind=kind,
            numerator=numerator,
            denominator=denominator,
            factor=Decimal(factor),
            display_format=shown,
            decimals=decimals,
            rounding=rounding,
            direction=direction,
            order=order,
            **extra,
        )
        for order, (
            code,
            name,
            pillar,
            group,
            kind,
            numerator,
            denominator,
            factor,
            shown,
            decimals,
            rounding,
            direction,
            extra,
        ) in enumerate(demo_data.INDICATORS)
    ]
    log_bulk_create(Indicator.objects.bulk_create(indicators))
    return {"THON_NAM": village, "XA_THANG": commune, "TINH_NAM": province}


# --- Reports and values ----------------------------------------------------------------------


class Batch:
    """Reports with their values, written with a few bulk inserts."""

    def __init__(self, data_set: DataSet):
        self.data_set = data_set
        self.elements = {e.code: e for e in data_set.data_elements.all()}
        self.reports: list[Report] = []
        self.values: list[tuple[int, str, str, Decimal | None]] = []

    def add(self, unit: Unit, period: str, entries: dict, status=ReportStatus.APPROVED, late_days: int = 0) -> None:
        period_obj = parse(period)
        due = period_obj.end + datetime.timedelta(days=self.data_set.due_days)
        report = Report(data_set=self.data_set, unit=unit, period=period, due_date=due, status=status)
        if status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED, ReportStatus.RETURNED):
            submitted = timezone.make_aware(datetime.datetime.combine(due, datetime.time(9)))
            submitted += datetime.timedelta(days=late_days - (0 if late_days else 2))
            report.first_submitted_at = report.submitted_at = submitted
        if status in (ReportStatus.APPROVED, ReportStatus.RETURNED):
            report.decided_at = report.submitted_at + datetime.timedelta(days=3)
        if status == ReportStatus.RETURNED:
            report.return_reason = "Số hồ sơ toàn trình chưa khớp với hệ thống một cửa; đề nghị rà soát lại."
        self.reports.append(report)
        for code, raw in entries.items():
            number = Decimal(1 if raw is True else 0) if isinstance(raw, bool) else Decimal(str(raw))
            text = ("true" if raw else "false") if isinstance(raw, bool) else format(number.normalize(), "f")
            self.values.append((len(self.reports) - 1, code, text, number))

    def save(self) -> None:
        reports = Report.objects.bulk_create(self.reports, batch_size=1000)
        values = [
            DataValue(
                report=reports[index],
                data_element=self.elements[code],
                unit=reports[index].unit,
                period=reports[index].period,
                value=text,
                number=number,
                is_approved=reports[index].status == ReportStatus.APPROVED,
            )
            for index, code, text, number in self.values
        ]
        log_bulk_create(reports)
        # The seed's ~25,000 values are not logged one by one (seconds of demo loading for no reader);
        # each is attributable through its report's creation entry. Values typed or imported later are.
        DataValue.objects.bulk_create(values, batch_size=2000)


def _villages(province: Unit, day: datetime.date) -> list[Unit]:
    return list(
        Unit.objects.within(province)
        .valid_on(day)
        .filter(level="village")
        .select_related("parent__parent")
        .order_by("code")
    )


def _district_code(village: Unit) -> str:
    return village.parent.parent.code if village.parent and village.parent.parent else ""


def _village_reports(data_set: DataSet, province: Unit, rng: random.Random) -> None:
    """2024: every village reported and was approved — 1.340/1.356 with broadband, 5G in 4/9 districts."""
    villages = _villages(province, YEAR_END)
    without = [v for v in villages if _district_code(v) in NO_BROADBAND_DISTRICTS][::7][:16]
    five_g = {code: [v for v in villages if _district_code(v) == code][:6] for code in FIVE_G_DISTRICTS}
    five_g_ids = {v.pk for chosen in five_g.values() for v in chosen}
    members = [8] * len(villages)
    for index in rng.sample(range(len(villages)), 8):
        members[index] += 1
    batch = Batch(data_set)
    for village, team in zip(villages, members, strict=True):
        households = village.households or 120
        adults = int((village.population or households * 4) * 0.68)
        batch.add(
            village,
            "2024",
            {
                "THON_BANGRONG": village not in without,
                "THON_4G": True,
                "THON_5G": village.pk in five_g_ids,
                "DAN_TRUONGTHANH": adults,
                "DAN_DTTM": adults - (adults // 100 if rng.random() < 0.9 else adults // 40),
                "HO_GIADINH": households,
                "HO_CAPQUANG": int(households * rng.uniform(0.62, 0.775)),
                "TO_CDS_THANHVIEN": team,
            },
        )
    batch.save()
    _open_next_year(data_set, province)


def _open_next_year(data_set: DataSet, province: Unit) -> None:
    """2025 reports are open (as the daily job leaves them) for the villages of 31/12/2025."""
    lao_cai = Unit.objects.get(code=province.code, valid_from=datetime.date(2025, 7, 1))
    batch = Batch(data_set)
    for village in _villages(lao_cai, datetime.date(2025, 12, 31)):
        batch.add(village, "2025", {}, status=ReportStatus.DRAFT)
    batch.save()


def _commune_month(rng: random.Random) -> dict:
    received = rng.randint(90, 420)
    online = round(received * rng.uniform(0.52, 0.74))
    sent = rng.randint(70, 260)
    return {
        "HS_TIEPNHAN": received,
        "HS_TRUCTUYEN": online,
        "HS_TOANTRINH": round(online * rng.uniform(0.6, 0.82)),
        "VB_DI": sent,
        "VB_KYSO": round(sent * rng.uniform(0.955, 0.995)),
        "TOCDS_BUOI": rng.randint(4, 22),
        "NGUOI_HUONGDAN": rng.randint(45, 115),
    }


# November 2024: 160/173 communes reported (150 approved, 10 awaiting approval), 151 of them on time.
NOVEMBER = [ReportStatus.APPROVED] * 150 + [ReportStatus.SUBMITTED] * 10 + [ReportStatus.RETURNED] * 2
NOVEMBER += [ReportStatus.DRAFT] * 11


def _commune_reports(data_set: DataSet, province: Unit, rng: random.Random) -> None:
    batch = Batch(data_set)
    for month in range(1, 12):
        communes = list(
            Unit.objects.within(province)
            .valid_on(datetime.date(2024, month, 28))
            .filter(level="commune")
            .order_by("code")
        )
        statuses = _november(communes, rng) if month == 11 else {c.pk: ReportStatus.APPROVED for c in communes}
        reported = [c.pk for c in communes if statuses[c.pk] in (ReportStatus.APPROVED, ReportStatus.SUBMITTED)]
        late = set(rng.sample(reported, 9 if month == 11 else 6))
        for commune in communes:
            status = statuses[commune.pk]
            entries = _commune_month(rng) if status != ReportStatus.DRAFT or commune.pk % 2 else {}
            batch.add(
                commune,
                f"2024{month:02d}",
                entries,
                status=status,
                late_days=rng.randint(1, 9) if commune.pk in late else 0,
            )
    batch.save()


def _november(communes: list[Unit], rng: random.Random) -> dict:
    """Xuân Ái keeps its November report as a draft, to be sent from a phone in the demo."""
    statuses = NOVEMBER[:]
    rng.shuffle(statuses)
    found = dict(zip([c.pk for c in communes], statuses, strict=True))
    xuan_ai = next((c for c in communes if c.code == "04441"), None)
    if xuan_ai is not None and found[xuan_ai.pk] != ReportStatus.DRAFT:
        swap = next(pk for pk, status in found.items() if status == ReportStatus.DRAFT)
        found[swap], found[xuan_ai.pk] = found[xuan_ai.pk], ReportStatus.DRAFT
    return found


def _province_reports(data_set: DataSet, province: Unit) -> None:
    batch = Batch(data_set)
    for index, year in enumerate(range(2021, 2025)):
        values = {code: series[index] for code, series in demo_data.PROVINCE_VALUES.items()}
        batch.add(province, str(year), values)
    batch.save()


# --- Plans, targets, tasks -------------------------------------------------------------------


def _plans(yen_bai: Unit) -> dict[str, Plan]:
    committee = Organisation.objects.filter(unit=yen_bai, short_name="UBND tỉnh").first()
    party = Organisation.objects.filter(unit=yen_bai, short_name="Tỉnh ủy").first()
    resolution = Plan(
        unit=yen_bai,
        number="51-NQ/TU",
        title="Nghị quyết về chuyển đổi số tỉnh Yên Bái giai đoạn 2021–2025, định hướng đến năm 2030",
        issued_on=datetime.date(2021, 7, 22),
        issuer=party,
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2025, 12, 31),
        description="22 mục tiêu đến năm 2025: 15 về chính quyền số, 2 về kinh tế số, 5 về xã hội số.",
    )
    plan = Plan(
        unit=yen_bai,
        number="80/KH-UBND",
        title="Kế hoạch chuyển đổi số tỉnh Yên Bái năm 2024",
        issued_on=datetime.date(2024, 3, 27),
        issuer=committee,
        start_date=datetime.date(2024, 1, 1),
        end_date=YEAR_END,
        description="34 chỉ tiêu, 45 nhiệm vụ trọng tâm, 14 mô hình, 35 phần việc, dự án và 9 nhóm giải pháp; "
        "mọi nhiệm vụ bảo đảm “5 rõ”: rõ việc, rõ người, rõ thời gian, rõ sản phẩm, rõ nguồn lực.",
    )
    van_yen = Unit.objects.get(code="136", level="district")
    district = Plan(
        unit=van_yen,
        number="45/KH-UBND",
        title="Kế hoạch chuyển đổi số huyện Văn Yên năm 2024",
        issued_on=datetime.date(2024, 3, 29),
        issuer=Organisation.objects.filter(unit=van_yen, kind="peoples_committee").first(),
        start_date=datetime.date(2024, 1, 1),
        end_date=YEAR_END,
    )
    log_bulk_create(Plan.objects.bulk_create([resolution, plan, district]))
    indicators = {i.code: i for i in Indicator.objects.all()}
    targets = [
        Target(
            plan=resolution, indicator=indicators[code], unit=yen_bai, period="2025", value=Decimal(value), order=order
        )
        for order, (code, value) in enumerate(demo_data.RESOLUTION_51_TARGETS.items())
    ]
    targets += [
        Target(plan=plan, indicator=indicators[code], unit=yen_bai, period="2024", value=Decimal(value), order=order)
        for order, (code, value) in enumerate(demo_data.PLAN_80_TARGETS.items())
    ]
    for order, (code, value) in enumerate((("TL_THON_BANGRONG", 99), ("TL_HS_TRUCTUYEN", 55), ("TL_VB_KYSO", 95))):
        targets.append(
            Target(
                plan=district,
                indicator=indicators[code],
                unit=van_yen,
                period="2024",
                value=Decimal(value),
                order=order,
            )
        )
    log_bulk_create(Target.objects.bulk_create(targets))
    return {"plan": plan, "district": district}


class TaskMaker:
    """Builds the plan's tasks with the five clarities, dates in 2024 and realistic outcomes."""

    def __init__(self, plan: Plan, rng: random.Random, province: Unit):
        self.plan, self.rng = plan, rng
        self.bodies = {o.short_name: o for o in Organisation.objects.filter(unit=province)}
        self.committees = {
            o.unit.code: o
            for o in Organisation.objects.filter(kind="peoples_committee", unit__level="district").select_related(
                "unit"
            )
        }
        self.tasks: list[Task] = []

    def owner(self, key: str) -> Organisation:
        if key.startswith("district:"):
            return self.committees[key.split(":")[1]]
        return self.bodies[key]

    def add(self, kind: str, number: int, title: str, owner_key: str, output: str, **extra) -> Task:
        owner, rng = self.owner(owner_key), self.rng
        start = datetime.date(2024, rng.randint(1, 4), rng.randint(1, 28))
        due = min(start + datetime.timedelta(days=rng.randint(60, 240)), YEAR_END)
        people = PEOPLE.get("district" if owner_key.startswith("district:") else owner_key, PEOPLE["Sở TT&TT"])
        prefix = {TaskKind.KEY_TASK: "NV", TaskKind.MODEL: "MH", TaskKind.PROJECT: "DA", TaskKind.SOLUTION_GROUP: "GP"}[
            kind
        ]
        task = Task(
            plan=self.plan,
            kind=kind,
            code=f"{prefix}{number:02d}",
            unit=owner.unit,
            title=title,
            owner_organisation=owner,
            responsible_person=rng.choice(people),
            start_date=start,
            due_date=due,
            expected_output=output,
            budget_vnd=self.budget(kind),
            budget_source=self.source(kind),
            staffing=rng.choice(STAFFING),
            published_at=timezone.make_aware(datetime.datetime(2024, 3, 28, 8)),
            **extra,
        )
        self.outcome(task)
        self.tasks.append(task)
        return task

    def budget(self, kind: str) -> Decimal:
        low, high = {
            TaskKind.PROJECT: (1_500, 38_000),
            TaskKind.MODEL: (150, 900),
            TaskKind.SOLUTION_GROUP: (0, 0),
        }.get(kind, (0, 1_800))
        millions = self.rng.randint(low, high) if high else 0
        return Decimal(millions // 10 * 10 * 1_000_000)

    def source(self, kind: str) -> str:
        if kind == TaskKind.PROJECT:
            return self.rng.choice(["provincial", "provincial", "central", "enterprise"])
        return self.rng.choice(["recurrent", "provincial"]) if kind != TaskKind.SOLUTION_GROUP else "recurrent"

    def outcome(self, task: Task) -> None:
        roll = self.rng.random()
        if roll < 0.86:
            late = self.rng.random() < 0.12
            task.status, task.progress = TaskStatus.COMPLETED, 100
            task.completed_on = task.due_date + datetime.timedelta(
                days=self.rng.randint(3, 40) if late else -self.rng.randint(0, 20)
            )
        else:
            task.status, task.progress, task.is_overdue = (
                TaskStatus.IN_PROGRESS,
                self.rng.choice([40, 55, 70, 85, 90]),
                True,
            )


def _tasks(plans: dict[str, Plan], province: Unit, rng: random.Random) -> None:
    maker = TaskMaker(plans["plan"], rng, province)
    groups = [maker.add(TaskKind.SOLUTION_GROUP, n, t, o, out) for n, (t, o, out) in enumerate(SOLUTION_GROUPS, 1)]
    Task.objects.bulk_create(groups)
    for number, (title, owner, output, group) in enumerate(KEY_TASKS, 1):
        maker.add(TaskKind.KEY_TASK, number, title, owner, output, parent=groups[group])
    for number, (title, owner, output) in enumerate(MODELS, 1):
        maker.add(TaskKind.MODEL, number, title, owner, output)
    for number, (title, owner, output) in enumerate(PROJECTS, 1):
        maker.add(TaskKind.PROJECT, number, title, owner, output)
    Task.objects.bulk_create(maker.tasks[len(groups) :])
    _roll_groups(groups)
    district = TaskMaker(plans["district"], rng, province)
    for number, (title, output) in enumerate(DISTRICT_TASKS, 1):
        district.add(TaskKind.KEY_TASK, number, title, "district:136", output)
    Task.objects.bulk_create(district.tasks)
    log_bulk_create(Task.objects.filter(plan__in=plans.values()).select_related("unit"))
    _link_indicators(plans["plan"])


DISTRICT_TASKS = [
    ("Ra mắt Bộ phận Phục vụ hành chính công số huyện Văn Yên", "Bộ phận một cửa số hoạt động từ quý II/2024"),
    ("Hướng dẫn người dân trở thành công dân số", "Gần 9.000 người dân được công nhận công dân số"),
    ("Mở rộng truyền thanh thông minh từ xã Xuân Ái ra các xã", "Thêm 10 xã có truyền thanh thông minh"),
    ("Tập huấn kỹ năng số cho Tổ CĐS cộng đồng các thôn", "100% Tổ CĐS thôn được tập huấn"),
    ("Thí điểm sổ tay điện tử đảng viên tại các chi bộ thôn", "Các chi bộ thôn sinh hoạt trên nền tảng số"),
]


def _roll_groups(groups: list[Task]) -> None:
    for group in groups:
        children = list(Task.objects.filter(parent=group).values_list("progress", "status"))
        if not children:
            continue
        group.progress = round(sum(p for p, _s in children) / len(children))
        done = all(status == TaskStatus.COMPLETED for _p, status in children)
        group.status = TaskStatus.COMPLETED if done else TaskStatus.IN_PROGRESS
        group.is_overdue = not done
        group.completed_on = group.due_date if done else None
    Task.objects.bulk_update(groups, ["progress", "status", "is_overdue", "completed_on"])


def _link_indicators(plan: Plan) -> None:
    links = {
        "NV14": ["HUYEN_5G"],
        "NV15": ["TL_THON_BANGRONG"],
        "NV17": ["TL_VB_KYSO"],
        "NV18": ["TL_HS_SOHOA"],
        "NV19": ["TL_TTHC_TOANTRINH", "TL_HS_TRUCTUYEN"],
        "NV20": ["TL_HOP_KHONGGIAY"],
        "NV24": ["TL_DINHDANH"],
        "NV31": ["TL_BENHAN_DT"],
        "NV33": ["TL_HOCBA_SO"],
        "NV36": ["TL_DN_NENTANG"],
        "NV37": ["OCOP_TMDT"],
        "NV43": ["CONGDAN_SO"],
    }
    indicators = {i.code: i for i in Indicator.objects.all()}
    through = Task.indicators.through
    rows = [
        through(task_id=task.pk, indicator_id=indicators[code].pk)
        for task in Task.objects.filter(plan=plan, code__in=links)
        for code in links[task.code]
    ]
    through.objects.bulk_create(rows)


def _current_plan(rng: random.Random) -> None:
    """This year's plan of the province as it is today, with tasks due around today (inbox, reminders)."""
    today = timezone.localdate()
    province = Unit.objects.valid_on(today).filter(code="15", level="province").first()
    if province is None:
        return
    plan = Plan.objects.create(
        unit=province,
        number=f"12/KH-UBND ({today.year})",
        title=f"Kế hoạch chuyển đổi số tỉnh {province.short_name} năm {today.year}",
        issued_on=datetime.date(today.year, 1, 15),
        issuer=Organisation.objects.filter(unit=province, short_name="UBND tỉnh").first(),
        start_date=datetime.date(today.year, 1, 1),
        end_date=datetime.date(today.year, 12, 31),
    )
    maker = TaskMaker(plan, rng, province)
    for number, (title, owner, offset, progress) in enumerate(CURRENT_TASKS, 1):
        task = maker.add(TaskKind.KEY_TASK, number, title, owner, "Báo cáo kết quả gửi Ban Chỉ đạo tỉnh")
        task.start_date = datetime.date(today.year, 1, 20)
        task.due_date = today + datetime.timedelta(days=offset)
        done = progress == 100
        task.status = TaskStatus.COMPLETED if done else TaskStatus.IN_PROGRESS
        task.progress, task.completed_on, task.is_overdue = progress, today if done else None, offset < 0 and not done
    log_bulk_create(Task.objects.bulk_create(maker.tasks))


CURRENT_TASKS = [
    ("Rà soát, sắp xếp hạ tầng số sau hợp nhất tỉnh", "Sở KH&CN", -5, 60),
    ("Hợp nhất cổng dịch vụ công và hệ thống một cửa điện tử", "TTPVHCC", -1, 80),
    ("Chuyển đổi Tổ CĐS cộng đồng theo đơn vị hành chính mới", "TT CĐS", 3, 70),
    ("Cập nhật danh mục dữ liệu dùng chung của tỉnh mới", "TT CĐS", 6, 50),
    ("Tập huấn “Bình dân học vụ số” cho cán bộ cấp xã mới", "Sở Nội vụ", 7, 35),
    ("Kiểm tra an toàn thông tin các hệ thống hợp nhất", "Công an tỉnh", 20, 20),
    ("Sơ kết chuyển đổi số sau hợp nhất", "Sở KH&CN", 45, 10),
    ("Công bố bộ chỉ số đánh giá CĐS cấp xã mới", "Sở KH&CN", -30, 100),
]


# --- Scores ----------------------------------------------------------------------------------


def _scores(yen_bai: Unit) -> None:
    from tinhso.scoring.models import CriteriaSet, Criterion

    from .services import score_subjects

    communes = CriteriaSet.objects.create(
        code="DTI-XA",
        name="Bộ chỉ số đánh giá chuyển đổi số cấp xã",
        subject_kind="plans.commune",
        unit=yen_bai,
        first_period="2024",
        verifying_level="district",
    )
    infrastructure = Criterion.objects.create(
        criteria_set=communes, code="1", name="Hạ tầng số", max_points=30, order=1
    )
    government = Criterion.objects.create(
        criteria_set=communes, code="2", name="Chính quyền số", max_points=40, order=2
    )
    rows = [
        (infrastructure, "1.1", "Thôn có Internet băng rộng cố định", 15, "ratio", "indicator", "TL_THON_BANGRONG", []),
        (
            infrastructure,
            "1.2",
            "Người trưởng thành dùng điện thoại thông minh",
            15,
            "stepped",
            "indicator",
            "TL_DTTM",
            [
                {"at_least": 99, "points": 15},
                {"at_least": 97, "points": 12},
                {"at_least": 95, "points": 9},
                {"at_least": 90, "points": 5},
            ],
        ),
        (government, "2.1", "Hồ sơ TTHC nộp trực tuyến", 20, "ratio", "indicator", "TL_HS_TRUCTUYEN", []),
        (
            government,
            "2.2",
            "Văn bản đi được ký số",
            20,
            "stepped",
            "indicator",
            "TL_VB_KYSO",
            [
                {"at_least": 98, "points": 20},
                {"at_least": 97, "points": 16},
                {"at_least": 96, "points": 12},
                {"at_least": 95, "points": 8},
            ],
        ),
        (None, "3", "Báo cáo định kỳ đúng hạn", 20, "ratio", "computed", "reports_on_time", []),
        (None, "4", "Đánh giá của Ban Chỉ đạo huyện", 10, "manual", "manual", "", []),
    ]
    Criterion.objects.bulk_create(
        [
            Criterion(
                criteria_set=communes,
                parent=parent,
                code=code,
                name=name,
                max_points=points,
                rule=rule,
                source=source,
                source_key=key,
                thresholds=steps,
                order=index,
                evidence_required=rule == "manual",
            )
            for index, (parent, code, name, points, rule, source, key, steps) in enumerate(rows)
        ]
    )
    score_subjects(communes, "2024", actor=None)
    departments = CriteriaSet.objects.create(
        code="DTI-SO",
        name="Bộ tiêu chí đánh giá chuyển đổi số sở, ban, ngành",
        subject_kind="plans.department",
        unit=yen_bai,
        first_period="2024",
    )
    Criterion.objects.bulk_create(
        [
            Criterion(
                criteria_set=departments,
                code="1",
                name="Nhiệm vụ CĐS hoàn thành đúng hạn",
                max_points=60,
                rule="ratio",
                source="computed",
                source_key="tasks_on_time",
                order=1,
            ),
            Criterion(
                criteria_set=departments,
                code="2",
                name="Nhiệm vụ CĐS hoàn thành",
                max_points=30,
                rule="ratio",
                source="computed",
                source_key="tasks_completed",
                order=2,
            ),
            Criterion(
                criteria_set=departments,
                code="3",
                name="Đánh giá của Ban Chỉ đạo tỉnh",
                max_points=10,
                rule="manual",
                evidence_required=True,
                order=3,
            ),
        ]
    )
    score_subjects(departments, "2024", actor=None)
    districts = CriteriaSet.objects.create(
        code="DTI-HUYEN",
        name="Bộ chỉ số đánh giá chuyển đổi số cấp huyện",
        subject_kind="plans.district",
        unit=yen_bai,
        first_period="2024",
    )
    Criterion.objects.bulk_create(
        [
            Criterion(
                criteria_set=districts,
                code="1",
                name="Hồ sơ TTHC nộp trực tuyến",
                max_points=40,
                rule="ratio",
                source="indicator",
                source_key="TL_HS_TRUCTUYEN",
                order=1,
            ),
            Criterion(
                criteria_set=districts,
                code="2",
                name="Thôn có Internet băng rộng cố định",
                max_points=30,
                rule="ratio",
                source="indicator",
                source_key="TL_THON_BANGRONG",
                order=2,
            ),
            Criterion(
                criteria_set=districts,
                code="3",
                name="Báo cáo định kỳ đúng hạn",
                max_points=30,
                rule="ratio",
                source="computed",
                source_key="reports_on_time",
                order=3,
            ),
        ]
    )
    score_subjects(districts, "2024", actor=None)
