"""A small world of citizen reports on the test tree, as it stands today (after the 2025 reform): the new
commune Xuân Ái with its village Khe Dứa, the commune Khánh Hòa, a transport department of the province."""

import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tinhso.accounts.testing import make_user
from tinhso.core.context import acting_as
from tinhso.feedback import services
from tinhso.feedback.choices import Level
from tinhso.feedback.models import ServiceCategory
from tinhso.units.models import Organisation, Unit

KHE_DUA = (Decimal("21.720000"), Decimal("104.480000"))


def photo_file(name="anh.jpg", size=(2000, 1500), gps=True) -> SimpleUploadedFile:
    """A JPEG as a phone makes it: large, with a GPS point in its EXIF."""
    from PIL import Image

    picture = Image.new("RGB", size, (120, 160, 90))
    exif = Image.Exif()
    if gps:
        exif[0x8825] = {1: "N", 2: (21.0, 43.0, 12.0), 3: "E", 4: (104.0, 28.0, 48.0)}
    output = io.BytesIO()
    picture.save(output, "JPEG", exif=exif)
    return SimpleUploadedFile(name, output.getvalue(), content_type="image/jpeg")


def file_report(world, *, actor=None, service=None, place="village", **fields):
    fields.setdefault("description", "Đường vào thôn bị sạt một đoạn, xe máy không qua được.")
    report, _created = services.submit_report(
        actor=actor or world.citizen,
        service=service or world.road,
        place=world.tree.new_khe_dua if place == "village" else place,
        **fields,
    )
    return report


@pytest.fixture
def world(tree):
    w = SimpleNamespace(tree=tree)
    Unit.objects.filter(pk=tree.new_khe_dua.pk).update(latitude=KHE_DUA[0], longitude=KHE_DUA[1])
    tree.new_khe_dua.refresh_from_db()
    with acting_as(None, source="test"):
        w.xuan_ai_committee = Organisation.objects.create(
            name="UBND xã Xuân Ái", kind="peoples_committee", unit=tree.new_xuan_ai
        )
        w.khanh_hoa_committee = Organisation.objects.create(
            name="UBND xã Khánh Hòa", kind="peoples_committee", unit=tree.new_khanh_hoa
        )
        w.transport = Organisation.objects.create(name="Sở Xây dựng", kind="department", unit=tree.lao_cai)
        w.road = ServiceCategory.objects.create(
            unit=tree.lao_cai, code="duong-hu-hong", name="Đường hư hỏng", level=Level.COMMUNE, deadline_days=10
        )
        w.bridge = ServiceCategory.objects.create(
            unit=tree.lao_cai,
            code="cau-cong",
            name="Cầu, cống hư hỏng",
            level=Level.PROVINCE,
            organisation=w.transport,
            deadline_days=15,
            attributes=[
                {
                    "variable": True,
                    "code": "muc_do",
                    "datatype": "singlevaluelist",
                    "required": False,
                    "datatype_description": "",
                    "order": 1,
                    "description": "Mức độ hư hỏng",
                    "values": [{"key": "nhe", "name": "Nhẹ"}, {"key": "nang", "name": "Nặng"}],
                }
            ],
        )
        w.internal = ServiceCategory.objects.create(
            unit=tree.lao_cai, code="noi-bo", name="Nội bộ", level=Level.COMMUNE, is_public=False
        )
    w.admin = make_user("province_admin", tree.lao_cai)
    w.officer = make_user("commune_officer", tree.new_xuan_ai, full_name="Cán bộ Xuân Ái")
    w.other_officer = make_user("commune_officer", tree.new_khanh_hoa)
    w.department = make_user("department_staff", tree.lao_cai)
    w.village_head = make_user("village_team_leader", tree.new_khe_dua)
    w.citizen = make_user("citizen", tree.new_khe_dua, full_name="Hà Thị Mai", phone="0912000008")
    w.neighbour = make_user("citizen", tree.new_khe_dua, full_name="Lò Văn Pọm", phone="0912000009")
    w.today = timezone.localdate()
    return w


@pytest.fixture
def report(world):
    return file_report(world, latitude=KHE_DUA[0], longitude=KHE_DUA[1], address="Km 3 đường Khe Dứa")


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)
