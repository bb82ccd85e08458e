"""Demo: the Suối Giàng cooperative's ancient Shan tuyết trees, a season of harvests and sensor data,
two products with their batches. Suối Giàng (Văn Chấn, Yên Bái) belongs to a new commune from
1/7/2025: the trees stay registered on the old unit and show under its successor. Idempotent."""

import datetime
import random
import uuid
from decimal import Decimal

from django.utils import timezone

from tinhso.core.changelog import log_bulk_create
from tinhso.core.context import acting_as
from tinhso.units.models import Unit
from tinhso.units.succession import representative_on

from . import identifiers, services
from .choices import AgeMethod, CertificationKind, EventKind, ProducerKind
from .models import (
    Event,
    Producer,
    SensorReading,
    Tree,
    WeatherObservation,
    WeatherStation,
)

COOPERATIVE = "Hợp tác xã Chè Suối Giàng"
GARDENS = [
    ("Vườn chè cổ Pang Cáng", "Pang Cáng"),
    ("Vườn chè cổ Giàng A", "Giàng A"),
    ("Vườn chè cổ Bản Mới", "Bản Mới"),
]
TREE_COUNT = 400
CENTRE = (Decimal("21.622185"), Decimal("104.600491"))
STORY_VI = (
    "Cây chè Shan tuyết cổ thụ của người Mông ở Suối Giàng, mọc trên sườn núi mây phủ quanh năm. "
    "Búp chè phủ lớp lông tơ trắng như tuyết, được hái bằng tay và sao trên chảo gang."
)
STORY_EN = (
    "An ancient Shan tuyết tea tree of the H'Mông people of Suối Giàng, on a mountainside in cloud all year. "
    "Its buds wear white down like snow; they are picked by hand and roasted in a cast-iron pan."
)
DEMO_OFFICER = "canbo.suoigiang"


def suoi_giang() -> Unit | None:
    return Unit.objects.filter(level="commune", short_name="Suối Giàng").order_by("valid_from").first()


def seed_trace(stdout=None) -> None:
    unit = suoi_giang()
    if unit is None or Producer.objects.filter(unit=unit, name=COOPERATIVE).exists():
        return
    rng = random.Random(15)
    with acting_as(None, source="demo"):
        if unit.latitude is None:
            Unit.objects.filter(pk=unit.pk).update(latitude=CENTRE[0], longitude=CENTRE[1])
            unit.refresh_from_db()
        cooperative = services.create_producer(
            actor=None, unit=unit, name=COOPERATIVE, kind=ProducerKind.COOPERATIVE, representative="Giàng A Chu"
        )
        gardens = [
            services.create_garden(actor=None, unit=unit, producer=cooperative, name=name, village=village)
            for name, village in GARDENS
        ]
        trees = _trees(unit, gardens, rng)
        harvests = _season(trees, rng)
        _sensors(unit, trees, rng)
        _weather(rng)
        _products(unit, cooperative, trees, harvests)
        _officer(unit)
    if stdout:
        stdout.write(f"  trace: {len(trees)} trees in {len(gardens)} gardens of {unit.name}\n")


def _trees(unit, gardens, rng) -> list[Tree]:
    trees = []
    for index in range(TREE_COUNT):
        garden = gardens[index % len(gardens)]
        age = int(rng.triangular(100, 360, 160))
        trees.append(
            Tree(
                unit=unit,
                garden=garden,
                number=f"SG-{index + 1:04d}",
                estimated_age=age,
                age_method=rng.choice([AgeMethod.GIRTH, AgeMethod.GIRTH, AgeMethod.ELDERS]),
                age_source="Khảo sát của Hội Khoa học Nông nghiệp Yên Bái, 2019",
                girth_cm=Decimal(age) * Decimal("0.55") + Decimal(rng.randint(-15, 15)),
                height_m=Decimal(rng.randint(40, 120)) / 10,
                canopy_m=Decimal(rng.randint(30, 90)) / 10,
                altitude_m=rng.randint(1100, 1400),
                latitude=CENTRE[0] + Decimal(rng.randint(-12000, 12000)) / 1000000,
                longitude=CENTRE[1] + Decimal(rng.randint(-12000, 12000)) / 1000000,
                story_vi=STORY_VI,
                story_en=STORY_EN,
            )
        )
    return services.import_trees(trees, actor=None)


def _season(trees, rng) -> list[Event]:
    year = timezone.localdate().year - (1 if timezone.localdate().month < 4 else 0)
    rounds = [
        (datetime.datetime(year, 3, 20, 7, tzinfo=datetime.UTC), "Giàng A Chu"),
        (datetime.datetime(year, 6, 15, 7, tzinfo=datetime.UTC), "Sùng A Vàng"),
        (datetime.datetime(year, 9, 10, 7, tzinfo=datetime.UTC), "Mùa A Dê"),
    ]
    events = []
    for tree in trees:
        for start, picker in rounds:
            events.append(
                Event(
                    unit_id=tree.unit_id,
                    tree=tree,
                    kind=EventKind.HARVEST,
                    event_time=start + datetime.timedelta(days=rng.randint(0, 12)),
                    quantity_kg=Decimal(rng.randint(8, 40)) / 10,
                    performed_by=picker,
                    event_id=f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}",
                )
            )
        if rng.random() < 0.3:
            events.append(
                Event(
                    unit_id=tree.unit_id,
                    tree=tree,
                    kind=EventKind.PRUNING,
                    event_time=datetime.datetime(year, 1, 15, 2, tzinfo=datetime.UTC),
                    performed_by="Tổ kỹ thuật HTX",
                    event_id=f"urn:uuid:{uuid.UUID(int=rng.getrandbits(128))}",
                )
            )
    created = Event.objects.bulk_create(events, batch_size=1000)
    log_bulk_create(created)
    return [event for event in created if event.kind == EventKind.HARVEST]


def _sensors(unit, trees, rng) -> None:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for number, tree in enumerate(trees[:3], start=1):
        device, _token = services.register_device(actor=None, unit=unit, device_id=f"sg-sensor-{number:02d}", tree=tree)
        readings = [
            SensorReading(
                device=device,
                tree=tree,
                time=now - datetime.timedelta(hours=hour),
                temperature_c=Decimal(rng.randint(120, 240)) / 10,
                humidity_percent=Decimal(rng.randint(700, 980)) / 10,
                soil_moisture_percent=Decimal(rng.randint(250, 450)) / 10,
            )
            for hour in range(24 * 30)
        ]
        SensorReading.objects.bulk_create(readings, batch_size=1000)


def _weather(rng) -> None:
    station, _created = WeatherStation.objects.get_or_create(
        code="NGHIALO",
        defaults={
            "name": "Nghĩa Lộ",
            "latitude": Decimal("21.6000"),
            "longitude": Decimal("104.5100"),
            "altitude_m": 263,
        },
    )
    today = timezone.localdate()
    WeatherObservation.objects.bulk_create(
        [
            WeatherObservation(
                station=station,
                day=today - datetime.timedelta(days=day),
                temperature_c=Decimal(rng.randint(150, 280)) / 10,
                humidity_percent=Decimal(rng.randint(650, 950)) / 10,
                rain_mm=Decimal(rng.choice([0, 0, 0, rng.randint(1, 400)])) / 10,
            )
            for day in range(120)
        ],
        ignore_conflicts=True,
    )


def _products(unit, cooperative, trees, harvests) -> None:
    prefix = identifiers.company_prefix() or "8930000"
    for number, (name, stars, share) in enumerate(
        [
            ("Trà xanh Shan tuyết cổ thụ Suối Giàng", 4, slice(0, 40)),
            ("Hồng trà Shan tuyết Suối Giàng", 3, slice(40, 70)),
        ],
        start=1,
    ):
        gtin = identifiers.with_check_digit((prefix + str(number).zfill(12 - len(prefix)))[:13]).zfill(14)
        product = services.create_product(
            actor=None, unit=unit, producer=cooperative, name=name, gtin=gtin, ocop_stars=stars
        )
        services.add_certification(
            actor=None,
            product=product,
            kind=CertificationKind.OCOP,
            number=f"OCOP-YB-2024-{number:03d}",
            issued_by="UBND tỉnh Yên Bái",
            valid_from=datetime.date(2024, 5, 1),
            valid_to=datetime.date(2027, 4, 30),
        )
        services.add_certification(
            actor=None,
            product=product,
            kind=CertificationKind.VIETGAP,
            number=f"VietGAP-TT-{number:02d}-2024",
            issued_by="Trung tâm Chứng nhận phù hợp",
            valid_from=datetime.date(2024, 3, 1),
            valid_to=datetime.date(2026, 2, 28),
        )
        chosen = trees[share]
        picked = [h for h in harvests if h.tree_id in {t.pk for t in chosen}][: len(chosen)]
        services.create_batch(
            actor=None,
            product=product,
            lot=f"{picked[0].event_time.year}-{number:02d}",
            packed_on=(picked[-1].event_time + datetime.timedelta(days=5)).date(),
            trees=chosen,
            harvests=picked,
            processing="Hái một tôm hai lá\nHéo tự nhiên 6 giờ\nSao diệt men trên chảo gang\nVò tay, sấy than củi",
        )


def _officer(unit) -> None:
    from tinhso.accounts.demo import demo_password_hash
    from tinhso.accounts.models import RoleAssignment, User
    from tinhso.accounts.roles import Role

    user, created = User.objects.get_or_create(
        username=DEMO_OFFICER, defaults={"full_name": "Hờ A Sử"} if hasattr(User, "full_name") else {}
    )
    if created:
        user.password = demo_password_hash()
        user.save()
    for place in {unit, representative_on(unit, datetime.date(2025, 7, 1))} - {None}:
        RoleAssignment.objects.get_or_create(
            user=user, role=Role.COMMUNE_OFFICER, unit=place, defaults={"include_descendants": True}
        )
