"""One demo account per role, all with the password from DEMO_PASSWORD (default tinhso-demo)."""

import datetime
import functools

from django.conf import settings
from django.contrib.auth.hashers import make_password

from tinhso.units.models import Organisation, Unit

from .continuity import follow_successions
from .models import RoleAssignment, User
from .roles import Role

BEFORE = datetime.date(2025, 6, 30)
AFTER = datetime.date(2025, 7, 1)

# username, full name, phone, role, [(unit code, valid on), ...], include descendants
DEMO_USERS = [
    (
        "admin",
        "Quản trị hệ thống tỉnh",
        "0912000001",
        Role.PROVINCE_ADMIN,
        [("15", BEFORE), ("15", AFTER)],
        True,
    ),
    (
        "trungtam.cds",
        "Nguyễn Thu Hà",
        "0912000002",
        Role.DX_CENTRE_STAFF,
        [("15", BEFORE), ("15", AFTER)],
        True,
    ),
    ("so.khcn", "Trần Văn Minh", "0912000003", Role.DEPARTMENT_STAFF, [("15", BEFORE), ("15", AFTER)], True),
    ("huyen.vanyen", "Hoàng Văn Thắng", "0912000004", Role.DISTRICT_OFFICER, [("136", BEFORE)], True),
    ("canbo.xuanai", "Lý Thị Hoa", "0912000005", Role.COMMUNE_OFFICER, [("04441", BEFORE)], True),
    ("totruong.xuanai", "Giàng A Páo", "0912000006", Role.VILLAGE_TEAM_LEADER, [("04441-01", BEFORE)], True),
    ("bithu.xuanai", "Đặng Văn Quý", "0912000007", Role.PARTY_CELL_SECRETARY, [("04441-02", BEFORE)], True),
    ("congdan", "Hà Thị Mai", "0912000008", Role.CITIZEN, [("04441", BEFORE)], False),
]


def seed_users(stdout=None) -> None:
    for username, full_name, phone, role, places, with_descendants in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"full_name": full_name, "phone": phone, "is_staff": role == Role.PROVINCE_ADMIN},
        )
        if created:
            user.password = demo_password_hash()
            user.save()
        for code, day in places:
            unit = Unit.objects.valid_on(day).get(code=code)
            assignment, _created = RoleAssignment.objects.get_or_create(
                user=user, role=role, unit=unit, defaults={"include_descendants": with_descendants}
            )
            follow_successions(assignment)  # canbo.xuanai works for the new Xuân Ái from 1/7/2025
    department = Organisation.objects.filter(short_name="Sở KH&CN").order_by("pk").first()
    User.objects.filter(username="so.khcn", organisation__isnull=True).update(organisation=department)


def demo_password_hash() -> str:
    """DEMO_PASSWORD hashed once for every demo account (as meetings' party members share one): a hash costs a
    quarter of a second by design, and the demo makes some twenty accounts."""
    return _hash_of(settings.DEMO_PASSWORD, tuple(settings.PASSWORD_HASHERS))


@functools.cache
def _hash_of(password: str, _hashers: tuple) -> str:
    return make_password(password)


def describe_logins() -> str:
    lines = [f"  {username:<18} {role.label}" for username, _name, _phone, role, _places, _d in DEMO_USERS]
    return "\n".join(lines)
