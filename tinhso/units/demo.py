"""Demo structure: Yên Bái before the 2025 reform (9 districts, 173 → 168 communes, 1,356
villages) and Lào Cai after it, with sample organisations. Idempotent."""

import datetime
import random

from django.db import transaction

from tinhso.core.changelog import log_bulk_create
from tinhso.core.text import fold

from .choices import TYPE_PREFIX, OrganisationKind, UnitLevel
from .importers import national
from .models import Organisation, Unit
from .succession import bump_tree_version

TREE_START = datetime.date(2020, 1, 1)
ARRANGEMENT_2024 = datetime.date(2024, 12, 1)
ARRANGEMENT_2024_BASIS = (
    "Nghị quyết 1246/NQ-UBTVQH15 về sắp xếp ĐVHC cấp huyện, cấp xã tỉnh Yên Bái giai đoạn 2023–2025"
)
VILLAGE_COUNT = 1356
HIGHLAND_DISTRICTS = {"137", "139"}  # Mù Cang Chải, Trạm Tấu: mostly H'Mông bản
FIRST = [
    "Nà",
    "Khe",
    "Làng",
    "Pá",
    "Tà",
    "Nậm",
    "Khau",
    "Cốc",
    "Háng",
    "Mù",
    "Phình",
    "Sáng",
    "Lìm",
    "Hát",
    "Púng",
    "Khuổi",
    "Phiêng",
    "Noong",
    "Kim",
    "Chế",
    "Mường",
    "Đồng",
    "Ngòi",
    "Bó",
    "Tồng",
    "Suối",
]
SECOND = [
    "Hẩu",
    "Xùa",
    "Khoang",
    "Luông",
    "Phạ",
    "Mông",
    "Nhù",
    "Sang",
    "Lừu",
    "Cại",
    "Dứa",
    "Tàu",
    "Tày",
    "Có",
    "Hồ",
    "Ghênh",
    "Chạp",
    "Lếch",
    "Ngần",
    "Vai",
    "Mạ",
    "Pèn",
    "Dào",
    "Chua",
    "Cuông",
    "Phát",
    "Lé",
    "Giàng",
    "Thẳm",
    "Bốc",
    "Pao",
    "Kháo",
    "Lao",
    "Sủng",
    "Thàng",
    "Nhì",
]
KINH = [
    "Đồng Tâm",
    "Tân Lập",
    "Hòa Bình",
    "Quyết Tiến",
    "Trung Tâm",
    "Cầu Khai",
    "Yên Thành",
    "Đoàn Kết",
    "Tân Thành",
    "Thống Nhất",
    "Hợp Nhất",
    "Minh Khai",
    "Văn Tiến",
    "Phú Thọ",
    "Hồng Phong",
    "Bình Minh",
    "Thắng Lợi",
    "An Thịnh",
    "Đồng Bằng",
    "Chiến Thắng",
    "Tiền Phong",
    "Quang Vinh",
    "Hạnh Phúc",
    "Cây Đa",
]


@transaction.atomic
def seed_units(stdout=None) -> None:
    national.import_before_reform(["10", "15"], valid_from=TREE_START)
    yen_bai = Unit.objects.get(code="15", valid_from=TREE_START)
    national.apply_earlier_arrangement(yen_bai, day=ARRANGEMENT_2024, legal_basis=ARRANGEMENT_2024_BASIS)
    national.import_after_reform(["15"])
    if not Unit.objects.within(yen_bai).filter(level=UnitLevel.VILLAGE).exists():
        _generate_villages(yen_bai)
        national.carry_villages_across(yen_bai, day=ARRANGEMENT_2024, legal_basis=ARRANGEMENT_2024_BASIS)
        national.carry_villages_across(yen_bai, day=national.REFORM_DAY, legal_basis=national.REFORM_BASIS)
    _seed_organisations(yen_bai, Unit.objects.get(code="15", valid_from=national.REFORM_DAY))


def _generate_villages(province: Unit) -> None:
    communes = list(
        Unit.objects.within(province)
        .filter(level=UnitLevel.COMMUNE)
        .valid_on(TREE_START)
        .select_related("parent")
        .order_by("code")
    )
    rng = random.Random(15)
    counts = _village_counts(communes, rng)
    villages = []
    for commune, count in zip(communes, counts, strict=True):
        for index, (unit_type, short) in enumerate(_village_names(commune, count, rng), start=1):
            households = rng.randint(45, 260)
            villages.append(
                Unit(
                    parent=commune,
                    code=f"{commune.code}-{index:02d}",
                    short_name=short,
                    unit_type=unit_type,
                    name=f"{TYPE_PREFIX[unit_type]} {short}",
                    level=UnitLevel.VILLAGE,
                    valid_from=TREE_START,
                    households=households,
                    population=int(households * rng.uniform(3.9, 4.9)),
                    depth=3,
                )
            )
    _finish_bulk(Unit.objects.bulk_create(villages, batch_size=500))


def _finish_bulk(created: list[Unit]) -> None:
    for village in created:
        village.path = f"{village.parent.path}{village.pk}/"
        village.search_name = fold(f"{village.name} {village.short_name}")
    Unit.objects.bulk_update(created, ["path", "search_name"], batch_size=500)
    log_bulk_create(created)
    bump_tree_version()


def _village_counts(communes: list[Unit], rng: random.Random) -> list[int]:
    weights = [rng.uniform(5, 11) * (1.3 if c.unit_type in ("phuong", "thi_tran") else 1) for c in communes]
    scale = VILLAGE_COUNT / sum(weights)
    counts = [max(3, round(w * scale)) for w in weights]
    while sum(counts) != VILLAGE_COUNT:
        index = rng.randrange(len(counts))
        counts[index] += 1 if sum(counts) < VILLAGE_COUNT else (-1 if counts[index] > 3 else 0)
    return counts


def _village_names(commune: Unit, count: int, rng: random.Random) -> list[tuple[str, str]]:
    if commune.unit_type in ("phuong", "thi_tran"):
        return [("to_dan_pho", f"số {number}") for number in range(1, count + 1)]
    highland = commune.parent.code in HIGHLAND_DISTRICTS
    names: list[tuple[str, str]] = []
    used: set[str] = set()
    while len(names) < count:
        roll = rng.random()
        if highland or roll < 0.45:
            candidate = ("ban", f"{rng.choice(FIRST)} {rng.choice(SECOND)}")
        elif roll < 0.75:
            candidate = ("thon", rng.choice(KINH))
        else:
            candidate = ("thon", f"{rng.choice(FIRST)} {rng.choice(SECOND)}")
        if candidate[1] not in used:
            used.add(candidate[1])
            names.append(candidate)
    return names


PROVINCIAL_BODIES = [
    ("Ủy ban nhân dân tỉnh {p}", "UBND tỉnh", OrganisationKind.PEOPLES_COMMITTEE),
    ("Tỉnh ủy {p}", "Tỉnh ủy", OrganisationKind.PARTY_COMMITTEE),
    ("Sở Thông tin và Truyền thông tỉnh {p}", "Sở TT&TT", OrganisationKind.DEPARTMENT),
    ("Sở Khoa học và Công nghệ tỉnh {p}", "Sở KH&CN", OrganisationKind.DEPARTMENT),
    ("Sở Nội vụ tỉnh {p}", "Sở Nội vụ", OrganisationKind.DEPARTMENT),
    ("Sở Tài chính tỉnh {p}", "Sở Tài chính", OrganisationKind.DEPARTMENT),
    ("Sở Giáo dục và Đào tạo tỉnh {p}", "Sở GD&ĐT", OrganisationKind.DEPARTMENT),
    ("Sở Y tế tỉnh {p}", "Sở Y tế", OrganisationKind.DEPARTMENT),
    ("Sở Nông nghiệp và Môi trường tỉnh {p}", "Sở NN&MT", OrganisationKind.DEPARTMENT),
    ("Công an tỉnh {p}", "Công an tỉnh", OrganisationKind.DEPARTMENT),
    ("Trung tâm Phục vụ hành chính công tỉnh {p}", "TTPVHCC", OrganisationKind.DEPARTMENT),
    ("Trung tâm Chuyển đổi số tỉnh {p}", "TT CĐS", OrganisationKind.DEPARTMENT),
]


def _seed_organisations(yen_bai: Unit, lao_cai: Unit) -> None:
    if Organisation.objects.filter(unit=yen_bai).exists():
        return
    organisations = []
    for province in (yen_bai, lao_cai):
        for template, short, kind in PROVINCIAL_BODIES:
            organisations.append(
                Organisation(name=template.format(p=province.short_name), short_name=short, kind=kind, unit=province)
            )
    for unit in Unit.objects.within(yen_bai).filter(level__in=[UnitLevel.DISTRICT, UnitLevel.COMMUNE]):
        in_sentence = f"{TYPE_PREFIX[unit.unit_type].lower()} {unit.short_name}"
        organisations.append(
            Organisation(
                name=f"Ủy ban nhân dân {in_sentence}",
                short_name="UBND",
                kind=OrganisationKind.PEOPLES_COMMITTEE,
                unit=unit,
            )
        )
        organisations.append(
            Organisation(
                name=f"Đảng ủy {in_sentence}",
                short_name="Đảng ủy",
                kind=OrganisationKind.PARTY_COMMITTEE,
                unit=unit,
            )
        )
    for village in Unit.objects.within(yen_bai).filter(level=UnitLevel.VILLAGE, valid_from=TREE_START):
        organisations.append(
            Organisation(
                name=f"Chi bộ {village.name}",
                short_name="Chi bộ",
                kind=OrganisationKind.PARTY_CELL,
                unit=village,
            )
        )
    for name, code in (
        ("Hợp tác xã Chè Suối Giàng", "Suối Giàng"),
        ("Hợp tác xã Chè Shan tuyết Nghĩa Tâm", "Nghĩa Tâm"),
    ):
        commune = Unit.objects.within(yen_bai).filter(level=UnitLevel.COMMUNE, short_name=code).first()
        if commune:
            organisations.append(
                Organisation(name=name, short_name="HTX", kind=OrganisationKind.COOPERATIVE, unit=commune)
            )
    for organisation in organisations:
        organisation.search_name = fold(f"{organisation.name} {organisation.short_name}")[:200]
    log_bulk_create(Organisation.objects.bulk_create(organisations, batch_size=500))


def units_present() -> bool:
    """`seed_demo --if-empty` does nothing once any unit exists."""
    return Unit.objects.exists()
