"""Demo data of the smart radio (seed_demo part "radio"): clusters in Xuân Ái's villages and a few other
communes, bulletins in various states, live statuses, a bulletin board. Idempotent."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from tinhso.units.models import Unit

from . import services
from .models import SpeakerCluster

COMMUNES = ("04441", "04426", "04300")  # Xuân Ái (the seeds' commune), Yên Hợp, Khánh Hòa
TEXT = (
    "UBND xã Xuân Ái thông báo: từ ngày 27/3/2026, Tổ CĐS cộng đồng hướng dẫn bà con cài đặt ứng dụng "
    "VNeID tại nhà văn hóa thôn, từ 7 giờ 30 đến 11 giờ. Đề nghị bà con mang theo căn cước và điện thoại."
)


def seed_radio(stdout=None) -> None:
    if SpeakerCluster.objects.exists():
        return
    today = timezone.localdate()
    communes = list(Unit.objects.valid_on(today).filter(code__in=COMMUNES, level="commune").order_by("code"))
    if not communes:
        return
    with transaction.atomic():
        clusters = _clusters(communes)
        _statuses(clusters)
        _bulletins(communes)
        xuan_ai = next((unit for unit in communes if unit.code == "04441"), communes[0])
        services.create_board(actor=None, unit=xuan_ai, name=f"Bảng tin điện tử UBND {xuan_ai.name}")
    if stdout:
        stdout.write(f"  radio: {len(clusters)} speaker clusters")


def _clusters(communes) -> list[SpeakerCluster]:
    made = []
    for commune in communes:
        cluster, _password = services.create_cluster(actor=None, unit=commune, name=f"Cụm loa trung tâm {commune.name}")
        made.append(cluster)
        villages = Unit.objects.valid_on(timezone.localdate()).filter(parent=commune).order_by("code")
        limit = None if commune.code == "04441" else 3
        for village in list(villages)[:limit]:
            cluster, _password = services.create_cluster(actor=None, unit=village, name=f"Cụm loa {village.name}")
            made.append(cluster)
    return made


def _statuses(clusters) -> None:
    """Most clusters online, one silent for a while, one offline since yesterday."""
    rng = random.Random(5)
    now = timezone.now()
    for index, cluster in enumerate(clusters):
        if index % 7 == 3:
            continue  # never connected: offline
        seen = now - datetime.timedelta(minutes=10) if index % 7 == 5 else now
        services.record_status(
            cluster.device_id,
            {"online": True, "agent_version": "1.0.0", "volume": rng.choice([70, 80, 90]), "keepalive": 30},
            now=seen,
        )


def _speech_available() -> bool:
    try:
        from tinhso.radio import speech  # noqa: F401
    except ImportError:
        return False
    return True


def _bulletins(communes) -> None:
    xuan_ai = next((unit for unit in communes if unit.code == "04441"), communes[0])
    now = timezone.now()
    relay = services.create_bulletin(
        actor=None,
        unit=xuan_ai,
        title="Tiếp sóng chương trình thời sự VOV1",
        kind="relay",
        stream_url="http://stream.example.vn/vov1.ogg",
        targets=[xuan_ai],
        send_at=now + datetime.timedelta(hours=2),
        expires_at=now + datetime.timedelta(hours=3),
    )
    services.broadcast(relay, actor=None)
    if not _speech_available():
        return
    common = {"actor": None, "unit": xuan_ai, "targets": [xuan_ai]}
    services.create_bulletin(title="Lịch tiêm phòng gia súc (bản nháp)", text=TEXT, **common)
    services.send_now(title="Hướng dẫn cài đặt VNeID", text=TEXT, **common)
    services.send_now(
        title="Bản tin sáng và chiều các ngày trong tuần",
        text="Xã Xuân Ái phát bản tin chuyển đổi số lúc 6 giờ và 17 giờ các ngày trong tuần.",
        send_at=now + datetime.timedelta(minutes=5),
        recurrence={"weekdays": [0, 1, 2, 3, 4], "times": ["06:00", "17:00"]},
        expires_at=now + datetime.timedelta(days=30),
        **common,
    )
    emergency = services.send_now(
        title="Cảnh báo lũ quét trên suối Ngòi Thia",
        text="Mưa lớn, nguy cơ lũ quét. Người dân các thôn ven suối di chuyển lên nơi cao.",
        level="emergency",
        **common,
    )
    services.cancel(emergency, actor=None)
