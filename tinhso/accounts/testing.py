"""Builders for tests of every module: users with roles on units.

officer = make_user("commune_officer", tree.xuan_ai)    # tree from tinhso.units.testing.build_unit_tree
"""

import itertools

from tinhso.units.models import Unit

from .models import RoleAssignment, User

_numbers = itertools.count(1)


def make_user(
    role: str | None = None,
    unit: Unit | None = None,
    *,
    include_descendants: bool = True,
    username: str | None = None,
    password: str = "mat-khau-rat-dai-2025",
    **fields,
) -> User:
    user = User.objects.create_user(username=username or f"user{next(_numbers)}", password=password, **fields)
    if role and unit:
        RoleAssignment.objects.create(user=user, role=role, unit=unit, include_descendants=include_descendants)
    return user


def role_holder(role: str, unit: Unit, **options) -> User:
    """The person of a permission matrix who holds `role` on `unit` (a citizen on that unit only)."""
    return make_user(role, unit, username=f"as-{role}", include_descendants=role != "citizen", **options)


def users_by_role(places: dict[str, Unit], **options) -> dict[str, User]:
    """One user per role, each holding that role on its unit: {"commune_officer": tree.xuan_ai, ...};
    the usual cast is tinhso.core.testing.cast_on(tree)."""
    return {role: role_holder(role, unit, **options) for role, unit in places.items()}
