"""A party cell of Xuân Ái with its secretary and five members (one is also on the commune's staff list), a
People's Committee with a two-thirds rule, and a cell of Khánh Hòa with its own member (an outsider here)."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from tinhso.accounts.testing import make_user
from tinhso.meetings import services
from tinhso.meetings.models import Body, BodyMember
from tinhso.units.models import Organisation
from tinhso.work.models import StaffMember

START = datetime.date(2024, 1, 1)


def member(body, name, role="member", number=""):
    user = make_user(username=name, full_name=name.title())
    BodyMember.objects.create(body=body, user=user, role=role, valid_from=START, member_number=number)
    return user


def later(days=3, hour=8):
    day = timezone.localdate() + datetime.timedelta(days=days)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return start, start + datetime.timedelta(hours=2)


def data(days=3, **extra):
    start, end = later(days)
    values = {"title": "Sinh hoạt chi bộ định kỳ", "starts_at": start, "ends_at": end, "place": "Nhà văn hóa thôn"}
    values.update(extra)
    return services.MeetingData(**values)


@pytest.fixture
def world(tree):
    w = SimpleNamespace(tree=tree)
    w.cell = Body.objects.create(unit=tree.new_xuan_ai, name="Chi bộ thôn Khe Dứa", kind="party_cell")
    w.secretary = member(w.cell, "bithu", "secretary", "001")
    w.members = [member(w.cell, f"dangvien{i}", number=f"00{i + 2}") for i in range(4)]
    w.committee = Organisation.objects.create(name="UBND xã Xuân Ái", kind="peoples_committee", unit=tree.new_xuan_ai)
    w.staff_owner = w.members[0]
    StaffMember.objects.create(user=w.staff_owner, organisation=w.committee, title="Công chức")
    w.other_cell = Body.objects.create(unit=tree.new_khanh_hoa, name="Chi bộ Khuổi Vai", kind="party_cell")
    w.outsider = member(w.other_cell, "nguoingoai", "member", "900")
    w.officer = make_user("commune_officer", tree.new_xuan_ai, username="canbo")
    w.far_officer = make_user("commune_officer", tree.new_khanh_hoa, username="canbo-kh")
    w.citizen = make_user("citizen", tree.new_xuan_ai, username="dan", include_descendants=False)
    w.admin = make_user("province_admin", tree.lao_cai, username="tinh")
    w.meeting = services.create_meeting(
        w.cell, actor=w.secretary, data=data(), agenda=[("Báo cáo tháng", "Bí thư", None)]
    )
    return w
